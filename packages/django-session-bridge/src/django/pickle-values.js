/**
 * What the pickle reader holds while it decodes, and how that becomes the plain result. Python's
 * containers keep their identity (memo references share them, as in Python); dict keys and set
 * members keep Python's equality through a hash key per hashable value.
 */
/** Thrown inside the reader only; unpickle() turns it into its result. */
export class PickleError extends Error {
    reason;
    detail;
    constructor(reason, detail) {
        super(detail);
        this.reason = reason;
        this.detail = detail;
    }
}
export const bad = (detail) => new PickleError('bad_pickle', detail);
export const unsupported = (detail) => new PickleError('unsupported_pickle', detail);
export const tooLarge = (detail) => new PickleError('too_large', detail);
/** An allow-listed module attribute (GLOBAL / STACK_GLOBAL): a name, never resolved to anything. */
export class PyGlobal {
    module;
    name;
    constructor(module, name) {
        this.module = module;
        this.name = name;
    }
    get path() {
        return `${this.module}.${this.name}`;
    }
}
export class PyTuple {
    items;
    /** Computed the first time the tuple is a dict key or set member (most never are): null if unhashable. */
    hashKey;
    constructor(items) {
        this.items = items;
    }
}
export class PyDict {
    entries = new Map();
}
export class PySet {
    frozen;
    hashKey;
    members = new Map();
    constructor(frozen, hashKey = null) {
        this.frozen = frozen;
        this.hashKey = hashKey;
    }
}
export class PyByteArray {
    bytes;
    constructor(bytes) {
        this.bytes = bytes;
    }
}
/** A datetime.timezone or pytz zone: an offset from UTC, in microseconds. */
export class PyTimezone {
    offsetMicros;
    constructor(offsetMicros) {
        this.offsetMicros = offsetMicros;
    }
    get hashKey() {
        return `z:${this.offsetMicros}`;
    }
}
/** `uuid.UUID`: made by NEWOBJ (or copyreg._reconstructor), given its int by the BUILD that follows. */
export class PyUuid {
    int = null;
    get hashKey() {
        return this.int === null ? null : `u:${this.int}`;
    }
    get text() {
        const hex = (this.int ?? 0n).toString(16).padStart(32, '0');
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }
}
/** An allow-listed object already turned into its plain, tagged form. */
export class PyPlain {
    value;
    key;
    constructor(value) {
        this.value = value;
    }
    get hashKey() {
        this.key ??= `x:${JSON.stringify(this.value)}`;
        return this.key;
    }
    /** What it costs in the output: its text (a message, a decimal's digits), the rest being small. */
    get textLength() {
        return Object.values(this.value).reduce((sum, field) => sum + String(field).length, 0);
    }
}
/** One budget unit per value, and one more per this many characters of text, bytes or digits. */
export const CHARS_PER_ITEM = 64;
/**
 * Hash keys for dict keys and set members. Composite keys are interned to short ids, so that tuples of
 * tuples sharing one another through the memo cost their width, not their expansion; every key computed
 * is charged to the output budget.
 */
export class Hasher {
    charge;
    maxDepth;
    interned = new Map();
    constructor(charge, maxDepth) {
        this.charge = charge;
        this.maxDepth = maxDepth;
    }
    keyOf(value, depth = 0) {
        const key = primitiveKey(value) ?? (value instanceof PyTuple ? this.tupleKey(value, depth) : compositeKey(value));
        if (key !== null)
            this.charge(1 + Math.floor(key.length / CHARS_PER_ITEM));
        return key;
    }
    tupleKey(tuple, depth) {
        if (tuple.hashKey !== undefined)
            return tuple.hashKey;
        if (depth >= this.maxDepth)
            throw tooLarge(`nesting deeper than ${this.maxDepth}`);
        const keys = [];
        for (const item of tuple.items) {
            const key = this.keyOf(item, depth + 1);
            if (key === null) {
                tuple.hashKey = null;
                return null;
            }
            keys.push(key);
        }
        tuple.hashKey = this.intern(`t${JSON.stringify(keys)}`);
        return tuple.hashKey;
    }
    /** Adds to a set or builds a frozenset; a frozenset's own key is order-independent. */
    addAll(set, items) {
        for (const item of items) {
            const key = this.keyOf(item);
            if (key === null)
                throw bad('unhashable set member');
            if (!set.members.has(key))
                set.members.set(key, item);
        }
        if (set.frozen)
            set.hashKey = this.intern(`f${JSON.stringify([...set.members.keys()].sort())}`);
    }
    setItem(dict, key, value) {
        const hash = this.keyOf(key);
        if (hash === null)
            throw bad('unhashable dict key');
        const existing = dict.entries.get(hash);
        if (existing)
            existing.value = value;
        else
            dict.entries.set(hash, { key, value });
    }
    intern(key) {
        let id = this.interned.get(key);
        if (id === undefined) {
            id = `#${this.interned.size}`;
            this.interned.set(key, id);
        }
        return id;
    }
}
function compositeKey(value) {
    if (value instanceof PySet)
        return value.hashKey;
    if (value instanceof PyTimezone || value instanceof PyPlain || value instanceof PyUuid)
        return value.hashKey;
    if (value instanceof PyGlobal)
        return `g:${value.path}`;
    return null;
}
// Python's equality across its number types: True == 1 == 1.0, so they share a key.
function primitiveKey(value) {
    if (value === null)
        return 'N';
    switch (typeof value) {
        case 'boolean':
            return value ? 'n:1' : 'n:0';
        case 'bigint':
            return `n:${value}`;
        case 'number':
            return Number.isSafeInteger(value) ? `n:${value}` : Number.isInteger(value) ? `n:${BigInt(value)}` : `f:${value}`;
        case 'string':
            return `s:${value}`;
        default:
            return Buffer.isBuffer(value) ? `b:${value.toString('latin1')}` : undefined;
    }
}
/**
 * The plain result: shared references expanded into a tree (so whatever walks it, JSON.stringify
 * included, sees at most the budget), self-references refused.
 */
