/** One of Django's password hashers (django.contrib.auth.hashers.BasePasswordHasher), asynchronous. */
export interface PasswordHasher {
  /** The `algorithm` attribute: the first `$`-separated field of what it encodes. */
  readonly algorithm: string;
  /** A fresh salt, as the hasher's salt() makes it. */
  salt(): string;
  /** encode(password, salt): the string stored in the user's password column. */
  encode(password: string, salt: string): Promise<string>;
  /** verify(password, encoded); a malformed `encoded`, on which Django raises, is false here. */
  verify(password: string, encoded: string): Promise<boolean>;
  /** must_update(encoded): whether a hash of this algorithm was made with older parameters. */
  mustUpdate(encoded: string): boolean;
  /** harden_runtime(password, encoded): the work that closes the timing gap to the current parameters. */
  hardenRuntime(password: string, encoded: string): Promise<void>;
}

/** Thrown where Django raises ValueError or TypeError on a hasher's input. */
export class PasswordHasherError extends Error {
  override name = 'PasswordHasherError';
}
