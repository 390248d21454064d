/** Field names whose values never reach a log line, at any of the first four depths. */
export const SECRET_FIELD_NAMES = [
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
  'code',
  'otp',
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
] as const;

/** pino `redact` paths for {@link SECRET_FIELD_NAMES} at the top and three levels below. */
export function redactionPaths(): string[] {
  return SECRET_FIELD_NAMES.flatMap((name) => {
    const step = /^[a-z_]+$/.test(name) ? `.${name}` : `["${name}"]`;
    return ['', '*', '*.*', '*.*.*'].map((prefix) =>
      prefix === '' && step.startsWith('.') ? name : `${prefix}${step}`,
    );
  });
}
