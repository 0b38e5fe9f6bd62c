import { anonymous, userLookup, verdictFor } from "../django/index.js";
import { decodeSessionData, decodeSignedCookie } from "../django/index.js";
import { isSessionKey } from "../django/index.js";
export function createAuthenticate({ store, settings, engine, now = () => new Date() }) {
    async function loadSession(cookie) {
        if (engine === 'signed_cookies')
            return decodeSignedCookie(cookie, settings, now().getTime() / 1000);
        if (!isSessionKey(cookie))
            return { ok: false, reason: 'malformed_key' };
        const row = await store.findSession(cookie);
        if (row === null)
            return { ok: false, reason: 'no_row' };
        // A cache entry's TTL was its expiry: Django's cache returns only live entries.
        if ('cached' in row)
            return row.cached;
        // Django's query is expire_date > timezone.now(), with its own clock: so is ours.
        if (row.expireDate.getTime() <= now().getTime())
            return { ok: false, reason: 'expired' };
        return decodeSessionData(row.sessionData, settings);
    }
    return async function authenticate(cookie) {
        if (cookie === undefined || cookie === '')
            return anonymous('no_cookie');
        const loaded = await loadSession(cookie);
        if (!loaded.ok)
            return anonymous(loaded.reason);
        const session = loaded.session;
        const lookup = userLookup(session, settings);
        if (lookup.kind === 'anonymous')
            return { ...anonymous(lookup.reason), session };
        const user = await store.findUser(lookup.userId);
        return { ...verdictFor(session, lookup.backend, user, settings), session };
    };
}
//# sourceMappingURL=authenticate.js.map