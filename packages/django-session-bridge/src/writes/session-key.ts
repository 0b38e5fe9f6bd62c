import { getRandomString } from '../django/index.ts';

const VALID_KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** SessionBase._get_new_session_key's candidate: 32 lowercase letters and digits. */
export function newSessionKey(): string {
  return getRandomString(32, VALID_KEY_CHARS);
}