export function toPlain(value, limits, depth = 0, open = new Set()) {
    if (depth > limits.maxDepth)
        throw tooLarge(`nesting deeper than ${limits.maxDepth}`);
    if (typeof value === 'string') {
        limits.charge(1 + Math.floor(value.length / CHARS_PER_ITEM));
        return value;
    }
    if (typeof value === 'bigint') {
        limits.charge(1 + Math.floor(value.toString(16).length / CHARS_PER_ITEM));
        return value;
    }
    limits.charge(1);
    if (value === null || typeof value !== 'object')
        return value;
    if (Buffer.isBuffer(value) || value instanceof PyByteArray) {
        const bytes = Buffer.isBuffer(value) ? value : value.bytes;
        limits.charge(Math.floor(bytes.length / CHARS_PER_ITEM));
        return Buffer.from(bytes);
    }
    if (value instanceof PyPlain) {
        limits.charge(Math.floor(value.textLength / CHARS_PER_ITEM));
        return { ...value.value };
    }
    if (value instanceof PyTimezone)
        return { $type: 'timezone', value: formatOffset(value.offsetMicros) };
    if (value instanceof PyUuid) {
        if (value.int === null)
            throw unsupported('uuid.UUID without its state');
        return { $type: 'uuid', value: value.text };
    }
    if (value instanceof PyGlobal)
        throw unsupported(`a bare reference to ${value.path}`);
    if (open.has(value))
        throw unsupported('self-referencing structure');
    open.add(value);
    const child = (item) => toPlain(item, limits, depth + 1, open);
    let out;
    if (Array.isArray(value))
        out = value.map(child);
    else if (value instanceof PyTuple)
        out = value.items.map(child);
    else if (value instanceof PySet)
        out = [...value.members.values()].map(child);
    else if (value instanceof PyDict)
        out = plainDict(value, child);
    else
        throw bad('unexpected value');
    open.delete(value);
    return out;
}
function plainDict(dict, child) {
    const entries = [...dict.entries.values()];
    if (entries.every(({ key }) => typeof key === 'string')) {
        const out = Object.create(null);
        // child() of a str key only charges for it: keys are expanded with every copy of their dict.
        for (const { key, value } of entries)
            out[child(key)] = child(value);
        return out;
    }
    return new Map(entries.map(({ key, value }) => [child(key), child(value)]));
}
/** utcoffset() as isoformat() writes it: ±HH:MM, then :SS and .ffffff only when not zero. */
export function formatOffset(micros) {
    const sign = micros < 0 ? '-' : '+';
    let rest = Math.abs(micros);
    const us = rest % 1_000_000;
    rest = (rest - us) / 1_000_000;
    const seconds = rest % 60;
    const minutes = ((rest - seconds) / 60) % 60;
    const hours = Math.floor(rest / 3600);
    let text = `${sign}${pad(hours, 2)}:${pad(minutes, 2)}`;
    if (seconds || us)
        text += `:${pad(seconds, 2)}`;
    if (us)
        text += `.${pad(us, 6)}`;
    return text;
}
export function pad(n, width) {
    return String(n).padStart(width, '0');
}
//# sourceMappingURL=pickle-values.js.map