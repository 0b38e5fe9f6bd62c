import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Context } from 'koa';
import { publicUrl } from '../../src/routes/pages.ts';
import { fastestMs, WORST_CASE_MS } from '../helpers/elapsed.ts';

function contextWithPrefix(prefix: string): Context {
  return { get: (name: string) => (name === 'X-Forwarded-Prefix' ? prefix : ''), originalUrl: '/page?x=1' } as unknown as Context;
}

describe('publicUrl: X-Forwarded-Prefix put back in front of the URL', () => {
  it('drops the prefix\'s trailing slashes, and ignores a prefix that is not a path', () => {
    assert.equal(publicUrl(contextWithPrefix('/elixir///')), '/elixir/page?x=1');
    assert.equal(publicUrl(contextWithPrefix('')), '/page?x=1');
    assert.equal(publicUrl(contextWithPrefix('https://evil.example')), '/page?x=1');
  });

  it('decides a 64 KB header of slashes ending in another character in linear time', (t) => {
    const prefix = `${'/'.repeat(64 * 1024 - 1)}x`;
    const ms = fastestMs(() => assert.equal(publicUrl(contextWithPrefix(prefix)), `${prefix}/page?x=1`));
    t.diagnostic(`publicUrl: ${ms.toFixed(1)} ms`);
    assert.ok(ms < WORST_CASE_MS, `publicUrl took ${ms.toFixed(1)} ms`);
  });
});
