/**
 * A template's csrf_token, as Django's csrf context processor gives it (SimpleLazyObject(get_token)): minted
 * by the first String() of it (a template's print) or JSON of it, the same token after that. A page that
 * never prints it mints nothing, and so, like Django's, sets no CSRF cookie.
 */
export class LazyCsrfToken {
  #token: string | undefined;
  readonly #mint: () => string;

  constructor(mint: () => string) {
    this.#mint = mint;
  }

  /** The token, minted on first use. */
  toString(): string {
    this.#token ??= this.#mint();
    return this.#token;
  }

  /** The token as a JSON string. */
  toJSON(): string {
    return this.toString();
  }
}
