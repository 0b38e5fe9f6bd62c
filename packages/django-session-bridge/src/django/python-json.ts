import { MAX_INT_STR_DIGITS } from './python-limits.ts';

/** json.dumps's `separators`: between items, and between a key and its value. */
export type JsonSeparators = readonly [item: string, key: string];

/** json.dumps(obj, separators=(',', ':')): what Django's JSONSerializer passes. */
export const COMPACT_SEPARATORS: JsonSeparators = [',', ':'];

/** json.dumps's default separators, as django-redis's JSONSerializer writes. */
export const DEFAULT_SEPARATORS: JsonSeparators = [', ', ': '];

/** A str as ensure_ascii writes it: every character outside printable ASCII as \uXXXX (UTF-16 units, lowercase hex). */
function pythonJsonString(text: string): string {
  return JSON.stringify(text).replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * float.__repr__ (what json.dumps writes for a float): the shortest digits that read back the same, as
 * JavaScript's, but in exponent form below 1e-4 and from 1e16 on, with at least two exponent digits.
 * allow_nan writes NaN, Infinity and -Infinity.
 */
function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (Object.is(value, -0)) return '-0.0';
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e16)) {
    const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
    return `${mantissa}e${exponent[0]}${exponent.slice(1).padStart(2, '0')}`;
  }
  const text = String(value);
  return Number.isInteger(value) ? `${text}.0` : text;
}

/**
 * json.dumps(obj, separators=…) with Python's defaults (ensure_ascii, allow_nan), for what parsePythonJson
 * reads: bigints as their digits, NaN and the infinities as Python writes them, floats as float.__repr__. A
 * number that is a safe integer is written as an int: a float such as 2.0 reads back as 2 and is written
 * so (JavaScript keeps no difference). Members whose value is undefined are left out, and toJSON() is
 * honoured, as in JSON.stringify.
 */
