import type { Middleware } from 'koa';
import { parseCookieHeader } from 'django-session-bridge/django';
import type { DjangoUser } from 'django-session-bridge/django';
import { DatabaseUnavailableError } from '../errors.ts';
import type { VerdictCounters } from '../metrics.ts';
import type { Authenticate } from '../sessions/authenticate.ts';
import { CacheUnavailableError } from '../sessions/session-cache.ts';
import { withPermissions, type UserPermissions } from './user-permissions.ts';

/** The user as pages and JSON see it: no password hash, the id as a number where it fits. */
export interface PublicUser {
  id: number | string;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  /** False only under an AllowAllUsers… backend, which logs inactive users in. */
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
}

/** ctx.state.user of a logged-in request: the public fields, and Django's permission checks as methods. */
export type RequestUser = PublicUser & UserPermissions;

export function publicUser(user: DjangoUser): PublicUser {
  const id = user.id <= BigInt(Number.MAX_SAFE_INTEGER) && user.id >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(user.id) : user.id.toString();
  return {
    id,
    username: user.username,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    isActive: user.isActive,
    isStaff: user.isStaff,
    isSuperuser: user.isSuperuser,
  };
}

export interface SessionAuthOptions {
  authenticate: Authenticate;
  cookieName: string;
  counters: VerdictCounters;
  /** The user's permission methods; they read nothing until called. */
  permissions: (user: DjangoUser) => UserPermissions;
}

/** Sets ctx.state.loggedIn and ctx.state.user on every request, as Django's AuthenticationMiddleware would. */
export function sessionAuth({ authenticate, cookieName, counters, permissions }: SessionAuthOptions): Middleware {
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
    const user: RequestUser | null = verdict.user ? withPermissions(publicUser(verdict.user), permissions(verdict.user)) : null;
    ctx.state.user = user;
    ctx.state.session = verdict.session ?? null;
    await next();
  };
}
