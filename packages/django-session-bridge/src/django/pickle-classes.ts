/**
 * The only names a pickle may mention, and the only ways each may be used: the reconstruction shapes
 * CPython's pickler writes for them. A match is turned into a plain value here; nothing is imported,
 * called or instantiated, and any other shape is `unsupported_pickle`.
 */
import {
  bad,
  formatOffset,
  pad,
  PyByteArray,
  PyDict,
  PyGlobal,
  PyUuid,
  PyPlain,
  PySet,
  PyTimezone,
  PyTuple,
  unsupported,
  type Hasher,
} from './pickle-values.ts';
import { withoutUnderscores } from './pickle-text.ts';
import { pythonStrip } from './python-whitespace.ts';

const ALLOWED = new Set([
  'datetime.datetime',
  'datetime.date',
  'datetime.time',
  'datetime.timedelta',
  'datetime.timezone',
  'decimal.Decimal',
  'uuid.UUID',
  'pytz._UTC',
  'pytz._p',
  '_codecs.encode',
  'builtins.bytes',
  'builtins.bytearray',
  'builtins.set',
  'builtins.frozenset',
  'builtins.str',
  'builtins.object',
  'copyreg._reconstructor',
  'django.utils.safestring.SafeString',
  'django.utils.safestring.SafeText',
  'django.utils.functional._lazy_proxy_unpickle',
  'django.utils.translation.gettext',
]);

// What Python's unpickler maps Python 2 names to below protocol 3 (fix_imports, _compat_pickle).
const PY2_MODULES: Record<string, string> = { __builtin__: 'builtins', copy_reg: 'copyreg' };
const PY2_NAMES: Record<string, string> = { 'builtins.unicode': 'builtins.str' };

export function allowedGlobal(module: string, name: string, protocol: number): PyGlobal {
  let path = `${module}.${name}`;
  if (protocol < 3) {
    path = `${PY2_MODULES[module] ?? module}.${name}`;
    path = PY2_NAMES[path] ?? path;
  }
  if (!ALLOWED.has(path)) throw unsupported(`global ${module}.${name} is not on the allow-list`);
  const dot = path.lastIndexOf('.');
  return new PyGlobal(path.slice(0, dot), path.slice(dot + 1));
}

function argsOf(args: unknown): readonly unknown[] {
  if (!(args instanceof PyTuple)) throw bad('arguments are not a tuple');
  return args.items;
}

const isGlobal = (value: unknown, path: string): boolean => value instanceof PyGlobal && value.path === path;

/** REDUCE: callable(*args), for the allow-listed callables and argument shapes only. */
export function reduce(callable: unknown, rawArgs: unknown, hasher: Hasher): unknown {
  if (!(callable instanceof PyGlobal)) throw unsupported('REDUCE of something other than an allow-listed name');
  const args = argsOf(rawArgs);
  const shape = `${callable.path} with ${args.length} argument(s)`;
  switch (callable.path) {
    case 'datetime.datetime':
      return datetime(args);
    case 'datetime.date':
      return date(args);
    case 'datetime.time':
      return time(args);
    case 'datetime.timedelta':
      return timedelta(args);
    case 'datetime.timezone':
      return timezone(args);
    case 'decimal.Decimal':
      if (args.length === 1 && typeof args[0] === 'string') return decimal(args[0]);
      break;
    case 'pytz._UTC':
      if (args.length === 0) return new PyTimezone(0);
      break;
    case 'pytz._p':
      // A pytz zone as its __reduce__ writes it: (zone, utcoffset, dst, tzname), offsets in seconds.
      if (args.length === 4 && typeof args[0] === 'string' && Number.isSafeInteger(args[1]) && Math.abs(args[1] as number) < 86_400) {
        return new PyTimezone((args[1] as number) * 1_000_000);
      }
      break;
    case '_codecs.encode':
      // How protocols 0-2 write bytes: codecs.encode(bytes.decode('latin1'), 'latin1').
      if (args.length === 2 && typeof args[0] === 'string' && args[1] === 'latin1') return latin1(args[0]);
      break;
    case 'builtins.bytes':
      if (args.length === 0) return Buffer.alloc(0);
      break;
    case 'builtins.bytearray':
      if (args.length === 0) return new PyByteArray(Buffer.alloc(0));
      if (args.length === 1 && Buffer.isBuffer(args[0])) return new PyByteArray(Buffer.from(args[0]));
      break;
    case 'builtins.set':
    case 'builtins.frozenset': {
      const items = args.length === 0 ? [] : Array.isArray(args[0]) ? args[0] : args[0] instanceof PyTuple ? args[0].items : null;
      if (items === null || args.length > 1) break;
      const set = new PySet(callable.name === 'frozenset');
      hasher.addAll(set, items);
      return set;
    }
    case 'copyreg._reconstructor':
      // Protocols 0 and 1 write uuid.UUID as _reconstructor(UUID, object, None) followed by BUILD.
      if (args.length === 3 && isGlobal(args[0], 'uuid.UUID') && isGlobal(args[1], 'builtins.object') && args[2] === null) return new PyUuid();
      break;
    case 'django.utils.functional._lazy_proxy_unpickle':
      return lazyGettext(args);
  }
  throw unsupported(`REDUCE of ${shape} is not an allow-listed shape`);
}

