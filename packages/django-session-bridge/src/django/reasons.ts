/**
 * Why a visitor is or is not logged in. Every path through the decision ends in exactly one of these;
 * they are logged and counted, never shown to the visitor.
 */
export const REASONS = [
  'no_cookie',
  'malformed_key',
  'no_row',
  'expired',
  'bad_signature',
  'signature_expired',
  'bad_timestamp',
  'bad_base64',
  'bad_zlib',
  'too_large',
  'legacy_format_disabled',
  'pickled',
  'unsupported_pickle',
  'bad_pickle',
  'not_json',
  'not_object',
  'bad_cache_value',
  'anonymous',
  'bad_user_id',
  'backend_not_allowed',
  'no_user',
  'inactive',
  'no_hash',
  'hash_mismatch',
  'logged_in',
  'logged_in_fallback_key',
  'logged_in_legacy_hash',
] as const;

/** A verdict's reason code (docs/verdict.md lists them). */
export type Reason = (typeof REASONS)[number];
