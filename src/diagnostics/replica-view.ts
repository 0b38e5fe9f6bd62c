import type { Verdict } from 'django-session-bridge/django';
import type { DjangoSettings } from 'django-session-bridge/django';
import type { SessionEngine } from '../config.ts';
import { createAuthenticate } from 'django-session-bridge';
import { createPrismaStore } from 'django-session-bridge/prisma';
import { lagCouldExplain, type ReadSource } from 'django-session-bridge';
import { line } from './format.ts';
import { openReadOnlyDatabase } from './read-only-database.ts';

/** What DATABASE_REPLICA_URL's replica says about a cookie, and so which database's verdict the service serves. */
export interface ReplicaView {
  verdict: Pick<Verdict, 'loggedIn' | 'reason'> | null;
  /** Why the replica gave no verdict. */
  error: string | null;
  answeredBy: Extract<ReadSource, 'replica' | 'fallback'>;
}

export interface ReplicaViewOptions {
  settings: DjangoSettings;
  engine: SessionEngine;
  now: Date;
  timeoutMs: number;
}

export async function viewOnReplica(cookie: string | undefined, url: string, { settings, engine, now, timeoutMs }: ReplicaViewOptions): Promise<ReplicaView> {
  const db = await openReadOnlyDatabase(url, timeoutMs);
  try {
    const { loggedIn, reason } = await createAuthenticate({ store: createPrismaStore(db.prisma), settings, engine, now: () => now })(cookie);
    return { verdict: { loggedIn, reason }, error: null, answeredBy: lagCouldExplain(reason) ? 'fallback' : 'replica' };
  } catch (error) {
    // A refused connection is an AggregateError with an empty message: its code says what happened.
    const { message, code } = error as { message?: string; code?: string };
    return { verdict: null, error: message?.split('\n')[0] || code || String(error), answeredBy: 'fallback' };
  } finally {
    await db.close();
  }
}

function said(verdict: Pick<Verdict, 'loggedIn' | 'reason'>): string {
  return `${verdict.loggedIn ? 'LOGGED IN' : 'NOT LOGGED IN'} (${verdict.reason})`;
}

/** session:inspect's "replica" field, next to the primary's verdict. */
export function formatReplicaView(view: ReplicaView, primary: Pick<Verdict, 'loggedIn' | 'reason'>): string {
  if (view.verdict === null) return line('replica', `did not answer (${view.error}): the service asks the primary, whose verdict is above`);
  if (view.answeredBy === 'fallback') return line('replica', `${said(view.verdict)}: replication lag could explain that, so the service asks the primary, whose verdict is above`);
  const stands = `${said(view.verdict)}: the service serves this while the replica is up and within DATABASE_REPLICA_MAX_LAG_MS`;
  if (view.verdict.loggedIn === primary.loggedIn && view.verdict.reason === primary.reason) return line('replica', stands);
  return line('replica', `${stands}\nthe primary says ${said(primary)}: the replica has not replayed Django's latest change yet (docs/deployment.md, "Read replicas")`);
}
