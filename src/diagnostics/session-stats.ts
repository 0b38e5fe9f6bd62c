import type { Verdict } from 'django-session-bridge/django';
import { REASONS, type Reason } from 'django-session-bridge/django';
import type { DjangoSettings } from 'django-session-bridge/django';
import { createAuthenticate } from 'django-session-bridge';
import type { SessionStore } from 'django-session-bridge';
import type { SessionRecord } from './batch-store.ts';
import { withFallback, withoutFallback } from './key-variants.ts';
import { categoryOf, type ReasonCategory } from './reason-guide.ts';

export interface SessionStatsOptions {
  settings: DjangoSettings;
  /** DJANGO_OLD_SECRET_KEYS: keys no longer configured, to count the sessions that still need them. */
  oldKeys: readonly string[];
  /** One instant for the whole scan: a session expiring mid-scan is judged as at the start. */
  now: Date;
}

export interface SessionStatsReport {
  now: Date;
  /** Unexpired rows judged. */
  sessions: number;
  categories: Record<ReasonCategory, number>;
  reasons: Record<Reason, number>;
  /** Per configured fallback (1-based): logged-in sessions that removing it would log out. */
  fallbacks: { position: number; wouldLogOut: number }[];
  /** Per DJANGO_OLD_SECRET_KEYS key (1-based): sessions not logged in that adding it back would log in. */
  oldKeys: { position: number; wouldLogIn: number }[];
}

type Decide = (store: SessionStore) => (cookie: string) => Promise<Verdict>;

// An extra fallback key is tried in exactly two places: the signature (so only a bad_signature can turn
// into something else) and the auth hash (so only a hash_mismatch can). Every other verdict stays as it is.
const RESCUABLE: ReadonlySet<Reason> = new Set(['bad_signature', 'hash_mismatch']);

/**
 * Counts verdicts batch by batch, holding only counters. Each session is decided by the service's own
 * createAuthenticate, as configured, then — for the key-rotation check — as if each fallback were removed
 * (only sessions logged in now can lose) and as if each old key were added back (only sessions refused for
 * their signature or their auth hash can gain).
 */
export class SessionStats {
  readonly #now: Date;
  readonly #base: Decide;
  readonly #removals: Decide[];
  readonly #additions: Decide[];
  readonly #reasons = new Map<Reason, number>(REASONS.map((reason) => [reason, 0]));
  readonly #wouldLogOut: number[];
  readonly #wouldLogIn: number[];
  #sessions = 0;

  constructor({ settings, oldKeys, now }: SessionStatsOptions) {
    const decide = (variant: DjangoSettings): Decide => (store) => createAuthenticate({ store, settings: variant, engine: 'db', now: () => now });
    this.#now = now;
    this.#base = decide(settings);
    this.#removals = settings.secretKeyFallbacks.map((_, index) => decide(withoutFallback(settings, index + 1)));
    this.#additions = oldKeys.map((key) => decide(withFallback(settings, key)));
    this.#wouldLogOut = this.#removals.map(() => 0);
    this.#wouldLogIn = this.#additions.map(() => 0);
  }

  /** Decides one batch of rows against a store that holds them (and finds their users). */
  async add(rows: readonly SessionRecord[], store: SessionStore): Promise<void> {
    const decide = this.#base(store);
    const judged = await Promise.all(rows.map(async ({ sessionKey }) => ({ sessionKey, verdict: await decide(sessionKey) })));
    for (const { verdict } of judged) this.#reasons.set(verdict.reason, (this.#reasons.get(verdict.reason) ?? 0) + 1);
    this.#sessions += rows.length;

    const loggedIn = judged.filter(({ verdict }) => verdict.loggedIn).map(({ sessionKey }) => sessionKey);
    const rescuable = judged.filter(({ verdict }) => RESCUABLE.has(verdict.reason)).map(({ sessionKey }) => sessionKey);
    for (const [index, removal] of this.#removals.entries()) {
      const verdicts = await Promise.all(loggedIn.map(removal(store)));
      this.#wouldLogOut[index] = (this.#wouldLogOut[index] ?? 0) + verdicts.filter((verdict) => !verdict.loggedIn).length;
    }
    for (const [index, addition] of this.#additions.entries()) {
      const verdicts = await Promise.all(rescuable.map(addition(store)));
      this.#wouldLogIn[index] = (this.#wouldLogIn[index] ?? 0) + verdicts.filter((verdict) => verdict.loggedIn).length;
    }
  }

  report(): SessionStatsReport {
    const categories: Record<ReasonCategory, number> = { logged_in: 0, anonymous: 0, undecodable: 0, no_session: 0 };
    for (const [reason, count] of this.#reasons) categories[categoryOf(reason)] += count;
    return {
      now: this.#now,
      sessions: this.#sessions,
      categories,
      reasons: Object.fromEntries(this.#reasons) as Record<Reason, number>,
      fallbacks: this.#wouldLogOut.map((wouldLogOut, index) => ({ position: index + 1, wouldLogOut })),
      oldKeys: this.#wouldLogIn.map((wouldLogIn, index) => ({ position: index + 1, wouldLogIn })),
    };
  }
}