export function pythonJsonDumps(obj: unknown, separators: JsonSeparators = COMPACT_SEPARATORS): string {
  const [item, key] = separators;
  const write = (value: unknown): string => {
    if (value === null) return 'null';
    switch (typeof value) {
      case 'string':
        return pythonJsonString(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'bigint':
        return value.toString();
      case 'number':
        return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : pythonFloat(value);
      case 'object': {
        const json = (value as { toJSON?: () => unknown }).toJSON;
        if (typeof json === 'function') return write(json.call(value));
        if (Array.isArray(value)) return `[${value.map((element) => (element === undefined ? 'null' : write(element))).join(item)}]`;
        const members = Object.entries(value).filter((entry) => entry[1] !== undefined);
        return `{${members.map(([name, member]) => `${pythonJsonString(name)}${key}${write(member)}`).join(item)}}`;
      }
      default:
        throw new TypeError(`Object of type ${typeof value} is not JSON serializable`);
    }
  };
  return write(obj);
}

/**
 * How deeply arrays and objects may nest. CPython's json raises RecursionError somewhere below
 * sys.getrecursionlimit() (1000), less whatever the request's own stack already uses; deeper than this
 * is refused here, so nothing Django refuses is ever read as a session.
 */
export const PYTHON_JSON_MAX_DEPTH = 500;

/** What json.loads returned, or why it raised. */
export type PythonJsonResult = { ok: true; value: unknown } | { ok: false; error: string };

/** A list or dict still being read: one shape for both, which keeps V8's property access monomorphic. */
class Open {
  constructor(
    readonly list: unknown[] | null,
    readonly dict: Record<string, unknown> | null,
    public key: string,
  ) {}
}

class JsonError extends Error {}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** A dict's item, last duplicate winning; a "__proto__" key is an ordinary key, as JSON.parse makes it. */
function setItem(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

/**
 * One pass over the text, with an explicit stack of open containers instead of recursion. `at` moves
 * forward only, and each step does a bounded amount of work, so the time is linear in the length.
 */
class Reader {
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  /** json's WHITESPACE: only these four, as in JSON itself. */
  private skipSpace(): void {
    for (;;) {
      const code = this.text.charCodeAt(this.at);
      if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return;
      this.at += 1;
    }
  }

  private expect(word: string, value: unknown): unknown {
    if (!this.text.startsWith(word, this.at)) throw new JsonError(`Expecting value at ${this.at}`);
    this.at += word.length;
    return value;
  }

  private skipDigits(): void {
    while (isDigit(this.text.charCodeAt(this.at))) this.at += 1;
  }

  /**
   * The string token here. JSON strings and Python's (strict=True) agree: the same escapes, no raw
   * control characters, lone surrogates kept. So V8 decodes the token, once one scan finds its end.
   */
  private string(): string {
    const start = this.at;
    let i = start + 1;
    let plain = true;
    for (;;) {
      const code = this.text.charCodeAt(i);
      if (code === 0x22) break;
      if (Number.isNaN(code)) throw new JsonError(`Unterminated string starting at ${start}`);
      // Escapes and raw control characters (which strict json.loads refuses) go to JSON.parse.
      if (code === 0x5c || code < 0x20) {
        plain = false;
        i += code === 0x5c ? 2 : 1;
      } else i += 1;
    }
    this.at = i + 1;
    if (plain) return this.text.slice(start + 1, i);
    try {
      return JSON.parse(this.text.slice(start, i + 1)) as string;
    } catch {
      throw new JsonError(`Invalid string starting at ${start}`);
    }
  }

  /**
   * json's NUMBER_RE, -?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?, scanned by hand: a fraction or exponent
   * without digits is not part of the number (what follows it is then an error).
   */
  private number(): unknown {
    const { text } = this;
    const start = this.at;
    if (text.charCodeAt(this.at) === 0x2d) this.at += 1;
    const first = text.charCodeAt(this.at);
    if (!isDigit(first)) throw new JsonError(`Expecting value at ${start}`);
    if (first === 0x30) this.at += 1;
    else this.skipDigits();
    const integerEnd = this.at;
    if (text.charCodeAt(this.at) === 0x2e && isDigit(text.charCodeAt(this.at + 1))) {
      this.at += 1;
      this.skipDigits();
    }
    const exponent = text.charCodeAt(this.at);
    if (exponent === 0x65 || exponent === 0x45) {
      const sign = text.charCodeAt(this.at + 1);
      const digits = sign === 0x2b || sign === 0x2d ? this.at + 2 : this.at + 1;
      if (isDigit(text.charCodeAt(digits))) {
        this.at = digits;
        this.skipDigits();
      }
    }
    const token = text.slice(start, this.at);
    // float() for a fraction or an exponent, which overflows to inf; int() otherwise, within its digit limit.
    if (this.at !== integerEnd) return Number(token);
    if (integerEnd - start - (token.charCodeAt(0) === 0x2d ? 1 : 0) > MAX_INT_STR_DIGITS) {
      throw new JsonError(`Exceeds the limit (${MAX_INT_STR_DIGITS} digits) for integer string conversion`);
    }
    const number = Number(token);
    return Number.isSafeInteger(number) ? number + 0 : BigInt(token);
  }

  /** A string, constant or number here; containers are opened by read(). */
  private scalar(): unknown {
    switch (this.text.charCodeAt(this.at)) {
      case 0x22: return this.string();
      case 0x6e: return this.expect('null', null);
      case 0x74: return this.expect('true', true);
      case 0x66: return this.expect('false', false);
      case 0x4e: return this.expect('NaN', Number.NaN);
      case 0x49: return this.expect('Infinity', Infinity);
      case 0x2d: return this.text.charCodeAt(this.at + 1) === 0x49 ? this.expect('-Infinity', -Infinity) : this.number();
      default: return this.number();
    }
  }

  /** A key and its ':' here, leaving `at` where its value starts. */
  private key(): string {
    if (this.text.charCodeAt(this.at) !== 0x22) throw new JsonError(`Expecting property name enclosed in double quotes at ${this.at}`);
    const key = this.string();
    this.skipSpace();
    if (this.text.charCodeAt(this.at) !== 0x3a) throw new JsonError(`Expecting ':' delimiter at ${this.at}`);
    this.at += 1;
    this.skipSpace();
    return key;
  }

  read(): unknown {
    const { text } = this;
    if (text.charCodeAt(0) === 0xfeff) throw new JsonError('Unexpected UTF-8 BOM (decode using utf-8-sig)');
    const open: Open[] = [];
    this.skipSpace();
    for (;;) {
      // A value starts here: open a container, or read a scalar (an empty container is one).
      let value: unknown;
      const code = text.charCodeAt(this.at);
      if (code === 0x7b || code === 0x5b) {
        if (open.length >= this.maxDepth) throw new JsonError(`nested deeper than ${this.maxDepth}`);
        this.at += 1;
        this.skipSpace();
        const close = text.charCodeAt(this.at);
        if (code === 0x5b && close === 0x5d) value = [];
        else if (code === 0x7b && close === 0x7d) value = {};
        else {
          open.push(code === 0x5b ? new Open([], null, '') : new Open(null, {}, this.key()));
          continue;
        }
        this.at += 1;
      } else value = this.scalar();
      // Hand the value to the containers it completes, until one expects another item.
      for (;;) {
        const top = open[open.length - 1];
        if (top === undefined) {
          this.skipSpace();
          if (this.at !== text.length) throw new JsonError(`Extra data at ${this.at}`);
          return value;
        }
        const { list, dict } = top;
        if (list !== null) list.push(value);
        else setItem(dict as Record<string, unknown>, top.key, value);
        this.skipSpace();
        const delimiter = text.charCodeAt(this.at);
        this.at += 1;
        if (delimiter === 0x2c) {
          this.skipSpace();
          if (dict !== null) top.key = this.key();
          break;
        }
        if (delimiter !== (list !== null ? 0x5d : 0x7d)) throw new JsonError(`Expecting ',' delimiter at ${this.at - 1}`);
        open.pop();
        value = list ?? dict;
      }
    }
  }
}

/**
 * Whether JSON.parse reads the text exactly as json.loads does: no NaN or Infinity, no integer long
 * enough to lose precision, no "-0" (an int zero to Python), and no deeper nesting than allowed. Most
 * sessions are such text, and V8's native parser reads them several times faster than Reader. One scan;
 * where it cannot tell, Reader decides.
 */
function isPlainJson(text: string, maxDepth: number): boolean {
  let depth = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      // Skip the string: its contents are JSON's own.
      for (i += 1; i < text.length; i += 1) {
        const inner = text.charCodeAt(i);
        if (inner === 0x22) break;
        if (inner === 0x5c) i += 1;
      }
      digits = 0;
    } else if (isDigit(code)) {
      // 15 digits always fit a double exactly.
      if (++digits > 15) return false;
    } else {
      digits = 0;
      if (code === 0x7b || code === 0x5b) {
        if (++depth > maxDepth) return false;
      } else if (code === 0x7d || code === 0x5d) depth -= 1;
      else if (code === 0x4e || code === 0x49 || (code === 0x2d && text.charCodeAt(i + 1) === 0x30)) return false;
    }
  }
  return true;
}

/**
 * json.loads(text) with its defaults, as Django's JSONSerializer and django-redis read sessions: NaN,
 * Infinity and -Infinity are numbers, a duplicated key keeps its last value, \u escapes may leave lone
 * surrogates, whitespace is only space, tab, CR and LF, and an integer past 4,300 digits raises. Integers
 * beyond 2^53 are bigints, so none is silently rounded. In linear time, iteratively, and refusing to nest
 * deeper than `maxDepth`.
 */
export function parsePythonJson(text: string, maxDepth = PYTHON_JSON_MAX_DEPTH): PythonJsonResult {
  if (isPlainJson(text, maxDepth)) {
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      // Not JSON: Reader says why, in json's words.
    }
  }
  try {
    return { ok: true, value: new Reader(text, maxDepth).read() };
  } catch (error) {
    if (error instanceof JsonError) return { ok: false, error: error.message };
    throw error;
  }
}

/** JSONSerializer.loads: the bytes are read as Latin-1, then parsed like json.loads. */
export function pythonJsonLoads(payload: Buffer): PythonJsonResult {
  return parsePythonJson(payload.toString('latin1'));
}