/** NEWOBJ / NEWOBJ_EX: cls.__new__(cls, *args), for the classes protocols 2+ write that way. */
export function newObject(cls: unknown, rawArgs: unknown, kwargs?: unknown): unknown {
  if (!(cls instanceof PyGlobal)) throw unsupported('NEWOBJ of something other than an allow-listed class');
  const args = argsOf(rawArgs);
  if (kwargs !== undefined && !(kwargs instanceof PyDict && kwargs.entries.size === 0)) throw unsupported(`NEWOBJ_EX of ${cls.path} with keyword arguments`);
  if (cls.path === 'uuid.UUID' && args.length === 0) return new PyUuid();
  // SafeString is a str subclass: its value is the str itself.
  if (cls.module === 'django.utils.safestring' && (args.length === 0 || (args.length === 1 && typeof args[0] === 'string'))) return args[0] ?? '';
  throw unsupported(`NEWOBJ of ${cls.path} with ${args.length} argument(s) is not an allow-listed shape`);
}

const UUID_STATE_KEYS = new Set(['int', 'is_safe']);

/** BUILD: inst.__setstate__(state). Empty states change nothing, as in Python; only UUID takes one. */
export function build(inst: unknown, state: unknown): void {
  const empty = state === null || (state instanceof PyDict && state.entries.size === 0);
  if (inst instanceof PyUuid) {
    if (!(state instanceof PyDict)) throw bad('uuid.UUID state is not a dict');
    const fields = new Map([...state.entries.values()].map(({ key, value }) => [key, value]));
    if (![...fields.keys()].every((key) => typeof key === 'string' && UUID_STATE_KEYS.has(key))) throw unsupported('uuid.UUID state with unexpected keys');
    const int = fields.get('int');
    const value = typeof int === 'number' && Number.isSafeInteger(int) ? BigInt(int) : int;
    if (typeof value !== 'bigint' || value < 0n || value >= 1n << 128n) throw bad('uuid.UUID int is not a 128-bit integer');
    inst.int = value;
    return;
  }
  if (!empty) throw unsupported('BUILD with a state on something other than uuid.UUID');
}

function latin1(text: string): Buffer {
  if (/[\u0100-\uffff]/.test(text)) throw bad('latin1 bytes with a character above U+00FF');
  return Buffer.from(text, 'latin1');
}

