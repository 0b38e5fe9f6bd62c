// What every library variant answers, byte for byte the floor's page, so that only the framework and the
// engine differ between them and the floor.
import { djangoAuthFromEnv, type DjangoAuth } from 'django-session-bridge';

/** The page for a verdict's user: the floor's body. */
export function page(user: { username: string } | null): string {
  return user === null ? '<!doctype html><h1>Not Logged In</h1>\n' : `<!doctype html><h1>Logged In!</h1><p>${user.username}</p>\n`;
}

export const CONTENT_TYPE = 'text/html; charset=utf-8';

/** The DjangoAuth every variant builds from the same environment the service reads. */
export function benchAuth(): DjangoAuth {
  return djangoAuthFromEnv();
}

/** PORT, as bench/run.ts assigns it. */
export function port(): number {
  return Number(process.env.PORT);
}

/** Closes the server and the pool on SIGTERM, as bench/run.ts stops every variant. */
export function onStop(stop: () => Promise<unknown> | unknown): void {
  process.once('SIGTERM', () => void Promise.resolve(stop()).finally(() => process.exit(0)));
}
