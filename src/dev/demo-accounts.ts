import pg from 'pg';
import type { DemoDatabase } from './demo-database.ts';

export interface DemoAccount {
  username: string;
  isActive: boolean;
}

/** The demo users, offered on the demo page; logging in goes through the service's real log-in page. */
export interface DemoAccounts {
  list(): Promise<DemoAccount[]>;
  close(): Promise<void>;
}

export function createDemoAccounts(demo: DemoDatabase): DemoAccounts {
  const pool = new pg.Pool({ connectionString: demo.url, max: 1 });
  // An idle connection dropped by the server (it is stopping) is replaced on next use.
  pool.on('error', () => {});
  return {
    async list() {
      const result = await pool.query<{ username: string; is_active: boolean }>('SELECT username, is_active FROM auth_user ORDER BY id');
      return result.rows.map((row) => ({ username: row.username, isActive: row.is_active }));
    },
    close: () => pool.end(),
  };
}
