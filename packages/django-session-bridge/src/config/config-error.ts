/** A setting that can't be used as given; its message is one line naming the setting. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Throws a ConfigError: `${name} ${message}`. */
export function fail(name: string, message: string): never {
  throw new ConfigError(`${name} ${message}`);
}
