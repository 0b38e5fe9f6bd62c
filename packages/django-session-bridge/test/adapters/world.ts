import pg from 'pg';
import { createDjangoAuth, type DjangoAuth, type DjangoAuthOptions } from '../../src/index.ts';
import type { CsrfOptions } from '../../src/web/csrf.ts';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/database.ts';
import type { RunningApp, StartApp } from './contract.ts';

/** The SECRET_KEY of the contract's apps (the session vectors name their own). */
export const SECRET = 'adapter-contract-secret-key-0123456789abcdefghijklmnopqrstuvwxyz';

/** The world of one group of checks: a database with Django's schema, a pool writing as Django would, apps. */
export class World {
  database!: TestDatabase;
  django!: pg.Pool;
  readonly #auths = new Map<string, DjangoAuth>();
  readonly #apps = new Map<string, RunningApp>();
  readonly #start: StartApp;

  constructor(start: StartApp) {
    this.#start = start;
  }

  async open(): Promise<void> {
    this.database = await createTestDatabase();
    this.django = new pg.Pool({ connectionString: this.database.url, max: 2 });
  }

  /** One app per distinct set of options, each around its own DjangoAuth on this world's database. */
  async app(options: Partial<DjangoAuthOptions> = {}, csrf: CsrfOptions = {}, fresh = false): Promise<RunningApp> {
    const id = JSON.stringify(options);
    if (!fresh && this.#apps.has(id)) return this.#apps.get(id)!;
    const auth = createDjangoAuth({ databaseUrl: this.database.url, secretKey: SECRET, timeoutMs: 10_000, ...options });
    const running = await this.#start(auth, csrf);
    const key = fresh ? `${id} ${this.#apps.size}` : id;
    this.#auths.set(key, auth);
    this.#apps.set(key, running);
    return running;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#apps.values()].map((app) => app.close()));
    await Promise.all([...this.#auths.values()].map((auth) => auth.close()));
    await this.django?.end();
    await this.database?.drop();
  }
}
