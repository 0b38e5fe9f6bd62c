import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unpickle } from '../../src/django/pickle.ts';
import { pickleDumps, type PicklableValue } from '../../src/django/pickle-write.ts';
import { pythonJsonLoads } from '../../src/django/python-json.ts';
import { HASHER_VECTOR_FILES, loadHasherVectors } from '../../../../test/helpers/hasher-vectors.ts';

describe('pickleDumps (pickle.dumps for session dicts)', () => {
  for (const file of HASHER_VECTOR_FILES) {
    const vectors = loadHasherVectors(file);
    it(`writes the bytes Django ${vectors.django_version}'s cache backends wrote for login()'s session`, () => {
      for (const c of vectors.cache_pickles) {
        const expected = Buffer.from(c.bytes, 'hex');
        const protocol = expected[1] as 4 | 5;
        // The vector's dict is sorted by key; login() wrote cart and visited before the three auth keys.
        const { cart, visited, _auth_user_id, _auth_user_backend, _auth_user_hash } = c.session as Record<string, PicklableValue>;
        const session = { cart: cart!, visited: visited!, _auth_user_id: _auth_user_id!, _auth_user_backend: _auth_user_backend!, _auth_user_hash: _auth_user_hash! };
        assert.equal(pickleDumps(session, protocol).toString('hex'), c.bytes, c.backend);
      }
    });
  }

  for (const file of HASHER_VECTOR_FILES) {
    const vectors = loadHasherVectors(file);
    it(`writes the bytes Django ${vectors.django_version}'s cache backends wrote for a session of every JSON kind`, () => {
      assert.ok(vectors.cache_pickles_rich.length >= 2);
      for (const c of vectors.cache_pickles_rich) {
        const loaded = pythonJsonLoads(Buffer.from(c.session_json, 'latin1'));
        assert.ok(loaded.ok, c.session_json);
        const session = loaded.value as PicklableValue;
        const expected = Buffer.from(c.bytes, 'hex');
        assert.equal(pickleDumps(session, expected[1] as 4 | 5).toString('hex'), c.bytes, c.backend);
      }
    });
  }

  it('round-trips every JSON kind through the reader, big and nested, framed past 64 KiB', () => {
    const value = {
      none: null, yes: true, no: false, small: 7, medium: 1000, large: 70000, negative: -5, huge: 2n ** 70n, tiny: -(2n ** 40n), float: 1.5,
      text: 'héllo ✓', long: 'x'.repeat(300), list: [1, 'a', [2]], single: ['only'], nested: { a: { a: 1 } },
      many: Array.from({ length: 1500 }, (_, i) => i), big: 'y'.repeat(70_000),
    };
    for (const protocol of [4, 5] as const) {
      const read = unpickle(pickleDumps(value, protocol), { maxInputBytes: 1 << 22 });
      assert.ok(read.ok, read.ok ? '' : read.detail);
      const back = read.value as Record<string, unknown>;
      assert.equal(back.large, 70000);
      assert.equal(back.huge, 2n ** 70n);
      assert.equal(BigInt(back.tiny as number), -(2n ** 40n));
      assert.equal((back.many as unknown[]).length, 1500);
      assert.equal(back.big, 'y'.repeat(70_000));
      assert.equal(JSON.stringify(back.nested), '{"a":{"a":1}}');
    }
  });
});
