import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pickleJson } from '../../src/django/pickle-json.ts';
import { DEFAULT_PICKLE_LIMITS, unpickle } from '../../src/django/pickle.ts';
import { atLeast } from '../../../../test/helpers/at-least.ts';
import { loadPickleVectors } from '../../../../test/helpers/pickle-vectors.ts';

const vectors = loadPickleVectors();
const bytes = (base64: string) => Buffer.from(base64, 'base64');

describe(`pickle reader against CPython ${vectors.python_version}'s pickles`, () => {
  it(`reads all ${vectors.values.length} value vectors as CPython's pickle.loads does`, () => {
    for (const c of vectors.values) {
      const result = unpickle(bytes(c.pickle));
      assert.ok(result.ok, `${c.name}: ${result.ok ? '' : result.detail}`);
      assert.deepEqual(pickleJson(result.value), c.expected, c.name);
    }
  });

  it(`refuses all ${vectors.refused.length} hostile and malformed vectors with the recorded reason`, () => {
    for (const c of vectors.refused) {
      const result = unpickle(bytes(c.pickle));
      assert.equal(result.ok, false, c.name);
      assert.equal(result.ok ? null : result.reason, c.reason, `${c.name}: ${result.ok ? 'decoded' : result.detail}`);
    }
  });

  it('the malformed vectors are ones CPython refuses too', () => {
    for (const c of atLeast(15, vectors.refused.filter((r) => r.reason === 'bad_pickle'), 'malformed pickles')) assert.ok(c.python_error, c.name);
  });

  it('covers protocols 0 to 5', () => {
    assert.deepEqual([...new Set(vectors.values.map((c) => c.protocol).filter((p) => p !== null))].sort(), [0, 1, 2, 3, 4, 5]);
  });
});

describe('pickle reader values', () => {
  const session = vectors.values.find((c) => c.name === 'session_p5');

  it('a str-keyed dict is a null-prototype object; other dicts are Maps', () => {
    const result = unpickle(bytes(session?.pickle ?? ''));
    assert.ok(result.ok);
    assert.equal(Object.getPrototypeOf(result.value), null);
    const mixed = unpickle(bytes(vectors.values.find((c) => c.name === 'containers_p5')?.pickle ?? ''));
    assert.ok(mixed.ok);
    assert.ok((mixed.value as Record<string, unknown>).mixed_keys instanceof Map);
  });

  it('a "__proto__" key is just a key', () => {
    const result = unpickle(Buffer.from('\x80\x02}U\x09__proto__}U\x01aK\x01ss.', 'latin1'));
    assert.ok(result.ok);
    const value = result.value as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), null);
    assert.deepEqual(pickleJson(value), JSON.parse('{"__proto__": {"a": 1}}'));
    assert.equal(({} as Record<string, unknown>).a, undefined);
  });

  it('ints: number when safe, bigint beyond', () => {
    assert.deepEqual(unpickle(Buffer.from('\x80\x02J\xff\xff\xff\x7f.', 'latin1')), { ok: true, value: 2 ** 31 - 1 });
    assert.deepEqual(unpickle(Buffer.from('\x80\x02\x8a\x08\x00\x00\x00\x00\x00\x00\x20\x00.', 'latin1')), { ok: true, value: 2n ** 53n });
  });

  it('bytes are copies, not views of the input', () => {
    const data = Buffer.from('\x80\x03C\x02ab.', 'latin1');
    const result = unpickle(data);
    data[3] = 0x7a;
    assert.deepEqual(result, { ok: true, value: Buffer.from('ab') });
  });

  it('shared references come out as separate copies, so the result is a tree', () => {
    const result = unpickle(Buffer.from('\x80\x02]q\x00(K\x01e(h\x00h\x00l.', 'latin1'));
    assert.ok(result.ok);
    const [a, b] = result.value as unknown[][];
    assert.deepEqual(a, [1]);
    assert.notEqual(a, b);
  });
});

