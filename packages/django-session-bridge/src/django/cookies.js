/**
 * django.http.cookie.parse_cookie: split on ';', the first '=' separates name and value, surrounding
 * whitespace is dropped and the last occurrence of a name wins. Koa's cookie reader keeps the first one
 * instead, which would let a duplicated cookie name mean different visitors to Django and to us.
 */
export function parseCookieHeader(header) {
    const cookies = new Map();
    for (const chunk of header.split(';')) {
        const eq = chunk.indexOf('=');
        const name = (eq < 0 ? '' : chunk.slice(0, eq)).trim();
        const value = (eq < 0 ? chunk : chunk.slice(eq + 1)).trim();
        if (name || value)
            cookies.set(name, unquote(value));
    }
    return cookies;
}
/** http.cookies._unquote: a double-quoted value loses its quotes and its backslash escapes. */
function unquote(value) {
    if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"'))
        return value;
    return value
        .slice(1, -1)
        .replace(/\\([0-3][0-7][0-7])|\\(.)/g, (_, octal, char) => octal ? String.fromCharCode(parseInt(octal, 8)) : char);
}
//# sourceMappingURL=cookies.js.map