import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeRedisValue } from '../../src/django/cache-value.ts';
import { userLookup, verdictFor } from '../../src/django/get-user.ts';
import { pickleJson } from '../../src/django/pickle-json.ts';
import { DEFAULT_SEPARATORS, parsePythonJson, pythonJsonDumps, pythonJsonLoads, PYTHON_JSON_MAX_DEPTH } from '../../src/django/python-json.ts';
import { decodeSessionData } from '../../src/django/session-data.ts';
import { fastestMs, WORST_CASE_MS } from '../../../../test/helpers/elapsed.ts';
import { loadPythonJsonVectors, PYTHON_JSON_VECTOR_FILES, pythonJsonSettings, pythonJsonUsers } from '../../../../test/helpers/python-json-vectors.ts';

describe('Python json as Django\'s JSONSerializer uses it', () => {
  it('dumps compactly with every non-printable-ASCII character escaped', () => {
    assert.equal(pythonJsonDumps({ a: [1, 'é'], b: '\u007f🔑' }), '{"a":[1,"\\u00e9"],"b":"\\u007f\\ud83d\\udd11"}');
  });

  it('dumps floats as float.__repr__, bigints exactly, and json.dumps\'s default separators on request', () => {
    assert.equal(pythonJsonDumps([1e-5, 0.0001, 1e16, 2 ** 53, -0, 0.5, Number.NaN, -Infinity, 2n ** 64n]), '[1e-05,0.0001,1e+16,9007199254740992.0,-0.0,0.5,NaN,-Infinity,18446744073709551616]');
    assert.equal(pythonJsonDumps({ a: [1, null], b: undefined, c: true }, DEFAULT_SEPARATORS), '{"a": [1, null], "c": true}');
  });

  it('loads bytes as Latin-1, and says why it refuses non-JSON', () => {
    assert.deepEqual(pythonJsonLoads(Buffer.from([0x22, 0xe9, 0x22])), { ok: true, value: 'é' });
    assert.deepEqual(pythonJsonLoads(Buffer.from('{nope')), { ok: false, error: 'Expecting property name enclosed in double quotes at 1' });
  });

  it('reads what JSON.parse refuses and json.loads reads', () => {
    const loaded = parsePythonJson('{"a": [NaN, Infinity, -Infinity], "k": 1, "k": 2, "s": "\\ud800", "big": 9007199254740993, "__proto__": 3}');
    assert.ok(loaded.ok);
    const value = loaded.value as Record<string, unknown>;
    assert.deepEqual(value.a, [Number.NaN, Infinity, -Infinity]);
    assert.equal(value.k, 2);
    assert.equal(value.s, '\ud800');
    assert.equal(value.big, 9007199254740993n);
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(value, '__proto__')?.value, 3);
  });

  it(`nests up to ${PYTHON_JSON_MAX_DEPTH} deep and refuses deeper`, () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    assert.ok(parsePythonJson(nested(PYTHON_JSON_MAX_DEPTH)).ok);
    assert.deepEqual(parsePythonJson(nested(PYTHON_JSON_MAX_DEPTH + 1)), { ok: false, error: `nested deeper than ${PYTHON_JSON_MAX_DEPTH}` });
    assert.equal(parsePythonJson(nested(500_000)).ok, false);
  });

  it('reads a megabyte of any shape in linear time', (t) => {
    const MIB = 1_048_576;
    const texts = {
      escapes: `"${'\\u0041\\n'.repeat(MIB / 8)}"`,
      numbers: `[${'1e5,-0.5,Infinity,'.repeat(MIB / 20)}0]`,
      digits: '7'.repeat(MIB),
      nesting: `${'[{"a":'.repeat(PYTHON_JSON_MAX_DEPTH / 2)}1${'}]'.repeat(PYTHON_JSON_MAX_DEPTH / 2)}`.padEnd(MIB, ' '),
      keys: `{${Array.from({ length: MIB / 16 }, (_, i) => `"k${i % 1000}":[]`).join(',')}}`,
      whitespace: `${' \t\r\n'.repeat(MIB / 4)}x`,
    };
    for (const [name, text] of Object.entries(texts)) {
      const ms = fastestMs(() => parsePythonJson(text));
      t.diagnostic(`${name}: ${ms.toFixed(1)} ms`);
      assert.ok(ms < WORST_CASE_MS, `${name} took ${ms.toFixed(1)} ms`);
    }
  });
});