describe('pickle reader limits', () => {
  const session = bytes(vectors.values.find((c) => c.name === 'session_p5')?.pickle ?? '');

  it('input larger than maxInputBytes is too_large before anything is read', () => {
    const result = unpickle(session, { maxInputBytes: session.length - 1 });
    assert.equal(result.ok ? null : result.reason, 'too_large');
    assert.ok(unpickle(session, { maxInputBytes: session.length }).ok);
  });

  it('each bound is its own limit; undefined leaves the default', () => {
    const list = Buffer.from(`\x80\x02](${'K\x01'.repeat(50)}e.`, 'latin1');
    assert.ok(unpickle(list, { maxOutputItems: 51, maxDepth: undefined }).ok);
    assert.equal((unpickle(list, { maxOutputItems: 50 }) as { reason: string }).reason, 'too_large');
    const memo = Buffer.from(`\x80\x04N${'\x94'.repeat(10)}.`, 'latin1');
    assert.ok(unpickle(memo, { maxMemo: 10 }).ok);
    assert.equal((unpickle(memo, { maxMemo: 9 }) as { reason: string }).reason, 'too_large');
    // A key is hashed before it can be refused as too deep for the result: hashing has the same bound.
    const deepKey = Buffer.from(`\x80\x02})${'\x85'.repeat(150)}K\x01s.`, 'latin1');
    assert.equal((unpickle(deepKey) as { reason: string }).reason, 'too_large');
    const nested = Buffer.from(`\x80\x02${']'.repeat(5)}${'a'.repeat(4)}.`, 'latin1');
    assert.ok(unpickle(nested, { maxDepth: 4 }).ok);
    assert.equal((unpickle(nested, { maxDepth: 3 }) as { reason: string }).reason, 'too_large');
  });

  it('long strings and bytes count against the output budget, shared or not', () => {
    const text = 'x'.repeat(64 * 100);
    const shared = Buffer.concat([Buffer.from('\x80\x02X', 'latin1'), Buffer.from([0x00, 0x19, 0, 0]), Buffer.from(text), Buffer.from(`q\x00](${'h\x00'.repeat(1000)}e.`, 'latin1')]);
    assert.equal((unpickle(shared) as { reason: string }).reason, 'too_large');
    assert.ok(unpickle(shared, { maxOutputItems: 1002 * 101 }).ok);
    const key = Buffer.concat([Buffer.from('\x80\x02}q\x00X\x00\x19\x00\x00', 'latin1'), Buffer.from(text), Buffer.from(`K\x01s](${'h\x00'.repeat(1000)}e.`, 'latin1')]);
    assert.equal((unpickle(key) as { reason: string }).reason, 'too_large');
  });

  it('a long allow-listed value is charged by its size, in the result and each time it is hashed', () => {
    const message = Buffer.alloc(64 * 100, 0x61);
    const lazy = Buffer.concat([
      Buffer.from('\x80\x02cdjango.utils.functional\n_lazy_proxy_unpickle\n(cdjango.utils.translation\ngettext\nX\x00\x19\x00\x00', 'latin1'),
      message,
      Buffer.from('\x85}c__builtin__\nunicode\ntRq\x000', 'latin1'),
    ]);
    const list = (refs: number) => Buffer.concat([lazy, Buffer.from(`](${'h\x00'.repeat(refs)}e.`, 'latin1')]);
    assert.equal((unpickle(list(1000)) as { reason: string }).reason, 'too_large');
    assert.ok(unpickle(list(900)).ok);
    // The same key set a thousand times: one entry in the result, a thousand hashes.
    const dict = (sets: number) => Buffer.concat([lazy, Buffer.from(`}(${'h\x00K\x01'.repeat(sets)}u.`, 'latin1')]);
    assert.equal((unpickle(dict(1000)) as { reason: string }).reason, 'too_large');
    const once = unpickle(dict(900));
    assert.ok(once.ok && once.value instanceof Map && once.value.size === 1);
  });

  it('the defaults', () => {
    assert.deepEqual(DEFAULT_PICKLE_LIMITS, { maxInputBytes: 1_048_576, maxMemo: 100_000, maxDepth: 100, maxOutputItems: 100_000 });
  });
});
