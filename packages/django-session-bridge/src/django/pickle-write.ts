// pickle.dumps(obj, protocol) for what a JSON-serialisable session holds (None, bool, int, float, str, list,
// dict with str keys), byte for byte as CPython 3's pickler writes it, framing included: what Django's cache
// backends store for a session dict.

/** A value pickleDumps can write: what a session dict from JSONSerializer can hold. */
export type PicklableValue = null | boolean | number | bigint | string | readonly PicklableValue[] | { readonly [key: string]: PicklableValue };

const FRAME_SIZE_TARGET = 64 * 1024;
const FRAME_SIZE_MIN = 4;
const BATCH_SIZE = 1000;

const op = {
  PROTO: 0x80, FRAME: 0x95, STOP: 0x2e, NONE: 0x4e, NEWTRUE: 0x88, NEWFALSE: 0x89,
  BININT1: 0x4b, BININT2: 0x4d, BININT: 0x4a, LONG1: 0x8a, LONG4: 0x8b, BINFLOAT: 0x47,
  SHORT_BINUNICODE: 0x8c, BINUNICODE: 0x58, EMPTY_LIST: 0x5d, EMPTY_DICT: 0x7d, MARK: 0x28,
  APPEND: 0x61, APPENDS: 0x65, SETITEM: 0x73, SETITEMS: 0x75, MEMOIZE: 0x94, BINGET: 0x68, LONG_BINGET: 0x6a,
} as const;

class Framer {
  private readonly out: Buffer[] = [];
  private frame: Buffer[] = [];
  private frameLength = 0;

  write(...chunks: Buffer[]): void {
    for (const chunk of chunks) {
      this.frame.push(chunk);
      this.frameLength += chunk.length;
    }
  }

  /** _Framer.commit_frame: a frame is closed once it reaches the target, or at the end (force). */
  commit(force = false): void {
    if (this.frameLength < FRAME_SIZE_TARGET && !force) return;
    if (this.frameLength >= FRAME_SIZE_MIN) {
      const header = Buffer.alloc(9);
      header[0] = op.FRAME;
      header.writeBigUInt64LE(BigInt(this.frameLength), 1);
      this.out.push(header);
    }
    this.out.push(...this.frame);
    this.frame = [];
    this.frameLength = 0;
  }

  /** _write_large_bytes: a payload past the frame target goes out unframed, after the current frame. */
  writeLarge(header: Buffer, payload: Buffer): void {
    this.commit(true);
    this.out.push(header, payload);
  }

  result(): Buffer {
    this.commit(true);
    return Buffer.concat(this.out);
  }
}

function byte(value: number): Buffer {
  return Buffer.from([value]);
}

// encode_long: minimal two's-complement little-endian bytes.
function encodeLong(value: bigint): Buffer {
  if (value === 0n) return Buffer.alloc(0);
  const bits = value < 0n ? (-value - 1n).toString(2).length : value.toString(2).length;
  const length = (bits >> 3) + 1;
  const out = Buffer.alloc(length);
  let rest = BigInt.asUintN(length * 8, value);
  for (let i = 0; i < length; i += 1) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  if (value < 0n && length > 1 && out[length - 1] === 0xff && (out[length - 2]! & 0x80) !== 0) return out.subarray(0, length - 1);
  return out;
}

/**
 * pickle.dumps(value, protocol) for protocol 4 (django-redis's PickleSerializer on Python 3.8+) or 5 (Django's
 * RedisCache, pymemcache). Dict keys equal to one seen before are written as memo references, as the keys of
 * a dict json.loads made are one object each (its key memo), and so is every empty or one-character Latin-1
 * string (CPython's singletons); other strings are written out each time.
 */
