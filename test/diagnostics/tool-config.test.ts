import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config.ts';
import { isUsageError, loadToolConfig, ToolError } from '../../src/diagnostics/tool-config.ts';

const base = { DATABASE_URL: 'postgresql://localhost/django', DJANGO_SECRET_KEY: 'current', DJANGO_SECRET_KEY_FALLBACKS: 'previous' };

describe('loadToolConfig', () => {
  it('reads the service\'s configuration and DJANGO_OLD_SECRET_KEYS', () => {
    const { config, oldKeys, databaseUrl } = loadToolConfig({ ...base, DJANGO_OLD_SECRET_KEYS: ' older , oldest,' });
    assert.equal(databaseUrl, base.DATABASE_URL);
    assert.deepEqual(config.django.secretKeyFallbacks, ['previous']);
    assert.deepEqual(oldKeys, ['older', 'oldest']);
    assert.deepEqual(loadToolConfig({ ...base, DJANGO_OLD_SECRET_KEYS: '["with,comma"]' }).oldKeys, ['with,comma']);
  });

  it('refuses what cannot be checked, without printing a key', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ DATABASE_URL: '' }, /^DATABASE_URL is not set/],
      [{ DJANGO_OLD_SECRET_KEYS: 'previous' }, /^DJANGO_OLD_SECRET_KEYS key 1 is already/],
      [{ DJANGO_OLD_SECRET_KEYS: 'x,current' }, /^DJANGO_OLD_SECRET_KEYS key 2 is already/],
      [{ DJANGO_OLD_SECRET_KEYS: 'older', DJANGO_VERSION: '4.0', DJANGO_SECRET_KEY_FALLBACKS: '' }, /Django 4\.0 has no SECRET_KEY_FALLBACKS/],
    ];
    for (const [env, message] of cases) {
      assert.throws(() => loadToolConfig({ ...base, ...env }), (error: Error) => {
        assert.ok(error instanceof ToolError);
        assert.match(error.message, message);
        assert.ok(!/current|previous|older/.test(error.message));
        return true;
      });
    }
  });

  it('tells usage mistakes from failures', () => {
    assert.ok(isUsageError(new ToolError('x')));
    assert.ok(isUsageError(new ConfigError('x')));
    assert.ok(isUsageError(Object.assign(new TypeError('Unknown option'), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' })));
    assert.ok(!isUsageError(new Error('connection refused')));
  });
});
