/**
 * The pickle reader's values as JSON, for session:inspect and the golden vectors: what JSON cannot hold
 * is tagged with a `$` key: {"$int": "…"} for a bigint, {"$bytes": base64} for bytes, {"$float": "nan" |
 * "inf" | "-inf"}, and {"$map": [[key, value], …]} for a dict whose keys are not all str.
 */
export function pickleJson(value) {
    if (typeof value === 'bigint')
        return { $int: value.toString() };
    if (typeof value === 'number' && !Number.isFinite(value))
        return { $float: Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf' };
    if (value === null || typeof value !== 'object')
        return value;
    if (Buffer.isBuffer(value))
        return { $bytes: value.toString('base64') };
    if (Array.isArray(value))
        return value.map(pickleJson);
    if (value instanceof Map)
        return { $map: [...value].map(([key, item]) => [pickleJson(key), pickleJson(item)]) };
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, pickleJson(item)]));
}
//# sourceMappingURL=pickle-json.js.map