// Decimal(str): Python's numeric-string syntax (underscores allowed), once str.isspace() characters are
// stripped from both ends (JavaScript's \s and trim() disagree on U+001C–U+001F, U+0085 and U+FEFF).
const DECIMAL = /^[+-]?(?:(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?|inf(?:inity)?|s?nan\d*)$/i;

function decimal(text: string): PyPlain {
  const stripped = pythonStrip(text);
  if (!DECIMAL.test(stripped)) throw bad('decimal.Decimal of an invalid string');
  return new PyPlain({ $type: 'decimal', value: withoutUnderscores(stripped) });
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

function isoDate(state: Buffer, at: number): string {
  const year = state.readUInt16BE(at);
  const month = state.readUInt8(at + 2) & 0x7f;
  const day = state.readUInt8(at + 3);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) throw bad('date state out of range');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Hour (fold bit masked), minute, second, microsecond as isoformat() writes them. */
function isoTime(state: Buffer, at: number): string {
  const hour = state.readUInt8(at) & 0x7f;
  const minute = state.readUInt8(at + 1);
  const second = state.readUInt8(at + 2);
  const micro = state.readUIntBE(at + 3, 3);
  if (hour > 23 || minute > 59 || second > 59 || micro > 999_999) throw bad('time state out of range');
  return `${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${micro ? `.${pad(micro, 6)}` : ''}`;
}

function tzSuffix(args: readonly unknown[], size: number): string {
  if (args.length > 2) throw unsupported(`datetime state with ${args.length} arguments`);
  const tz = args[1] ?? null;
  if (tz === null) return '';
  if (!(tz instanceof PyTimezone)) throw unsupported('a tzinfo that is not on the allow-list');
  return size > 0 ? formatOffset(tz.offsetMicros) : '';
}

function byteState(args: readonly unknown[], size: number, what: string): Buffer {
  const state = args[0];
  if (!Buffer.isBuffer(state)) throw unsupported(`${what} built from something other than its bytes state`);
  if (state.length !== size) throw bad(`${what} state is not ${size} bytes`);
  return state;
}

function datetime(args: readonly unknown[]): PyPlain {
  const state = byteState(args, 10, 'datetime.datetime');
  const text = `${isoDate(state, 0)}T${isoTime(state, 4)}${tzSuffix(args, 1)}`;
  return new PyPlain({ $type: 'datetime', value: text });
}

function date(args: readonly unknown[]): PyPlain {
  if (args.length !== 1) throw unsupported(`datetime.date with ${args.length} arguments`);
  return new PyPlain({ $type: 'date', value: isoDate(byteState(args, 4, 'datetime.date'), 0) });
}

function time(args: readonly unknown[]): PyPlain {
  const state = byteState(args, 6, 'datetime.time');
  return new PyPlain({ $type: 'time', value: `${isoTime(state, 0)}${tzSuffix(args, 1)}` });
}

const MAX_TIMEDELTA_DAYS = 999_999_999;

/** timedelta(days, seconds, microseconds), normalised as Python does: 0 <= seconds < 86400, 0 <= us < 10**6. */
function timedelta(args: readonly unknown[]): PyPlain {
  if (args.length > 3 || !args.every((arg) => Number.isSafeInteger(arg))) throw unsupported('datetime.timedelta of other than up to three ints');
  const [d = 0, s = 0, us = 0] = args as number[];
  const total = BigInt(d) * 86_400_000_000n + BigInt(s) * 1_000_000n + BigInt(us);
  const microseconds = ((total % 1_000_000n) + 1_000_000n) % 1_000_000n;
  const totalSeconds = (total - microseconds) / 1_000_000n;
  const seconds = ((totalSeconds % 86_400n) + 86_400n) % 86_400n;
  const days = (totalSeconds - seconds) / 86_400n;
  if (days > BigInt(MAX_TIMEDELTA_DAYS) || days < BigInt(-MAX_TIMEDELTA_DAYS)) throw bad('datetime.timedelta out of range');
  return new PyPlain({ $type: 'timedelta', days: Number(days), seconds: Number(seconds), microseconds: Number(microseconds) });
}

const DAY_MICROS = 86_400_000_000;

function timezone(args: readonly unknown[]): PyTimezone {
  const [offset, name] = args;
  const delta = offset instanceof PyPlain && offset.value.$type === 'timedelta' ? offset.value : null;
  if (delta === null || args.length > 2 || (args.length === 2 && typeof name !== 'string')) throw unsupported('datetime.timezone of other than (timedelta[, name])');
  const micros = (delta.days as number) * DAY_MICROS + (delta.seconds as number) * 1_000_000 + (delta.microseconds as number);
  if (Math.abs(micros) >= DAY_MICROS) throw bad('datetime.timezone offset out of range');
  return new PyTimezone(micros);
}

/** gettext_lazy('message'): the proxy's message id, untranslated (the active language is Django's). */
function lazyGettext(args: readonly unknown[]): PyPlain {
  const [func, callArgs, kwargs, ...resultClasses] = args;
  const message = callArgs instanceof PyTuple && callArgs.items.length === 1 ? callArgs.items[0] : null;
  if (
    !isGlobal(func, 'django.utils.translation.gettext') ||
    typeof message !== 'string' ||
    !(kwargs instanceof PyDict && kwargs.entries.size === 0) ||
    !resultClasses.every((cls) => isGlobal(cls, 'builtins.str'))
  ) {
    throw unsupported('a lazy object other than gettext_lazy(str)');
  }
  return new PyPlain({ $type: 'gettext_lazy', value: message });
}
