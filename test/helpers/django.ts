import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { sessionAuthHash } from 'django-session-bridge/django';
import { BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY } from 'django-session-bridge/django';
import { SESSION_SALT } from 'django-session-bridge/django';
import { signObject } from 'django-session-bridge/django';

export const MODEL_BACKEND = 'django.contrib.auth.backends.ModelBackend';

export interface UserFields {
  username: string;
  password?: string;
  isActive?: boolean;
  isStaff?: boolean;
  isSuperuser?: boolean;
  firstName?: string;
  lastName?: string;
  email?: string;
}

/** password, is_superuser, username, first_name, last_name, email, is_staff, is_active: a createuser row's values. */
export function userValues(fields: UserFields): unknown[] {
  return [
    fields.password ?? `pbkdf2_sha256$260000$${randomBytes(8).toString('hex')}$${randomBytes(32).toString('base64')}`,
    fields.isSuperuser ?? false,
    fields.username,
    fields.firstName ?? '',
    fields.lastName ?? '',
    fields.email ?? '',
    fields.isStaff ?? false,
    fields.isActive ?? true,
  ];
}

/** Inserts an auth_user row as Django's createuser would leave it; returns its id. */
export async function insertUser(db: pg.Pool | pg.Client, fields: UserFields): Promise<number> {
  const result = await db.query<{ id: number }>(
    `INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now()) RETURNING id`,
    userValues(fields),
  );
  return (result.rows[0] as { id: number }).id;
}

export function newSessionKey(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(32)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/** SessionStore.encode(): what Django writes into django_session.session_data. */
export function encodeSession(session: Record<string, unknown>, secretKey: string, timestamp?: number): string {
  return signObject(session, { key: secretKey, salt: SESSION_SALT, compress: true, timestamp });
}

/** The session dict django.contrib.auth.login() leaves behind. */
export function loginSession(userId: number, password: string, secretKey: string, backend = MODEL_BACKEND): Record<string, unknown> {
  return {
    [SESSION_KEY]: String(userId),
    [BACKEND_SESSION_KEY]: backend,
    [HASH_SESSION_KEY]: sessionAuthHash(password, secretKey),
  };
}

/** Inserts a django_session row; returns the session key (the cookie value). */
export async function insertSession(
  db: pg.Pool | pg.Client,
  sessionData: string,
  expireDate: Date = new Date(Date.now() + 14 * 24 * 3600 * 1000),
  key: string = newSessionKey(),
): Promise<string> {
  await db.query('INSERT INTO django_session (session_key, session_data, expire_date) VALUES ($1, $2, $3)', [key, sessionData, expireDate]);
  return key;
}

export async function userPassword(db: pg.Pool | pg.Client, id: number): Promise<string> {
  const result = await db.query<{ password: string }>('SELECT password FROM auth_user WHERE id = $1', [id]);
  return (result.rows[0] as { password: string }).password;
}

/**
 * pickle.dumps(session, 5) for a dict of str → str shorter than 256 bytes each: what Django's cache
 * backends store for a login session (the golden vectors cover everything else they write).
 */
export function pickleSession(session: Record<string, unknown>): Buffer {
  const short = (text: string) => Buffer.concat([Buffer.from([0x8c, Buffer.byteLength(text)]), Buffer.from(text)]);
  const items = Object.entries(session).flatMap(([key, value]) => [short(key), short(String(value))]);
  return Buffer.concat([Buffer.from([0x80, 0x05, 0x7d, 0x28]), ...items, Buffer.from([0x75, 0x2e])]);
}
