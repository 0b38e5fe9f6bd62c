// Django has no throttling of its own; a log-in page open to the Internet needs one. This one counts failed
// attempts per username and per client address in a sliding window, in this process only: with several
// instances (WEB_CONCURRENCY, more machines) each keeps its own counts, so the effective limit is the
// configured one times the number of instances, unless a shared limiter (a reverse proxy's, or one in Redis)
// sits in front.

/** How many failures are allowed per key within the window; maxFailures 0 turns the limiter off. */
export interface ThrottleSettings {
  maxFailures: number;
  windowSeconds: number;
}

/** Keys are remembered at most this many at once: the oldest are forgotten first. */
const MAX_KEYS = 100_000;

/** Failed log-ins per username and per client address. */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly settings: ThrottleSettings, private readonly now: () => number = Date.now) {}

  private recent(key: string): number[] {
    const since = this.now() - this.settings.windowSeconds * 1000;
    const times = (this.failures.get(key) ?? []).filter((time) => time > since);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }

  /** Seconds until another attempt is allowed for any of these keys, or 0 when it is allowed now. */
  retryAfter(keys: readonly string[]): number {
    if (this.settings.maxFailures === 0) return 0;
    let wait = 0;
    for (const key of keys) {
      const times = this.recent(key);
      if (times.length >= this.settings.maxFailures) {
        const oldest = times[times.length - this.settings.maxFailures]!;
        wait = Math.max(wait, Math.ceil((oldest + this.settings.windowSeconds * 1000 - this.now()) / 1000));
      }
    }
    return wait;
  }

  /** Counts one failure against each key. */
  fail(keys: readonly string[]): void {
    if (this.settings.maxFailures === 0) return;
    for (const key of keys) {
      const times = this.recent(key);
      times.push(this.now());
      this.failures.delete(key);
      this.failures.set(key, times.slice(-this.settings.maxFailures));
      if (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
    }
  }
}

/** The keys a log-in attempt counts against: its username (as typed, lower-cased) and its client address. */
export function throttleKeys(username: string, address: string): string[] {
  return [`user:${username.toLowerCase()}`, `addr:${address}`];
}
