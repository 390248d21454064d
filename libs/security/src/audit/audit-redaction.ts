/** Placeholder stored instead of a value whose key names a secret. */
export const REDACTED = '[REDACTED]';

// Whole key names that carry secrets, and suffixes that do (`password_hash`, `refresh_token`).
// `token_id`, `token_type` and `jti` are references, not secrets, so they stay readable.
const SECRET_KEY_NAMES = new Set([
  'password',
  'passwd',
  'secret',
  'token',
  'otp',
  'code',
  'otp_code',
  'authorization',
  'cookie',
  'set_cookie',
  'api_key',
  'x_api_key',
  'private_key',
]);
const SECRET_KEY_SUFFIXES = ['password', 'secret', 'hash', '_token', 'private_key', 'api_key'];

// Every audited row asks about the same few column and detail names; the answers are kept,
// up to a bound, since detail keys can also come from callers.
const secretKeyAnswers = new Map<string, boolean>();
const SECRET_KEY_ANSWERS_LIMIT = 4096;

function normalizeKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toLowerCase();
}

/**
 * Whether a field or detail key names a secret (`passwordHash`, `refresh_token`,
 * `Authorization`, `otp`). Such values are never written to an audit row.
 */
export function isSecretKey(key: string): boolean {
  let secret = secretKeyAnswers.get(key);
  if (secret === undefined) {
    const name = normalizeKey(key);
    secret =
      SECRET_KEY_NAMES.has(name) || SECRET_KEY_SUFFIXES.some((suffix) => name.endsWith(suffix));
    if (secretKeyAnswers.size < SECRET_KEY_ANSWERS_LIMIT) secretKeyAnswers.set(key, secret);
  }
  return secret;
}

/**
 * A JSON-safe deep copy of `value` with the values of secret keys replaced by
 * {@link REDACTED}, dates as ISO strings, bigints as strings and NUL characters removed
 * (Postgres `jsonb` rejects them). Functions, symbols and `undefined` are dropped.
 */
export function toAuditJson(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Buffer.isBuffer(value)) return '[binary]';
  if (depth > 16) return '[truncated]';
  switch (typeof value) {
    case 'string':
      return value.replaceAll('\u0000', '');
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object':
      return Array.isArray(value)
        ? value.map((item) => toAuditJson(item, depth + 1))
        : redactObject(value as Record<string, unknown>, depth);
    case 'undefined':
    case 'function':
    case 'symbol':
      return null;
  }
}

function redactObject(value: Record<string, unknown>, depth: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    result[key.replaceAll('\u0000', '')] = isSecretKey(key)
      ? REDACTED
      : toAuditJson(item, depth + 1);
  }
  return result;
}
