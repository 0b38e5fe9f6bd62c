import type { BridgeUser } from '../auth/user.ts';
import { NotAuthenticatedError, PermissionDeniedError, type DjangoRequestRefusedError } from './errors.ts';
import { DEFAULT_LOGIN_URL, loginRedirectUrl, nextForLogin, REDIRECT_FIELD_NAME, type PageAddress } from './login-redirect.ts';

/** The options every guard takes, in every framework. */
export interface GuardOptions {
  /** Where a refused visitor logs in: LOGIN_URL (the DjangoAuth's `loginUrl`, Django's `/accounts/login/`). */
  loginUrl?: string;
  /** The query parameter that carries the page back (Django's `next`). */
  redirectFieldName?: string;
  /**
   * Paths answered with 401 (anonymous) or 403 (logged in) instead of the log-in redirect: a JSON API has no
   * log-in page to send a client to. Django always redirects; by default so does every guard here.
   */
  isApi?: (path: string) => boolean;
}

/** permission_required's options. */
export interface PermissionGuardOptions extends GuardOptions {
  /** raise_exception: a 403 (PermissionDeniedError) instead of the log-in redirect. */
  raiseException?: boolean;
}

/** What a guard decides: let the request through, send it to the log-in page, or refuse it with an error. */
export type GuardOutcome = { pass: true } | { pass: false; redirect: string } | { pass: false; error: DjangoRequestRefusedError };

/** A guard's view of the request. */
export interface GuardRequest extends PageAddress {
  /** The path alone, for `isApi`. */
  path: string;
  user: BridgeUser | null;
}

/** A decorator's test of the user (user_passes_test's test_func); a PermissionDeniedError thrown here refuses. */
export type UserTest = (user: BridgeUser | null) => boolean | Promise<boolean>;

/** login_required's test: request.user.is_authenticated. */
export const isAuthenticated: UserTest = (user) => user !== null;

/** staff_member_required's test: an active staff user. */
export const isActiveStaff: UserTest = (user) => user !== null && user.isActive && user.isStaff;

/** permission_required's test: has_perms(perms), or a PermissionDeniedError with raiseException. */
export function hasPermissions(perms: string | readonly string[], raiseException = false): UserTest {
  const wanted = typeof perms === 'string' ? [perms] : [...perms];
  return async (user) => {
    if (user !== null && (await user.hasPerms(wanted))) return true;
    if (raiseException) throw new PermissionDeniedError();
    return false;
  };
}

/**
 * user_passes_test: the test's verdict on the request, as the framework adapters apply it. `defaultLoginUrl`
 * is the DjangoAuth's setting, used when the options name none.
 */
export async function decideGuard(test: UserTest, request: GuardRequest, options: GuardOptions, defaultLoginUrl = DEFAULT_LOGIN_URL): Promise<GuardOutcome> {
  try {
    if (await test(request.user)) return { pass: true };
  } catch (error) {
    if (error instanceof PermissionDeniedError) return { pass: false, error };
    throw error;
  }
  if (options.isApi?.(request.path)) return { pass: false, error: request.user === null ? new NotAuthenticatedError() : new PermissionDeniedError() };
  const loginUrl = options.loginUrl ?? defaultLoginUrl;
  return { pass: false, redirect: loginRedirectUrl(loginUrl, nextForLogin(loginUrl, request), options.redirectFieldName ?? REDIRECT_FIELD_NAME) };
}
