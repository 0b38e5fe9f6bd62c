import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/config-error.ts';
import { djangoConfigFromEnv } from '../../src/config/env.ts';
import { resolveSettings } from '../../src/config/options.ts';

describe('DEBUG', () => {
  it('is off by default, from the option and from DJANGO_DEBUG', () => {
    assert.equal(resolveSettings({ secretKey: 'x' }).debug, false);
    assert.equal(resolveSettings({ secretKey: 'x', debug: true }).debug, true);
    assert.equal(djangoConfigFromEnv({ DJANGO_SECRET_KEY: 'x' }).debug, false);
    assert.equal(djangoConfigFromEnv({ DJANGO_SECRET_KEY: 'x', DJANGO_DEBUG: 'true' }).debug, true);
    assert.equal(djangoConfigFromEnv({ DJANGO_SECRET_KEY: 'x', DJANGO_DEBUG: '0' }).debug, false);
    assert.throws(() => djangoConfigFromEnv({ DJANGO_SECRET_KEY: 'x', DJANGO_DEBUG: 'maybe' }), (error: Error) => error instanceof ConfigError && /DJANGO_DEBUG/.test(error.message));
  });
});
