/**
 * json.dumps(obj, separators=(',', ':')) as Django's JSONSerializer calls it: ensure_ascii escapes every
 * character outside printable ASCII as \uXXXX (UTF-16 code units, lowercase hex), so the bytes are ASCII.
 */
export function pythonJsonDumps(obj) {
    return JSON.stringify(obj).replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
/** JSONSerializer.loads: the bytes are read as Latin-1, then parsed. Returns undefined for non-JSON. */
export function pythonJsonLoads(payload) {
    try {
        return JSON.parse(payload.toString('latin1'));
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=python-json.js.map