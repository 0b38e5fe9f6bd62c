import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { pickleJson } from '../../src/django/pickle-json.ts';
import { unpickle, type PickleLimits, type PickleResult } from '../../src/django/pickle.ts';
import { userLookup } from '../../src/django/get-user.ts';
import { REASONS } from '../../src/django/reasons.ts';
import { decodeSessionData } from '../../src/django/session-data.ts';
import type { DjangoSettings } from '../../src/django/settings.ts';
import { MODEL_BACKEND } from '../../../../test/helpers/django.ts';
import { fastestMs, WORST_CASE_MS } from '../../../../test/helpers/elapsed.ts';
import { signPayload } from '../../../../test/helpers/forge.ts';
import { atLeast } from '../../../../test/helpers/at-least.ts';
import { loadPickleVectors } from '../../../../test/helpers/pickle-vectors.ts';

// The budgets of fuzz.test.ts, the signed-data decoder's fuzzing.
const RUNS = 2000;
const KEY = 'fuzz-secret-key-0123456789';
const SETTINGS: DjangoSettings = {
  secretKey: KEY,
  secretKeyFallbacks: [],
  authenticationBackends: [MODEL_BACKEND],
  acceptLegacy: true,
  sessionCookieAge: 1_209_600,
  maxSessionBytes: 4096,
  serializer: 'pickle',
};
// Small bounds, so that the fuzzer reaches them.
const TIGHT: PickleLimits = { maxInputBytes: 600, maxMemo: 20, maxDepth: 8, maxOutputItems: 300 };

const vectors = loadPickleVectors();
const seeds = atLeast(60, [...vectors.values, ...vectors.refused].map((c) => Buffer.from(c.pickle, 'base64')).filter((b) => b.length <= 500), 'fuzz seeds');

const latin1 = (text: string) => Buffer.from(text, 'latin1');
const u32 = (n: number) => Buffer.from([n & 0xff, (n >> 8) & 0xff, 0, 0]);
const ALLOWED_NAMES = ['datetime\ndatetime', 'datetime\ntimedelta', 'decimal\nDecimal', 'uuid\nUUID', '_codecs\nencode', 'builtins\nset', '__builtin__\nfrozenset', 'copyreg\n_reconstructor', 'django.utils.safestring\nSafeString', 'os\nsystem'];
/** Opcodes with well-formed arguments, so that random sequences of them reach deep into the reader. */
const fragment = fc.oneof(
  fc.constantFrom(...'N\x88\x89](})\x8faestu\x85\x86\x87ld\x90\x91\x94R\x81\x92b012\x93').map(latin1),
  fc.integer({ min: 0, max: 255 }).map((n) => Buffer.from([0x4b, n])),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((n) => Buffer.concat([latin1('J'), Buffer.from(new Int32Array([n]).buffer)])),
  fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.concat([Buffer.from([0x8a, b.length]), b])),
  fc.string({ maxLength: 12 }).map((t) => { const b = Buffer.from(t); return Buffer.concat([Buffer.from([0x8c, b.length]), b]); }),
  fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.concat([Buffer.from([0x43, b.length]), b])),
  fc.constantFrom(...ALLOWED_NAMES).map((name) => latin1(`c${name}\n`)),
  fc.integer({ min: 0, max: 7 }).map((i) => Buffer.from([0x71, i])),
  fc.tuple(fc.integer({ min: 0, max: 7 }), fc.boolean()).map(([i, long]) => (long ? Buffer.concat([latin1('j'), u32(i)]) : Buffer.from([0x68, i]))),
  fc.constantFrom('I01\n', 'I7\n', 'L99999999999999999999L\n', 'F1.5\n', "S'x'\n", 'Vé\n', 'p3\n').map(latin1),
  fc.constantFrom(...[0, 1, 2, 3, 4, 5]).map((v) => Buffer.from([0x80, v])),
);
const opcodeSoup = fc.array(fragment, { maxLength: 60 }).map((parts) => Buffer.concat([...parts, latin1('.')]));

/** A vector's bytes with some bytes changed, inserted or cut. */
const mutated = fc
  .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'cut')), { minLength: 1, maxLength: 4 }))
  .map(([seed, edits]) => {
    let bytes = Buffer.from(seed);
    for (const [at, byte, kind] of edits) {
      const i = bytes.length === 0 ? 0 : at % bytes.length;
      if (kind === 'set' && bytes.length > 0) bytes[i] = byte;
      else if (kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i)]);
      else bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
    }
    return bytes;
  });

const anyPickle = fc.oneof(fc.uint8Array({ maxLength: 400 }).map(Buffer.from), opcodeSoup, mutated, fc.constantFrom(...seeds));

