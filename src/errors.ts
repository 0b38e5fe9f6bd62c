/** The database did not answer (down, timed out, refused): the visitor gets 503, never a verdict. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
  readonly status = 503;
  readonly expose = true;

  constructor(cause: unknown) {
    super('The database is not answering', { cause });
  }
}
