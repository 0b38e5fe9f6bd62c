import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import { decodeSessionData, type DjangoUser } from '../../src/django/index.ts';
import { loginSessionData } from '../../src/writes/login.ts';
import { savedSessionCookie } from '../../src/writes/responses.ts';
import { encodeSessionData } from '../../src/writes/session-encoding.ts';
import type { SessionCookieSettings } from '../../src/writes/settings.ts';
import { HASHER_VECTOR_FILES, loadHasherVectors, type LoginCase } from '../../../../test/helpers/hasher-vectors.ts';

/** The JSON a signed session_data carries, inflated when compressed. */
function payload(signed: string): string {
  const base64 = signed.split(':')[0]!;
  const bytes = Buffer.from(base64.replace(/^\./, ''), 'base64url');
  return (base64.startsWith('.') ? inflateSync(bytes) : bytes).toString('latin1');
}

const MODEL_BACKEND = 'django.contrib.auth.backends.ModelBackend';

function cookieSettings(settings: LoginCase['settings']): SessionCookieSettings {
  const sameSite = 'SESSION_COOKIE_SAMESITE' in settings ? settings.SESSION_COOKIE_SAMESITE : 'Lax';
  return {
    name: (settings.SESSION_COOKIE_NAME as string | undefined) ?? 'sessionid',
    age: (settings.SESSION_COOKIE_AGE as number | undefined) ?? 1_209_600,
    domain: (settings.SESSION_COOKIE_DOMAIN as string | undefined) ?? null,
    path: (settings.SESSION_COOKIE_PATH as string | undefined) ?? '/',
    secure: (settings.SESSION_COOKIE_SECURE as boolean | undefined) ?? false,
    httpOnly: (settings.SESSION_COOKIE_HTTPONLY as boolean | undefined) ?? true,
    sameSite: (sameSite ?? false) as SessionCookieSettings['sameSite'],
    expireAtBrowserClose: (settings.SESSION_EXPIRE_AT_BROWSER_CLOSE as boolean | undefined) ?? false,
  };
}

for (const file of HASHER_VECTOR_FILES) {
  const vectors = loadHasherVectors(file);
  const user: DjangoUser = {
    id: BigInt(vectors.login.user.id),
    password: vectors.login.user.password,
    username: vectors.login.user.username,
    isActive: true,
    firstName: '',
    lastName: '',
    email: '',
    isStaff: true,
    isSuperuser: false,
  };

  describe(`login() against Django ${vectors.django_version}'s own, byte for byte`, () => {
    for (const c of vectors.login.cases) {
      it(c.name, () => {
        const nowMs = Date.parse(c.last_login);
        const cookie = cookieSettings(c.settings);
        const current = c.session_before === null ? { key: null, data: {} } : { key: 'oldsessionkey0123', data: { ...c.session_before } };
        const { data, keepKey } = loginSessionData(current, user, MODEL_BACKEND, vectors.secret_key);
        assert.equal(keepKey, false, 'the key cycles');
        assert.deepEqual(data, c.session);
        const django = { secretKey: vectors.secret_key, secretKeyFallbacks: [], authenticationBackends: [MODEL_BACKEND], acceptLegacy: false, sessionCookieAge: cookie.age, maxSessionBytes: 1 << 20 };
        // Node's zlib (Chromium's fork) deflates the same bytes differently from CPython's: the signed JSON
        // and the timestamp are compared, and Django's reader accepts either stream.
        const ours = encodeSessionData(data, django, nowMs);
        assert.equal(payload(ours), payload(c.session_data), 'the signed JSON, byte for byte');
        assert.equal(ours.split(':')[1], c.session_data.split(':')[1], 'the timestamp');
        const decoded = decodeSessionData(ours, django);
        assert.ok(decoded.ok, 'it verifies with the secret');
        const key = 'k'.repeat(32);
        assert.equal(savedSessionCookie(key, data, cookie, nowMs).replace(key, '<key>'), c.set_cookie, 'Set-Cookie');
      });
    }
  });
}
