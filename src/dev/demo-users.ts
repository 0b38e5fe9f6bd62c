import type pg from 'pg';
import { makePassword } from './make-password.ts';

export interface DemoUser {
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  isActive: boolean;
  isStaff: boolean;
}

/** Every demo user's password, hashed as Django hashes it, so a Django site on this database accepts it too. */
export const DEMO_PASSWORD = 'demo';

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'alice', firstName: 'Alice', lastName: 'Liddell', email: 'alice@example.com', isActive: true, isStaff: true },
  { username: 'bob', firstName: 'Bob', lastName: 'Builder', email: 'bob@example.com', isActive: true, isStaff: false },
  // Django refuses the sessions of an inactive user: logging in as carol shows "Not Logged In".
  { username: 'carol', firstName: 'Carol', lastName: 'Danvers', email: 'carol@example.com', isActive: false, isStaff: false },
];

/** Inserts the demo users that are missing (hashing is slow on purpose, so existing rows are left as they are). */
export async function addDemoUsers(client: pg.ClientBase, iterations: number): Promise<void> {
  const existing = await client.query<{ username: string }>('SELECT username FROM auth_user WHERE username = ANY($1)', [
    DEMO_USERS.map((user) => user.username),
  ]);
  const present = new Set(existing.rows.map((row) => row.username));
  for (const user of DEMO_USERS.filter((candidate) => !present.has(candidate.username))) {
    await client.query(
      `INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
       VALUES ($1, false, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (username) DO NOTHING`,
      [makePassword(DEMO_PASSWORD, iterations), user.username, user.firstName, user.lastName, user.email, user.isStaff, user.isActive],
    );
  }
}
