/** Puts a verdict on ctx.state. */
export function setVerdictState(state, auth, verdict) {
    state.djangoAuth = auth;
    state.loggedIn = verdict.loggedIn;
    state.user = verdict.user;
    state.authReason = verdict.reason;
    state.session = verdict.session;
    state.sessionCookie = verdict.sessionKey;
}
/**
 * Koa middleware: Django's verdict on ctx.state (DjangoSessionState) before the next middleware runs. The
 * response varies with the Cookie header (Vary: Cookie), so no shared cache hands one visitor's page to
 * another. A database or cache that does not answer throws DjangoAuthUnavailableError (status 503).
 *
 * @example app.use(djangoSession(auth));
 */
export function djangoSession(auth) {
    return async function djangoSession(ctx, next) {
        ctx.vary('Cookie');
        setVerdictState(ctx.state, auth, await auth.authenticate(ctx.req));
        await next();
    };
}
//# sourceMappingURL=index.js.map