for (const file of PYTHON_JSON_VECTOR_FILES) {
  const vectors = loadPythonJsonVectors(file);
  const settings = pythonJsonSettings(vectors);
  const users = pythonJsonUsers(vectors);

  describe(`json.loads as Django ${vectors.django_version} (Python ${vectors.python_version}) reads sessions`, () => {
    it('covers NaN, infinities, duplicate keys, lone surrogates, big integers, depth and whitespace', () => {
      assert.ok(vectors.cases.length >= 60, `${vectors.cases.length} cases`);
      const sessions = vectors.cases.filter((c) => c.expected !== undefined);
      assert.ok(sessions.filter((c) => c.expected?.authenticated).length >= 20, 'logged-in sessions');
      assert.ok(sessions.filter((c) => !c.expected?.authenticated).length >= 30, 'refused sessions');
      for (const name of ['float_inf', 'float_nan', 'duplicate_user_id_last_wins', 'lone_high_surrogate', 'user_id_past_2_53', 'nested_3000', 'int_4301_digits']) {
        assert.ok(vectors.cases.some((c) => c.name === name), name);
      }
    });

    it('writes back, byte for byte, every text Django\'s own encode() wrote (json.dumps, allow_nan, big ints, float repr)', () => {
      const written = vectors.cases.filter((c) => c.description.startsWith('SessionStore.encode()'));
      assert.ok(written.length >= 6, `${written.length} cases`);
      for (const c of written) {
        const loaded = parsePythonJson(c.text);
        assert.ok(loaded.ok, c.name);
        assert.equal(pythonJsonDumps(loaded.value), c.text, c.name);
      }
    });

    for (const c of vectors.cases) {
      it(`${c.name}: json.loads ${c.cache.error === null ? 'reads it' : `raises ${c.cache.error}`}`, () => {
        const loaded = parsePythonJson(c.text);
        if (c.cache.error === null) {
          assert.ok(loaded.ok, `${c.name}: ${loaded.ok ? '' : loaded.error}`);
          assert.deepEqual(pickleJson(loaded.value), c.cache.value);
        } else assert.equal(loaded.ok, false);

        const cached = decodeRedisValue(Buffer.from(c.text, 'utf8'), { serializer: 'json', compressor: 'none' }, settings.maxSessionBytes);
        const isDict = c.cache.value !== null && typeof c.cache.value === 'object' && !Array.isArray(c.cache.value);
        if (c.cache.error !== null) assert.deepEqual(cached.ok ? 'read' : cached.reason, 'bad_cache_value');
        else if (isDict) assert.deepEqual(cached.ok && pickleJson(cached.session), c.cache.value);
        else assert.deepEqual(cached.ok ? 'read' : cached.reason, 'not_object');
      });

      if (c.session_data === null || c.expected === undefined) continue;
      const expected = c.expected;
      it(`${c.name}: ${expected.authenticated ? `logged in as ${expected.user_id}` : 'not logged in'}, as get_user() decides`, () => {
        const decoded = decodeSessionData(c.session_data as string, settings);
        const dict = c.decoded !== null && typeof c.decoded === 'object' && !Array.isArray(c.decoded) ? c.decoded : null;
        if (dict !== null && Object.keys(dict).length > 0) {
          assert.ok(decoded.ok, `${c.name}: Django decoded it`);
          assert.deepEqual(pickleJson(decoded.session), c.decoded);
        }
        let loggedIn = false;
        let userId: bigint | undefined;
        if (decoded.ok) {
          const lookup = userLookup(decoded.session, settings);
          if (lookup.kind !== 'anonymous') {
            const verdict = verdictFor(decoded.session, lookup.backend, users.find((user) => user.id === lookup.userId) ?? null, settings);
            loggedIn = verdict.loggedIn;
            userId = verdict.user?.id;
          }
        }
        assert.equal(loggedIn, expected.authenticated);
        if (expected.authenticated) assert.equal(userId, BigInt(expected.user_id as string));
      });
    }
  });
}
