import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import { b62Decode } from 'django-session-bridge/django';
import { b64Decode } from 'django-session-bridge/django';
import { decodeSessionData } from 'django-session-bridge/django';
import { signObject } from 'django-session-bridge/django';
import { atLeast } from './at-least.ts';
import { encodeSession, loginSession } from './django.ts';
import { loadVectors, settingsFor, VECTOR_FILES } from './vectors.ts';

/** The payload bytes a signed value carries, inflated when it is compressed. */
function payload(signed: string): { compressed: boolean; bytes: string } {
  const base64d = signed.split(':')[0] as string;
  const compressed = base64d.startsWith('.');
  const data = b64Decode(compressed ? base64d.slice(1) : base64d) as Buffer;
  return { compressed, bytes: (compressed ? inflateSync(data) : data).toString('latin1') };
}

// The helper that writes sessions for the integration tests must write what Django writes. Uncompressed
// values match byte for byte. Node's bundled zlib finds different (equally valid) deflate matches than
// Python's, so compressed values are compared on what they inflate to.
function assertSameSigned(actual: string, expected: string, name: string): void {
  const mine = payload(actual);
  const django = payload(expected);
  assert.equal(mine.compressed, django.compressed, `${name}: compressed`);
  assert.equal(mine.bytes, django.bytes, `${name}: serialized JSON`);
  if (!django.compressed) assert.equal(actual, expected, `${name}: signed value`);
}

for (const file of VECTOR_FILES) {
  const vectors = loadVectors(file);

  describe(`test helper against Django ${vectors.django_version}`, () => {
    it('signObject writes what TimestampSigner.sign_object writes', () => {
      for (const [i, v] of vectors.signed_objects.entries()) {
        const signed = signObject(v.obj, { key: v.key, salt: v.salt, compress: v.compress, timestamp: v.timestamp });
        assertSameSigned(signed, v.signed, `signed_objects[${i}]`);
      }
    });

    it('encodeSession writes what SessionStore.encode writes', () => {
      const written = vectors.session_cases.filter((c) => c.description.startsWith('SessionStore.encode') || c.name.startsWith('logged_in_'));
      // Every one of them is Django's signed format under the current key: none may be passed over.
      for (const c of atLeast(12, written, 'sessions SessionStore.encode wrote')) {
        const settings = settingsFor(vectors, c.settings);
        const decoded = decodeSessionData(c.session_data, settings);
        assert.ok(decoded.ok, `${c.name}: decodes`);
        assert.equal(decoded.format, 'signed', `${c.name}: format`);
        assert.equal(decoded.keyIndex, 0, `${c.name}: signed with the current key`);
        const timestamp = b62Decode(c.session_data.split(':').at(-2) as string) as number;
        const reencoded = encodeSession(decoded.session, c.settings.secret_key, timestamp);
        assertSameSigned(reencoded, c.session_data, c.name);
        assert.deepEqual(decodeSessionData(reencoded, settings), decoded, `${c.name}: reads back`);
      }
    });

    it('loginSession writes the hash Django computes for the same password and key', () => {
      for (const v of atLeast(8, vectors.auth_hashes.filter((h) => h.algorithm === 'sha256'), 'sha256 session auth hashes')) {
        assert.equal(loginSession(1, v.password, v.secret_key)._auth_user_hash, v.hash);
      }
    });
  });
}