/** Walks a result: only plain data, within the bounds it was read under. */
function assertPlain(value: unknown, limits: PickleLimits): void {
  let items = 0;
  const walk = (node: unknown, depth: number): void => {
    items += 1;
    assert.ok(items <= limits.maxOutputItems, 'more items than maxOutputItems');
    assert.ok(depth <= limits.maxDepth, 'deeper than maxDepth');
    if (node === null || ['boolean', 'number', 'bigint', 'string'].includes(typeof node)) return;
    if (typeof node !== 'object') assert.fail(`a ${typeof node} in the result`);
    if (Buffer.isBuffer(node)) return;
    if (Array.isArray(node)) return node.forEach((item) => walk(item, depth + 1));
    if (node instanceof Map) {
      for (const [key, item] of node) {
        walk(key, depth + 1);
        walk(item, depth + 1);
      }
      return;
    }
    const proto = Object.getPrototypeOf(node);
    assert.ok(proto === null || proto === Object.prototype, 'an object of some class in the result');
    if (proto === Object.prototype) assert.equal(typeof (node as { $type: unknown }).$type, 'string', 'a plain object that is not a tagged value');
    for (const item of Object.values(node)) walk(item, depth + 1);
  };
  walk(value, 0);
}

function assertWellFormed(result: PickleResult, limits: PickleLimits): void {
  if (result.ok) {
    assertPlain(result.value, limits);
    assert.doesNotThrow(() => JSON.stringify(pickleJson(result.value)));
    return;
  }
  assert.ok(['unsupported_pickle', 'bad_pickle', 'too_large'].includes(result.reason), result.reason);
  assert.equal(typeof result.detail, 'string');
  assert.ok(!result.detail.startsWith('decoder gave up'), `the decoder threw: ${result.detail}`);
}

// SESSION_MAX_BYTES' default: the reader's input bound, which the time-limited inputs grow to.
const MAX_BYTES = 1_048_576;
const DEFAULT_LIMITS: PickleLimits = { maxInputBytes: MAX_BYTES, maxMemo: 100_000, maxDepth: 100, maxOutputItems: 100_000 };

/**
 * A text opcode (LONG, INT, FLOAT, GET, PUT, UNICODE, STRING) whose argument is a short unit repeated up to
 * SESSION_MAX_BYTES: long runs of whitespace, digits or escapes are what a rescanning parser is slow on.
 */
const longTextOpcode = fc
  .tuple(
    fc.constantFrom(...'LIFgpVS'),
    fc.string({ unit: fc.constantFrom(...' \t\x0b1_0xX+-.eL\\u\'"'), minLength: 1, maxLength: 4 }),
    fc.string({ maxLength: 3 }),
    fc.integer({ min: 1, max: MAX_BYTES - 10 }),
  )
  .map(([opcode, unit, tail, length]) => latin1(`${opcode}${unit.repeat(Math.ceil(length / unit.length)).slice(0, length)}${tail}\n.`));

describe('fuzzing the pickle reader (pure)', () => {
  it('text opcodes with arguments up to SESSION_MAX_BYTES: each read within the time limit', () => {
    fc.assert(
      fc.property(longTextOpcode, (data) => {
        let result: PickleResult | undefined;
        const ms = fastestMs(() => (result = unpickle(data, DEFAULT_LIMITS)));
        assertWellFormed(result as PickleResult, DEFAULT_LIMITS);
        assert.ok(ms < WORST_CASE_MS, `${data.subarray(0, 20).toString('latin1')}… (${data.length} bytes) took ${ms.toFixed(1)} ms`);
      }),
      { numRuns: 40 },
    );
  });

  it('any bytes, opcode soup or mutated vector: a plain value within the default bounds, or a reason; never a throw', () => {
    fc.assert(
      fc.property(anyPickle, (data) => {
        assertWellFormed(unpickle(data), { maxInputBytes: 1_048_576, maxMemo: 100_000, maxDepth: 100, maxOutputItems: 100_000 });
      }),
      { numRuns: RUNS },
    );
  });

  it('the same under tight bounds: every bound holds', () => {
    fc.assert(
      fc.property(anyPickle, (data) => {
        const result = unpickle(data, TIGHT);
        assertWellFormed(result, TIGHT);
        if (data.length > TIGHT.maxInputBytes) assert.equal(result.ok ? null : result.reason, 'too_large');
      }),
      { numRuns: RUNS },
    );
  });

  it('reading is deterministic', () => {
    fc.assert(
      fc.property(anyPickle, (data) => {
        assert.deepEqual(unpickle(data), unpickle(data));
      }),
      { numRuns: RUNS / 4 },
    );
  });

  it('any pickle under a valid signature: a session or a known reason, never a throw, never a login', () => {
    fc.assert(
      fc.property(anyPickle, fc.boolean(), (data, compressed) => {
        const signed = signPayload(compressed ? deflateSync(data) : data, { key: KEY, compressed });
        const decoded = decodeSessionData(signed, SETTINGS);
        if (!decoded.ok) {
          assert.ok((REASONS as readonly string[]).includes(decoded.reason), decoded.reason);
          return;
        }
        assert.equal(Object.getPrototypeOf(decoded.session), null);
        const lookup = userLookup(decoded.session, SETTINGS);
        assert.ok(lookup.kind === 'anonymous' || typeof lookup.userId === 'bigint');
      }),
      { numRuns: RUNS },
    );
  });
});