export function pickleDumps(value: PicklableValue, protocol: 4 | 5): Buffer {
  const framer = new Framer();
  const keyMemo = new Map<string, number>();
  // CPython keeps one object per empty or one-character Latin-1 string: every use is the same memo entry.
  const singletons = new Map<string, number>();
  const isSingleton = (text: string): boolean => text.length === 0 || (text.length === 1 && text.charCodeAt(0) < 256);
  let memoSize = 0;
  const memoize = (): number => {
    framer.write(byte(op.MEMOIZE));
    return memoSize++;
  };

  const saveString = (text: string): void => {
    const encoded = Buffer.from(text, 'utf8');
    if (encoded.length <= 0xff) {
      framer.write(Buffer.from([op.SHORT_BINUNICODE, encoded.length]), encoded);
    } else {
      const header = Buffer.alloc(5);
      header[0] = op.BINUNICODE;
      header.writeUInt32LE(encoded.length, 1);
      if (encoded.length >= FRAME_SIZE_TARGET) framer.writeLarge(header, encoded);
      else framer.write(header, encoded);
    }
  };

  const memoGet = (seen: number): void => {
    if (seen < 256) framer.write(Buffer.from([op.BINGET, seen]));
    else {
      const ref = Buffer.alloc(5);
      ref[0] = op.LONG_BINGET;
      ref.writeUInt32LE(seen, 1);
      framer.write(ref);
    }
  };

  /** A str: a memo reference when the same object was written before, else the text and a memo entry. */
  const saveText = (text: string, memo: Map<string, number> | null): void => {
    const table = isSingleton(text) ? singletons : memo;
    const seen = table?.get(text);
    if (seen !== undefined) return memoGet(seen);
    saveString(text);
    const index = memoize();
    table?.set(text, index);
  };

  const saveKey = (key: string): void => {
    framer.commit();
    saveText(key, keyMemo);
  };

  const saveInteger = (integer: bigint): void => {
    if (integer >= 0n && integer <= 0xffn) return framer.write(Buffer.from([op.BININT1, Number(integer)]));
    if (integer >= 0n && integer <= 0xffffn) {
      const out = Buffer.alloc(3);
      out[0] = op.BININT2;
      out.writeUInt16LE(Number(integer), 1);
      return framer.write(out);
    }
    if (integer >= -0x80000000n && integer <= 0x7fffffffn) {
      const out = Buffer.alloc(5);
      out[0] = op.BININT;
      out.writeInt32LE(Number(integer), 1);
      return framer.write(out);
    }
    const encoded = encodeLong(integer);
    if (encoded.length < 256) return framer.write(Buffer.from([op.LONG1, encoded.length]), encoded);
    const header = Buffer.alloc(5);
    header[0] = op.LONG4;
    header.writeUInt32LE(encoded.length, 1);
    framer.write(header, encoded);
  };

  const save = (item: PicklableValue): void => {
    framer.commit();
    if (item === null) return framer.write(byte(op.NONE));
    if (item === true) return framer.write(byte(op.NEWTRUE));
    if (item === false) return framer.write(byte(op.NEWFALSE));
    if (typeof item === 'bigint') return saveInteger(item);
    if (typeof item === 'number') {
      if (Number.isInteger(item)) return saveInteger(BigInt(item));
      const out = Buffer.alloc(9);
      out[0] = op.BINFLOAT;
      out.writeDoubleBE(item, 1);
      return framer.write(out);
    }
    if (typeof item === 'string') return saveText(item, null);
    const isList = Array.isArray(item);
    framer.write(byte(isList ? op.EMPTY_LIST : op.EMPTY_DICT));
    memoize();
    const entries: (readonly [string | null, PicklableValue])[] = isList
      ? (item as readonly PicklableValue[]).map((element) => [null, element] as const)
      : Object.entries(item as { readonly [key: string]: PicklableValue });
    for (let start = 0; ; start += BATCH_SIZE) {
      const batch = entries.slice(start, start + BATCH_SIZE);
      if (batch.length > 1) framer.write(byte(op.MARK));
      for (const [key, element] of batch) {
        if (key !== null) saveKey(key);
        save(element);
      }
      if (batch.length > 1) framer.write(byte(isList ? op.APPENDS : op.SETITEMS));
      else if (batch.length === 1) framer.write(byte(isList ? op.APPEND : op.SETITEM));
      if (batch.length < BATCH_SIZE) break;
    }
  };

  save(value);
  framer.write(byte(op.STOP));
  // PROTO goes out before framing starts: the first frame begins after it.
  return Buffer.concat([Buffer.from([op.PROTO, protocol]), framer.result()]);
}
