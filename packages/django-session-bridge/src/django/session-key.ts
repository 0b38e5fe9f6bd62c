// Django's session keys are get_random_string(32, 'abcdefghijklmnopqrstuvwxyz0123456789'); the column is
// varchar(40) and SessionBase rejects keys shorter than 8. Anything else cannot be a row, so is never queried.
const SESSION_KEY = /^[a-z0-9]{8,40}$/;

/** Whether a cookie value can be a session key at all: [a-z0-9], 8 to 40 characters. */
export function isSessionKey(value: string): boolean {
  return SESSION_KEY.test(value);
}
