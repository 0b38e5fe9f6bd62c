import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { createInflate } from 'node:zlib';
import { describe, it } from 'node:test';
import { decodeSessionData, decodeSignedCookie } from '../../src/django/session-data.ts';
import { SIGNED_COOKIES_SALT, type DjangoSettings } from '../../src/django/settings.ts';
import { signPayload, zipBomb } from '../../../../test/helpers/forge.ts';

const KEY = 'zip-bomb-secret-key';
const MAX_BYTES = 1_048_576;
const SETTINGS: DjangoSettings = {
  secretKey: KEY,
  secretKeyFallbacks: [],
  authenticationBackends: ['django.contrib.auth.backends.ModelBackend'],
  acceptLegacy: false,
  sessionCookieAge: 1_209_600,
  maxSessionBytes: MAX_BYTES,
};

/** Inflates without keeping anything, to prove what the bomb really holds and how long that takes. */
async function inflatedSize(data: Buffer): Promise<number> {
  let size = 0;
  const inflate = createInflate();
  inflate.on('data', (chunk: Buffer) => {
    size += chunk.length;
  });
  await new Promise((resolve, reject) => {
    inflate.on('end', resolve);
    inflate.on('error', reject);
    inflate.end(data);
  });
  return size;
}

describe('the zip bomb guard (SESSION_MAX_BYTES)', () => {
  it('refuses half a megabyte that inflates to 512 MB: too_large, in a small fraction of the inflating time, without the memory', async () => {
    const bomb = zipBomb(512);
    const sessionData = signPayload(bomb, { key: KEY, compressed: true });
    // Peak resident memory never goes down, so it shows any allocation the decoder made and dropped again.
    const peakBefore = process.resourceUsage().maxRSS;
    // The best of three: one run can lose its core to a busy machine or a GC pause.
    let refuseMs = Infinity;
    for (let run = 0; run < 3; run++) {
      const refusing = performance.now();
      assert.deepEqual(decodeSessionData(sessionData, SETTINGS), { ok: false, reason: 'too_large' });
      refuseMs = Math.min(refuseMs, performance.now() - refusing);
    }
    const peakGrewMiB = (process.resourceUsage().maxRSS - peakBefore) / 1024;

    const inflating = performance.now();
    assert.equal(await inflatedSize(bomb), 512 * 1024 * 1024, 'a real bomb');
    const inflateMs = performance.now() - inflating;
    console.log(`# refusing the bomb: ${refuseMs.toFixed(1)} ms, peak RSS +${peakGrewMiB.toFixed(1)} MiB; inflating it: ${inflateMs.toFixed(0)} ms`);
    assert.ok(peakGrewMiB < 64, `peak RSS grew ${peakGrewMiB} MiB`);
    assert.ok(refuseMs * 5 < inflateMs, `refused in ${refuseMs} ms, inflating takes ${inflateMs} ms`);
  });

  it('the cap is SESSION_MAX_BYTES: a payload inflating to just under it is read, just over it is refused', () => {
    const settings = { ...SETTINGS, maxSessionBytes: 3 * 1024 * 1024 };
    assert.deepEqual(decodeSessionData(signPayload(zipBomb(3), { key: KEY, compressed: true }), settings), { ok: false, reason: 'not_json', detail: 'Expecting value at 0' });
    assert.deepEqual(decodeSessionData(signPayload(zipBomb(4), { key: KEY, compressed: true }), settings), { ok: false, reason: 'too_large' });
  });

  it('the signed_cookies engine has the same cap', () => {
    const cookie = signPayload(zipBomb(10), { key: KEY, salt: SIGNED_COOKIES_SALT, compressed: true });
    assert.deepEqual(decodeSignedCookie(cookie, SETTINGS, Date.now() / 1000), { ok: false, reason: 'too_large' });
  });

  it('a bomb under a signature that does not verify is never inflated at all', () => {
    const forged = signPayload(zipBomb(512), { key: 'not-the-key', compressed: true });
    assert.deepEqual(decodeSessionData(forged, SETTINGS), { ok: false, reason: 'bad_signature' });
  });
});
