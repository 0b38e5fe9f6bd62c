import type { Middleware } from 'koa';
import { parseCookieHeader } from '../django/cookies.ts';
import type { DjangoUser } from '../django/get-user.ts';
import { DatabaseUnavailableError } from '../errors.ts';
import type { VerdictCounters } from '../metrics.ts';
import type { Authenticate } from '../sessions/authenticate.ts';
import { CacheUnavailableError } from '../sessions/session-cache.ts';

/** The user as pages and JSON see it: no password hash, the id as a number where it fits. */
export interface PublicUser {
  id: number | string;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  isStaff: boolean;
  isSuperuser: boolean;
}

export function publicUser(user: DjangoUser): PublicUser {
  const id = user.id <= BigInt(Number.MAX_SAFE_INTEGER) && user.id >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(user.id) : user.id.toString();
  return {
    id,
    username: user.username,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    isStaff: user.isStaff,
    isSuperuser: user.isSuperuser,
  };
}

export interface SessionAuthOptions {
  authenticate: Authenticate;
  cookieName: string;
  counters: VerdictCounters;
}

/** Sets ctx.state.loggedIn and ctx.state.user on every request, as Django's AuthenticationMiddleware would. */
export function sessionAuth({ authenticate, cookieName, counters }: SessionAuthOptions): Middleware {
  return async function sessionAuth(ctx, next) {
    // The answer depends on who is logged in: no cache may hand one visitor's page to another.
    ctx.vary('Cookie');
    ctx.set('Cache-Control', 'no-store');
    const header = ctx.get('Cookie');
    const cookie = header ? parseCookieHeader(header).get(cookieName) : undefined;
    ctx.state.sessionCookie = cookie;
    let verdict;
    try {
      verdict = await authenticate(cookie);
    } catch (error) {
      if (error instanceof CacheUnavailableError) counters.countCacheError();
      else counters.countDbError();
      throw new DatabaseUnavailableError(error);
    }
    counters.count(verdict.reason);
    ctx.state.authReason = verdict.reason;
    ctx.state.loggedIn = verdict.loggedIn;
    ctx.state.user = verdict.user ? publicUser(verdict.user) : null;
    await next();
  };
}
