/**
 * A reader for Python pickles (protocols 0-5) that can only ever produce plain data. It is a decoder,
 * not an unpickler: it imports, calls and instantiates nothing. GLOBAL and STACK_GLOBAL are matched
 * against an allow-list, and the allow-listed names are only accepted in the reconstruction shapes
 * CPython's pickler writes for them (pickle-classes.ts); anything else is `unsupported_pickle`.
 *
 * Value mapping:
 *   None → null · bool → boolean · int → number when a safe integer, else bigint · float → number
 *   str (and Django's SafeString/SafeText) → string · bytes, bytearray → Buffer
 *   list, tuple → array · set, frozenset → array (Python's equality decides what is a duplicate)
 *   dict → a null-prototype object when every key is a str (what sessions hold), otherwise a Map
 *   datetime.datetime → { $type: 'datetime', value: isoformat() }, e.g. '2024-01-02T03:04:05.678901+00:00'
 *   datetime.date → { $type: 'date', value: '2024-01-02' } · datetime.time → { $type: 'time', value: '03:04:05' }
 *   datetime.timedelta → { $type: 'timedelta', days, seconds, microseconds } (Python's normalised fields)
 *   datetime.timezone, pytz zones → { $type: 'timezone', value: '+05:30' } (only as offsets; names dropped)
 *   decimal.Decimal → { $type: 'decimal', value: the string it was pickled with, str(d) }
 *   uuid.UUID → { $type: 'uuid', value: '12345678-1234-5678-1234-567812345678' }
 *   gettext_lazy(msg) → { $type: 'gettext_lazy', value: msg } (untranslated)
 * A datetime's fold is not kept (isoformat() does not show it either). Shared references are expanded,
 * so the result is a tree; a structure that contains itself is `unsupported_pickle`.
 *
 * Bounds: the input size; the memo's entries; the nesting of MARKs and of the result; and the size of
 * the fully expanded result (each value one unit, plus one per 64 characters of text, bytes or hex
 * digits; hashing dict keys and set members is charged to the same budget). Past one: `too_large`.
 */
import { allowedGlobal, build, newObject, reduce } from './pickle-classes.ts';
import {
  asciiOnly,
  decodeQuotedString,
  decodeRawUnicodeEscape,
  decodeUtf8SurrogatePass,
  parseIntOpcode,
  parsePythonFloat,
  parsePythonInt,
} from './pickle-text.ts';
import { bad, Hasher, PickleError, PyByteArray, PyDict, PySet, PyTuple, toPlain, tooLarge, unsupported, type PickleFailure } from './pickle-values.ts';

/** Bounds on what one unpickle may read and build. */
export interface PickleLimits {
  maxInputBytes: number;
  maxMemo: number;
  maxDepth: number;
  maxOutputItems: number;
}

/** The unpickler's default bounds on input, output and nesting. */
export const DEFAULT_PICKLE_LIMITS: PickleLimits = Object.freeze({
  maxInputBytes: 1_048_576,
  maxMemo: 100_000,
  maxDepth: 100,
  maxOutputItems: 100_000,
});

/** An unpickled value, or why the pickle was refused. */
export type PickleResult = { ok: true; value: unknown } | { ok: false; reason: PickleFailure; detail: string };

const HIGHEST_PROTOCOL = 5;

/** Decodes one pickle, like pickle.loads (bytes after STOP are ignored), into plain values. */
export function unpickle(data: Uint8Array, limits: Partial<PickleLimits> = {}): PickleResult {
  const bounds = { ...DEFAULT_PICKLE_LIMITS };
  for (const [name, value] of Object.entries(limits)) if (value !== undefined) bounds[name as keyof PickleLimits] = value;
  if (data.length > bounds.maxInputBytes) return { ok: false, reason: 'too_large', detail: `pickle of ${data.length} bytes, more than ${bounds.maxInputBytes}` };
  try {
    return { ok: true, value: new Decoder(Buffer.from(data.buffer, data.byteOffset, data.length), bounds).run() };
  } catch (error) {
    if (error instanceof PickleError) return { ok: false, reason: error.reason, detail: error.detail };
    // Only an exhausted engine gets here (e.g. an allocation refused): still a verdict, never a throw.
    return { ok: false, reason: 'too_large', detail: `decoder gave up: ${(error as Error).message}` };
  }
}

class Decoder {
  private at = 0;
  private protocol = 0;
  private stack: unknown[] = [];
  private readonly marks: unknown[][] = [];
  private readonly memo = new Map<number, unknown>();
  private spent = 0;
  private readonly hasher: Hasher;

