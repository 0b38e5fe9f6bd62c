import { checkPassword, makePassword, type DjangoUser, type PasswordHashers } from '../django/index.ts';
import type { UserReads } from './user-reads.ts';
import type { WriteDatabase } from './write-database.ts';

const MODEL_BACKEND = 'django.contrib.auth.backends.ModelBackend';
const ALLOW_ALL_USERS_BACKEND = 'django.contrib.auth.backends.AllowAllUsersModelBackend';

/** A user authenticate() returned, with the backend that accepted them (login() stores its path). */
export interface AuthenticatedUser {
  user: DjangoUser;
  backend: string;
}

/** What authenticate() needs: where to read and write the user, and the hashers. */
export interface CredentialsContext {
  users: UserReads;
  writes: WriteDatabase;
  usernameField: string;
  hashers: PasswordHashers;
  backends: readonly string[];
}

/** ModelBackend.user_can_authenticate; AllowAllUsersModelBackend lets inactive users in. */
function userCanAuthenticate(backend: string, user: DjangoUser): boolean {
  return backend === ALLOW_ALL_USERS_BACKEND || user.isActive;
}

/**
 * ModelBackend.authenticate: get_by_natural_key, then check_password (whose setter re-hashes and saves an
 * outdated hash, through the write role), then user_can_authenticate. A username with no user runs the
 * preferred hasher once (UserModel().set_password), so it costs what a wrong password costs.
 */
async function modelBackend(context: CredentialsContext, backend: string, username: string, password: string): Promise<DjangoUser | null> {
  const user = await context.users.byNaturalKey(context.usernameField, username);
  if (user === null) {
    await makePassword(password, context.hashers);
    return null;
  }
  const check = await checkPassword(password, user.password, context.hashers);
  if (!check.valid) return null;
  if (check.mustUpdate) {
    user.password = await makePassword(password, context.hashers);
    const encoded = user.password;
    await context.writes.transaction((tx) => tx.savePassword(user.id, encoded));
  }
  return userCanAuthenticate(backend, user) ? user : null;
}

/**
 * django.contrib.auth.authenticate(username=…, password=…): each configured backend in turn, the first user
 * returned wins. Backends other than ModelBackend and AllowAllUsersModelBackend run Python this library
 * cannot, and are passed over.
 */
export async function authenticateCredentials(context: CredentialsContext, username: string, password: string): Promise<AuthenticatedUser | null> {
  for (const backend of context.backends) {
    if (backend !== MODEL_BACKEND && backend !== ALLOW_ALL_USERS_BACKEND) continue;
    const user = await modelBackend(context, backend, username, password);
    if (user !== null) return { user, backend };
  }
  return null;
}
