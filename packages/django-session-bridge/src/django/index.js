// The pure Django rules: signing, session data, CSRF, permissions, pickle and Python's JSON. No I/O.
export * from "./auth-hash.js";
export * from "./base62.js";
export * from "./base64.js";
export * from "./cache-key.js";
export * from "./cache-value.js";
export * from "./cookies.js";
export * from "./crypto.js";
export * from "./csrf.js";
export * from "./get-user.js";
export * from "./index.js";
export * from "./permissions.js";
export * from "./pickle-classes.js";
export * from "./pickle-json.js";
export * from "./pickle-text.js";
export * from "./pickle-values.js";
export * from "./pickle.js";
export * from "./python-json.js";
export * from "./reasons.js";
export * from "./request-origin.js";
export * from "./session-data.js";
export * from "./session-key.js";
export * from "./settings.js";
export * from "./signing.js";
export * from "./timezone.js";
export * from "./urls.js";
export * from "./user-id.js";
//# sourceMappingURL=index.js.map