  constructor(
    private readonly data: Buffer,
    private readonly limits: PickleLimits,
  ) {
    this.hasher = new Hasher((units) => this.charge(units), limits.maxDepth);
  }

  private charge(units: number): void {
    this.spent += units;
    if (this.spent > this.limits.maxOutputItems) throw tooLarge(`result larger than ${this.limits.maxOutputItems} items`);
  }

  run(): unknown {
    for (;;) {
      const op = this.byte();
      if (op === 0x2e) return toPlain(this.pop(), { maxDepth: this.limits.maxDepth, charge: (units) => this.charge(units) }); // STOP '.'
      this.step(op);
    }
  }

  // ----- input -----

  private take(size: number): Buffer {
    if (size > this.data.length - this.at) throw bad('pickle data was truncated');
    const bytes = this.data.subarray(this.at, this.at + size);
    this.at += size;
    return bytes;
  }

  // Fixed-width reads go straight to the input, without a view per opcode.
  private fixed(width: number): number {
    if (width > this.data.length - this.at) throw bad('pickle data was truncated');
    const at = this.at;
    this.at += width;
    return at;
  }

  private byte(): number {
    return this.data.readUInt8(this.fixed(1));
  }

  private line(): Buffer {
    const end = this.data.indexOf(0x0a, this.at);
    if (end < 0) throw bad('pickle data was truncated');
    const bytes = this.data.subarray(this.at, end);
    this.at = end + 1;
    return bytes;
  }

  /** A little-endian unsigned length of 1, 4 or 8 bytes, which the data must still hold. */
  private size(width: 1 | 4 | 8): number {
    const at = this.fixed(width);
    const value = width === 8 ? this.data.readBigUInt64LE(at) : this.data.readUIntLE(at, width);
    if (value > this.data.length - this.at) throw bad('pickle data was truncated');
    return Number(value);
  }

  private signedSize(): number {
    const value = this.data.readInt32LE(this.fixed(4));
    if (value < 0) throw bad('negative byte count');
    return value;
  }

  // ----- stack, marks, memo -----

  private push(value: unknown): void {
    this.stack.push(value);
  }

  private pop(): unknown {
    if (this.stack.length === 0) throw bad('unpickling stack underflow');
    return this.stack.pop();
  }

  private top(): unknown {
    if (this.stack.length === 0) throw bad('unpickling stack underflow');
    return this.stack[this.stack.length - 1];
  }

  private mark(): void {
    if (this.marks.length >= this.limits.maxDepth) throw tooLarge(`MARKs nested deeper than ${this.limits.maxDepth}`);
    this.marks.push(this.stack);
    this.stack = [];
  }

  private popMark(): unknown[] {
    const outer = this.marks.pop();
    if (outer === undefined) throw bad('could not find MARK');
    const items = this.stack;
    this.stack = outer;
    return items;
  }

  private put(index: bigint | number): void {
    if (index < 0 || index > Number.MAX_SAFE_INTEGER) throw bad('memo index out of range');
    const key = Number(index);
    if (!this.memo.has(key) && this.memo.size >= this.limits.maxMemo) throw tooLarge(`memo of more than ${this.limits.maxMemo} entries`);
    this.memo.set(key, this.top());
  }

  private get(index: bigint | number): void {
    const key = Number(index);
    if (!this.memo.has(key)) throw bad(`memo value ${index} not found`);
    this.push(this.memo.get(key));
  }

  private textIndex(): bigint {
    const index = parsePythonInt(this.line(), 10);
    if (index === null) throw bad('invalid memo index');
    return index;
  }

  // ----- values -----

  private int(value: bigint): number | bigint {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  }

  /** LONG1/LONG4: little-endian two's complement. */
  private long(bytes: Buffer): number | bigint {
    if (bytes.length === 0) return 0;
    const value = BigInt(`0x${Buffer.from(bytes).reverse().toString('hex')}`);
    const negative = (bytes.readUInt8(bytes.length - 1) & 0x80) !== 0;
    return this.int(negative ? value - (1n << BigInt(bytes.length * 8)) : value);
  }

  private text(decoded: string | null, what: string): string {
    if (decoded === null) throw bad(`${what} is not valid text`);
    return decoded;
  }

  private list(): unknown[] {
    const list = this.top();
    if (!Array.isArray(list)) throw bad('APPEND to something that is not a list');
    return list;
  }

