import { parseCookieHeader } from "../django/index.js";
function headerOf(headers) {
    if (typeof headers.get === 'function')
        return headers.get('cookie') ?? undefined;
    const value = headers.cookie;
    return Array.isArray(value) ? value.join('; ') : value;
}
/** The Cookie header of any input authenticate() takes. */
export function cookieHeaderOf(input) {
    if (input === null || input === undefined)
        return undefined;
    if (typeof input === 'string')
        return input;
    if (typeof input.get === 'function' && !('headers' in input))
        return headerOf(input);
    return headerOf(input.headers);
}
/** The named cookie's value in the input's Cookie header, parsed as Django parses it. */
export function sessionCookieOf(input, cookieName) {
    const header = cookieHeaderOf(input);
    return header ? parseCookieHeader(header).get(cookieName) : undefined;
}
//# sourceMappingURL=request-cookie.js.map