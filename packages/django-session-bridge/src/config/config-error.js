/** A setting that can't be used as given; its message is one line naming the setting. */
export class ConfigError extends Error {
    name = 'ConfigError';
}
/** Throws a ConfigError: `${name} ${message}`. */
export function fail(name, message) {
    throw new ConfigError(`${name} ${message}`);
}
//# sourceMappingURL=config-error.js.map