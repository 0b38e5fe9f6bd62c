import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import { decodeMemcachedValue, decodeRedisValue, decodeSessionData, encodeRedisValue, pythonJsonLoads, SESSION_SALT, SIGNED_COOKIES_SALT, signSerialized, type DjangoSettings, type SessionDict } from '../../src/django/index.ts';
import { pickleDumps } from '../../src/django/pickle-write.ts';
import { carriedData, carriedSession, encodeSessionData } from '../../src/writes/session-encoding.ts';
import { HASHER_VECTOR_FILES, loadHasherVectors } from '../../../../test/helpers/hasher-vectors.ts';

const MODEL_BACKEND = 'django.contrib.auth.backends.ModelBackend';

function settings(secretKey: string, serializer: 'json' | 'pickle'): DjangoSettings {
  return { secretKey, secretKeyFallbacks: [], authenticationBackends: [MODEL_BACKEND], acceptLegacy: false, sessionCookieAge: 1_209_600, maxSessionBytes: 1 << 20, serializer };
}

/** A signed value's serialized bytes, inflated when compressed, and its timestamp. */
function unsigned(signed: string): { payload: string; timestamp: string } {
  const [base64, timestamp] = signed.split(':') as [string, string];
  const bytes = Buffer.from(base64.replace(/^\./, ''), 'base64url');
  return { payload: (base64.startsWith('.') ? inflateSync(bytes) : bytes).toString('hex'), timestamp };
}

function session(json: string): SessionDict {
  const loaded = pythonJsonLoads(Buffer.from(json, 'latin1'));
  assert.ok(loaded.ok, json);
  return loaded.value as SessionDict;
}

for (const file of HASHER_VECTOR_FILES) {
  const vectors = loadHasherVectors(file);

  describe(`session serializers as Django ${vectors.django_version} writes them`, () => {
    it('django-redis\'s JSONSerializer: the bytes json.dumps wrote, and they read back', () => {
      assert.ok(vectors.cache_json.length >= 2, 'cases');
      for (const c of vectors.cache_json) {
        const format = { serializer: 'json', compressor: 'none' } as const;
        const ours = encodeRedisValue(session(c.session_json), format, 4);
        assert.equal(ours.toString('hex'), c.bytes, c.session_json.slice(0, 40));
        const read = decodeRedisValue(ours, format, 1 << 20);
        assert.ok(read.ok);
        const zipped = encodeRedisValue(session(c.session_json), { serializer: 'json', compressor: 'zlib' }, 4);
        assert.equal(inflateSync(zipped).toString('hex'), c.bytes, 'zlib around the same bytes');
      }
    });

    it('carries the sessions Django\'s cache backends pickled on, as they are', () => {
      for (const c of vectors.cache_pickles_rich) {
        const bytes = Buffer.from(c.bytes, 'hex');
        const read = c.flags === null ? decodeRedisValue(bytes, { serializer: 'pickle', compressor: 'none' }, 1 << 20) : decodeMemcachedValue(bytes, c.flags, 1 << 20);
        assert.ok(read.ok, c.backend);
        assert.deepEqual(structuredClone(carriedSession(read.session, read.payload, 'pickle')), session(c.session_json), c.backend);
      }
    });

    if (vectors.pickle_sessions.length === 0) {
      it('has no PickleSerializer (removed in Django 5.0)', () => {
        assert.ok(Number(vectors.django_version.split('.')[0]) >= 5);
      });
      return;
    }

    it('PickleSerializer: session_data and the signed cookie carry Django\'s pickle, at Django\'s timestamp', () => {
      const django = settings(vectors.secret_key, 'pickle');
      for (const c of vectors.pickle_sessions) {
        const data = session(c.session_json);
        const nowMs = c.timestamp * 1000;
        // Node's zlib deflates the same bytes differently from CPython's: the pickles and timestamps are compared.
        assert.deepEqual(unsigned(encodeSessionData(data, django, nowMs)), unsigned(c.db), 'db');
        assert.deepEqual(unsigned(encodeSessionData(data, django, nowMs, SIGNED_COOKIES_SALT)), unsigned(c.signed_cookies), 'signed_cookies');
        const ours = decodeSessionData(encodeSessionData(data, django, nowMs), django);
        assert.ok(ours.ok, 'it verifies with the secret');
      }
    });

    it('carries a pickled session on only when it writes back the very bytes Django pickled', () => {
      const django = settings(vectors.secret_key, 'pickle');
      for (const c of vectors.pickle_sessions) {
        const decoded = decodeSessionData(c.db, django);
        assert.ok(decoded.ok);
        // structuredClone: the pickle reader's dicts have no prototype, the JSON reader's do.
        assert.deepEqual(structuredClone(carriedData(decoded, django)), session(c.session_json));
      }
      // pickle.dumps({'cart': (1, 2)}): a tuple reads as a list, and would be written back as one.
      const tuple = Buffer.from('80059511000000000000007d948c0463617274944b014b028694732e', 'hex');
      const withTuple = decodeSessionData(signSerialized(tuple, { key: vectors.secret_key, salt: SESSION_SALT, compress: true }), django);
      assert.ok(withTuple.ok);
      assert.deepEqual({ ...withTuple.session }, { cart: [1, 2] });
      assert.notDeepEqual(pickleDumps({ cart: [1, 2] }, 5), tuple);
      assert.deepEqual(carriedData(withTuple, django), {});
    });
  });
}
