/** Field names whose values never reach a log line, at any depth (compared lower-case). */
export const SECRET_FIELD_NAMES: ReadonlySet<string> = new Set([
  'password',
  'new_password',
  'current_password',
  'password_hash',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'api_key',
  'secret',
  'secret_key',
  'code',
  'otp',
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
]);

/** What a secret's value becomes in a log line. */
export const REDACTED = '[REDACTED]';

const MAX_DEPTH = 8;

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** Walks plain objects and arrays only: requests, responses and errors have serializers. */
function redactValue(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const redacted = redactValue(item, depth + 1);
      if (redacted !== item) (copy ??= [...value])[index] = redacted;
    });
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const redacted = SECRET_FIELD_NAMES.has(key.toLowerCase())
      ? REDACTED
      : redactValue(item, depth + 1);
    if (redacted !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = redacted;
  }
  return copy ?? value;
}

/**
 * Replaces the values of {@link SECRET_FIELD_NAMES} at any depth of a log object, copying
 * only what changes. One pass over the object's keys: measured several times cheaper per
 * line than pino's path-based redaction with wildcards, which needs a path per depth.
 */
export function redactSecrets(object: Record<string, unknown>): Record<string, unknown> {
  return redactValue(object, 0) as Record<string, unknown>;
}