  private dict(): PyDict {
    const dict = this.top();
    if (!(dict instanceof PyDict)) throw bad('SETITEM on something that is not a dict');
    return dict;
  }

  private setItems(dict: PyDict, items: readonly unknown[]): void {
    if (items.length % 2 !== 0) throw bad('odd number of items for a dict');
    for (let i = 0; i < items.length; i += 2) this.hasher.setItem(dict, items[i], items[i + 1]);
  }

  private replaceTop(make: (top: unknown) => unknown): void {
    this.push(make(this.pop()));
  }

  private step(op: number): void {
    switch (op) {
      case 0x80: {
        // PROTO
        const version = this.byte();
        if (version > HIGHEST_PROTOCOL) throw unsupported(`pickle protocol ${version}`);
        this.protocol = version;
        return;
      }
      case 0x95: // FRAME: only a promise of the next bytes, which must be there.
        this.size(8);
        return;
      case 0x28: // MARK '('
        return this.mark();
      case 0x30: // POP '0': Python pops a MARK when the stack above it is empty.
        if (this.stack.length === 0 && this.marks.length > 0) this.popMark();
        else this.pop();
        return;
      case 0x31: // POP_MARK '1'
        this.popMark();
        return;
      case 0x32: // DUP '2'
        return this.push(this.top());

      case 0x4e: // NONE 'N'
        return this.push(null);
      case 0x88: // NEWTRUE
        return this.push(true);
      case 0x89: // NEWFALSE
        return this.push(false);
      case 0x49: {
        // INT 'I'
        const value = parseIntOpcode(this.line());
        if (value === null) throw bad('invalid INT');
        return this.push(typeof value === 'boolean' ? value : this.int(value));
      }
      case 0x4a: // BININT 'J'
        return this.push(this.data.readInt32LE(this.fixed(4)));
      case 0x4b: // BININT1 'K'
        return this.push(this.byte());
      case 0x4d: // BININT2 'M'
        return this.push(this.data.readUInt16LE(this.fixed(2)));
      case 0x4c: {
        // LONG 'L': int(s, 0), with Python 2's trailing L dropped.
        let line = this.line();
        if (line.length > 1 && line[line.length - 1] === 0x4c) line = line.subarray(0, -1);
        const value = parsePythonInt(line, 0);
        if (value === null) throw bad('invalid LONG');
        return this.push(this.int(value));
      }
      case 0x8a: // LONG1
        return this.push(this.long(this.take(this.size(1))));
      case 0x8b: // LONG4
        return this.push(this.long(this.take(this.signedSize())));
      case 0x46: {
        // FLOAT 'F'
        const value = parsePythonFloat(this.line());
        if (value === null) throw bad('invalid FLOAT');
        return this.push(value);
      }
      case 0x47: // BINFLOAT 'G'
        return this.push(this.data.readDoubleBE(this.fixed(8)));

      case 0x56: // UNICODE 'V'
        return this.push(this.text(decodeRawUnicodeEscape(this.line()), 'UNICODE'));
      case 0x8c: // SHORT_BINUNICODE
        return this.push(this.text(decodeUtf8SurrogatePass(this.take(this.size(1))), 'SHORT_BINUNICODE'));
      case 0x58: // BINUNICODE 'X'
        return this.push(this.text(decodeUtf8SurrogatePass(this.take(this.size(4))), 'BINUNICODE'));
      case 0x8d: // BINUNICODE8
        return this.push(this.text(decodeUtf8SurrogatePass(this.take(this.size(8))), 'BINUNICODE8'));
      case 0x53: // STRING 'S'
        return this.push(this.text(decodeQuotedString(this.line()), 'STRING'));
      case 0x54: // BINSTRING 'T'
        return this.push(this.text(asciiOnly(this.take(this.signedSize()).toString('latin1')), 'BINSTRING'));
      case 0x55: // SHORT_BINSTRING 'U'
        return this.push(this.text(asciiOnly(this.take(this.size(1)).toString('latin1')), 'SHORT_BINSTRING'));
      case 0x43: // SHORT_BINBYTES 'C'
        return this.push(Buffer.from(this.take(this.size(1))));
      case 0x42: // BINBYTES 'B'
        return this.push(Buffer.from(this.take(this.size(4))));
      case 0x8e: // BINBYTES8
        return this.push(Buffer.from(this.take(this.size(8))));
      case 0x96: // BYTEARRAY8
        return this.push(new PyByteArray(Buffer.from(this.take(this.size(8)))));

      case 0x5d: // EMPTY_LIST ']'
        return this.push([]);
      case 0x6c: // LIST 'l'
        return this.push(this.popMark());
      case 0x61: {
        // APPEND 'a'
        const item = this.pop();
        this.list().push(item);
        return;
      }
      case 0x65: {
        // APPENDS 'e'
        const items = this.popMark();
        const list = this.list();
        for (const item of items) list.push(item);
        return;
      }
      case 0x29: // EMPTY_TUPLE ')'
        return this.push(new PyTuple([]));
      case 0x74: // TUPLE 't'
        return this.push(new PyTuple(this.popMark()));
      case 0x85: // TUPLE1
        return this.push(new PyTuple([this.pop()]));
      case 0x86: {
        // TUPLE2
        const second = this.pop();
        return this.push(new PyTuple([this.pop(), second]));
      }
      case 0x87: {
        // TUPLE3
        const third = this.pop();
        const second = this.pop();
        return this.push(new PyTuple([this.pop(), second, third]));
      }
      case 0x7d: // EMPTY_DICT '}'
        return this.push(new PyDict());
      case 0x64: {
        // DICT 'd'
        const items = this.popMark();
        const dict = new PyDict();
        this.setItems(dict, items);
        return this.push(dict);
      }
      case 0x73: {
        // SETITEM 's'
        const value = this.pop();
        const key = this.pop();
        this.hasher.setItem(this.dict(), key, value);
        return;
      }
      case 0x75: {
        // SETITEMS 'u'
        const items = this.popMark();
        this.setItems(this.dict(), items);
        return;
      }
      case 0x8f: // EMPTY_SET
        return this.push(new PySet(false));
      case 0x90: {
        // ADDITEMS
        const items = this.popMark();
        const set = this.top();
        if (!(set instanceof PySet) || set.frozen) throw bad('ADDITEMS to something that is not a set');
        this.hasher.addAll(set, items);
        return;
      }
      case 0x91: {
        // FROZENSET
        const set = new PySet(true);
        this.hasher.addAll(set, this.popMark());
        return this.push(set);
      }

      case 0x70: // PUT 'p'
        return this.put(this.textIndex());
      case 0x71: // BINPUT 'q'
        return this.put(this.byte());
      case 0x72: // LONG_BINPUT 'r'
        return this.put(this.data.readUInt32LE(this.fixed(4)));
      case 0x94: // MEMOIZE
        return this.put(this.memo.size);
      case 0x67: // GET 'g'
        return this.get(this.textIndex());
      case 0x68: // BINGET 'h'
        return this.get(this.byte());
      case 0x6a: // LONG_BINGET 'j'
        return this.get(this.data.readUInt32LE(this.fixed(4)));

      case 0x63: {
        // GLOBAL 'c'
        const module = this.text(decodeUtf8SurrogatePass(this.line()), 'GLOBAL module');
        const name = this.text(decodeUtf8SurrogatePass(this.line()), 'GLOBAL name');
        return this.push(allowedGlobal(module, name, this.protocol));
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = this.pop();
        const module = this.pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw bad('STACK_GLOBAL requires str');
        return this.push(allowedGlobal(module, name, this.protocol));
      }
      case 0x52: {
        // REDUCE 'R'
        const args = this.pop();
        return this.replaceTop((callable) => reduce(callable, args, this.hasher));
      }
      case 0x81: {
        // NEWOBJ
        const args = this.pop();
        return this.replaceTop((cls) => newObject(cls, args));
      }
      case 0x92: {
        // NEWOBJ_EX
        const kwargs = this.pop();
        const args = this.pop();
        return this.replaceTop((cls) => newObject(cls, args, kwargs));
      }
      case 0x62: {
        // BUILD 'b'
        const state = this.pop();
        build(this.top(), state);
        return;
      }

      case 0x69: // INST 'i'
      case 0x6f: // OBJ 'o'
        throw unsupported('INST/OBJ instantiate a class');
      case 0x50: // PERSID 'P'
      case 0x51: // BINPERSID 'Q'
        throw unsupported('persistent ids');
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
        throw unsupported('extension registry codes');
      case 0x97: // NEXT_BUFFER
      case 0x98: // READONLY_BUFFER
        throw unsupported('out-of-band buffers');
      default:
        throw bad(`invalid load key 0x${op.toString(16).padStart(2, '0')}`);
    }
  }
}
