/** A well-formed session key no session has: the probe's lookup finds nothing, by the path a real one takes. */
export const NO_SUCH_KEY = '0'.repeat(32);
/**
 * The lookups a request makes, once, on a key and an id that match nothing: it fails exactly when the pages'
 * lookups would (the wrong tables or columns, a grant missing, a database or pooler that does not answer).
 */
export async function probeStore(store, engine) {
    // The signed_cookies engine keeps sessions in the cookie: only the user table is read.
    if (engine !== 'signed_cookies')
        await store.findSession(NO_SUCH_KEY);
    await store.findUser(0n);
}
//# sourceMappingURL=probe.js.map