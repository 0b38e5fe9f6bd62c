import { anonymous, userLookup, verdictFor, type Verdict } from '../django/index.ts';
import type { Reason } from '../django/index.ts';
import { decodeSessionData, decodeSignedCookie, type SessionDict } from '../django/index.ts';
import { isSessionKey } from '../django/index.ts';
import type { DjangoSettings } from '../django/index.ts';
import type { SessionEngine } from '../config/settings.ts';
import type { SessionStore } from './store.ts';

/** The verdict, with the decoded session when there was a valid one (CSRF_USE_SESSIONS reads its _csrftoken). */
export type SessionVerdict = Verdict & { session?: SessionDict };

/** Who the visitor with this session cookie is, as django.contrib.auth.get_user() would say. */
export type Authenticate = (cookie: string | undefined) => Promise<SessionVerdict>;

/** What createAuthenticate needs: the store, Django's settings, the session engine and a clock. */
export interface AuthenticateOptions {
  store: SessionStore;
  settings: DjangoSettings;
  engine: SessionEngine;
  now?: () => Date;
}

type Loaded = { ok: true; session: SessionDict } | { ok: false; reason: Reason };

/** The verdict for a cookie value: the session through the store, Django's checks, then the user. */
export function createAuthenticate({ store, settings, engine, now = () => new Date() }: AuthenticateOptions): Authenticate {
  async function loadSession(cookie: string): Promise<Loaded> {
    if (engine === 'signed_cookies') return decodeSignedCookie(cookie, settings, now().getTime() / 1000);
    if (!isSessionKey(cookie)) return { ok: false, reason: 'malformed_key' };
    const row = await store.findSession(cookie);
    if (row === null) return { ok: false, reason: 'no_row' };
    // A cache entry's TTL was its expiry: Django's cache returns only live entries.
    if ('cached' in row) return row.cached;
    // Django's query is expire_date > timezone.now(), with its own clock: so is ours.
    if (row.expireDate.getTime() <= now().getTime()) return { ok: false, reason: 'expired' };
    return decodeSessionData(row.sessionData, settings);
  }

  return async function authenticate(cookie) {
    if (cookie === undefined || cookie === '') return anonymous('no_cookie');
    const loaded = await loadSession(cookie);
    if (!loaded.ok) return anonymous(loaded.reason);
    const session = loaded.session;
    const lookup = userLookup(session, settings);
    if (lookup.kind === 'anonymous') return { ...anonymous(lookup.reason), session };
    const user = await store.findUser(lookup.userId);
    return { ...verdictFor(session, lookup.backend, user, settings), session };
  };
}
