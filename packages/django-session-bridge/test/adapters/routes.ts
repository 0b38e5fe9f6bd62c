import type { BridgeUser } from '../../src/auth/user.ts';

/**
 * What every adapter's test app serves, each with that framework's own djangoSession on the whole app:
 * - GET /me: meBody(user);
 * - GET /has-perm?perms=<JSON list>: hasPermBody(user, perms);
 * - GET /login-required: loginRequired();
 * - GET /staff: staffMemberRequired();
 * - GET /perm: permissionRequired(PERMISSION);
 * - GET /perm-raise: permissionRequired(PERMISSION, { raiseException: true });
 * - GET /api/staff: staffMemberRequired({ isApi });
 * - every method on /csrf: csrfProtection(options); GET ?calls=n answers tokensBody, anything else "accepted".
 * Each guarded route answers "view". Errors go to the framework's default error handling.
 */
export const PERMISSION = 'polls.add_choice';

/** The contract's API paths: a guard there answers 401/403 instead of redirecting. */
export const isApi = (path: string): boolean => path.startsWith('/api/');

/** GET /me's JSON. */
export function meBody(user: BridgeUser | null): { loggedIn: boolean; user: { id: number; username: string } | null } {
  return { loggedIn: user !== null, user: user && { id: Number(user.id), username: user.username } };
}

/** GET /has-perm's JSON: user.hasPerm() for each permission of the query's JSON list. */
export async function hasPermBody(user: BridgeUser | null, perms: unknown): Promise<{ loggedIn: boolean; answers: Record<string, boolean> }> {
  const names = JSON.parse(typeof perms === 'string' ? perms : '[]') as string[];
  const answers: Record<string, boolean> = {};
  for (const name of names) answers[name] = user ? await user.hasPerm(name) : false;
  return { loggedIn: user !== null, answers };
}

/** GET /csrf?calls=n: n tokens from get_token(), comma-separated; "accepted" without calls. */
export function tokensBody(mint: () => string | null, calls: unknown): string {
  const count = Number(typeof calls === 'string' ? calls : 0);
  if (!count) return 'accepted';
  return Array.from({ length: count }, () => mint()).join(',');
}
