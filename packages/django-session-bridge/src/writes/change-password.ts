import type { DjangoConfig } from '../config/settings.ts';
import { checkPassword, HASH_SESSION_KEY, makePassword, sessionAuthHash, type DjangoUser, type PasswordHashers } from '../django/index.ts';
import { savedHeaders, type SessionHeaders } from './responses.ts';
import type { SessionWriter } from './session-writers.ts';
import type { SessionCookieSettings } from './settings.ts';

/** PasswordChangeForm's and SetPasswordForm's error messages, word for word. */
export const PASSWORD_CHANGE_ERRORS = {
  password_incorrect: 'Your old password was entered incorrectly. Please enter it again.',
  password_mismatch: 'The two password fields didn’t match.',
} as const;

/** changePassword's answer: the new session's headers, or the form error Django would show. */
export type PasswordChangeOutcome =
  | ({ ok: true; sessionKey: string } & SessionHeaders)
  | { ok: false; error: keyof typeof PASSWORD_CHANGE_ERRORS; message: string };

/** What changePassword reads. */
export interface PasswordChangeContext {
  config: DjangoConfig;
  cookie: SessionCookieSettings;
  writer: SessionWriter;
  hashers: PasswordHashers;
}

/**
 * PasswordChangeForm (the old password checked, the two new ones equal), user.set_password + save, then
 * update_session_auth_hash: the session cycles to a new key with the new password's hash, so this visitor
 * stays logged in while every other session of the user no longer matches and is logged out.
 */
export async function changePassword(
  context: PasswordChangeContext,
  cookieValue: string | undefined,
  user: DjangoUser,
  passwords: { oldPassword: string; newPassword1: string; newPassword2: string },
): Promise<PasswordChangeOutcome> {
  const { config, writer } = context;
  if (!(await checkPassword(passwords.oldPassword, user.password, context.hashers)).valid) {
    return { ok: false, error: 'password_incorrect', message: PASSWORD_CHANGE_ERRORS.password_incorrect };
  }
  if (passwords.newPassword1 !== passwords.newPassword2) {
    return { ok: false, error: 'password_mismatch', message: PASSWORD_CHANGE_ERRORS.password_mismatch };
  }
  const encoded = await makePassword(passwords.newPassword1, context.hashers);
  const nowMs = Date.now();
  const current = await writer.load(cookieValue, nowMs);
  const data = current.data;
  data[HASH_SESSION_KEY] = sessionAuthHash(encoded, config.django.secretKey);
  const sessionKey = await writer.saveNew(data, current.key, nowMs, (tx) => tx.savePassword(user.id, encoded));
  return { ok: true, sessionKey, ...savedHeaders(sessionKey, data, context.cookie, config.csrf, null, nowMs) };
}
