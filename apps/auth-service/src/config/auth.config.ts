/*
 * Configuration of auth-service, besides the library's names (see securityOptionsFromEnv):
 *
 * SECRET_KEY                   HMAC key of stored tokens and OTP codes; 32+ chars in production.
 * ACCESS_TOKEN_EXPIRE_MINUTES  Lifetime of access tokens in minutes (default 15).
 * REFRESH_TOKEN_EXPIRE_DAYS    Lifetime of refresh tokens and sessions in days (default 7).
 * DATABASE_URL                 PostgreSQL URL; required in production.
 * DB_MIGRATE_ON_START          Run pending migrations at start (default true outside production).
 * DB_POOL_SIZE                 Connections in the Postgres pool (default 10).
 * SMTP_URL                     SMTP server for mail (smtp:// or smtps://); required in production.
 * MAIL_FROM                    Sender of every mail (default MSMEBazaar <no-reply@msmebazaar.com>).
 * PUBLIC_BASE_URL              Base of the links in mails (default http://localhost:3000).
 * ACCOUNT_LOCKOUT              <failed logins>/<lock seconds> for account lockout (default 5/900).
 * IP_AUTO_BLOCK                <failed logins>/<window s>/<block s> per client IP (20/600/3600).
 * SIGNING_KEYS_DIR             Development: where the generated ES256 key is kept
 *                              (default .data/keys/auth-service).
 * SIGNING_KEY_PEM              Production: the ES256 private key, PKCS#8 PEM or private JWK.
 * SIGNING_KEY_FILE             Production: a mounted file with that key (wins over the PEM).
 * AUDIT_HMAC_KEY               Key of the audit-log HMAC chain (the library's audit module).
 * ADMIN_PASSWORD               `npm run create-admin` only: the admin's password (else stdin).
 */
import { ConfigurationError, EnvReader, type Environment } from '@msmebazaar/security';

/** Injection token of the resolved {@link AuthConfig}. */
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

/** Where the current signing key comes from. */
export type SigningKeySource =
  | { kind: 'directory'; directory: string }
  | { kind: 'inline'; material: string }
  | { kind: 'file'; path: string };

/** The typed configuration of auth-service. */
export interface AuthConfig {
  environment: Environment;
  secretKey: string;
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  databaseUrl: string;
  migrateOnStart: boolean;
  dbPoolSize: number;
  smtpUrl?: string;
  mailFrom: string;
  publicBaseUrl: string;
  lockout: { maxFailedLogins: number; lockSeconds: number };
  ipAutoBlock: { failedLogins: number; windowSeconds: number; blockSeconds: number };
  signingKey: SigningKeySource;
}

const DEV_SECRET_KEY = 'development-only-secret-key-change-me-0123456789';
const DEV_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/msmebazaar_auth';
const MIN_SECRET_KEY_LENGTH = 32;

/**
 * Reads and validates the configuration.
 *
 * @throws ConfigurationError naming the first invalid variable.
 */
export function authConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
): AuthConfig {
  const read = new EnvReader(env);
  const environment = read.oneOf<Environment>(
    'ENVIRONMENT',
    ['development', 'test', 'production'],
    'development',
  );
  const production = environment === 'production';
  const smtpUrl = read.optionalString('SMTP_URL');
  if (production && !smtpUrl) throw new ConfigurationError('SMTP_URL', 'is required in production');
  if (smtpUrl) read.url('SMTP_URL');

  return {
    environment,
    secretKey: secretKeyFrom(read, production),
    issuer: read.string('JWT_ISSUER', 'msmebazaar.com'),
    audience: read.string('JWT_AUDIENCE', 'msmebazaar-api'),
    accessTokenTtlSeconds:
      60 * read.integer('ACCESS_TOKEN_EXPIRE_MINUTES', 15, { min: 1, max: 1440 }),
    refreshTokenTtlSeconds:
      86_400 * read.integer('REFRESH_TOKEN_EXPIRE_DAYS', 7, { min: 1, max: 90 }),
    databaseUrl: production ? read.url('DATABASE_URL') : read.url('DATABASE_URL', DEV_DATABASE_URL),
    migrateOnStart: read.boolean('DB_MIGRATE_ON_START', !production),
    dbPoolSize: read.integer('DB_POOL_SIZE', 10, { min: 1, max: 200 }),
    smtpUrl,
    mailFrom: read.string('MAIL_FROM', 'MSMEBazaar <no-reply@msmebazaar.com>'),
    publicBaseUrl: read.url('PUBLIC_BASE_URL', 'http://localhost:3000').replace(/\/+$/, ''),
    lockout: lockoutFrom(read),
    ipAutoBlock: ipAutoBlockFrom(read),
    signingKey: signingKeyFrom(read, production),
  };
}

function secretKeyFrom(read: EnvReader, production: boolean): string {
  if (!production) return read.string('SECRET_KEY', DEV_SECRET_KEY);
  const secret = read.string('SECRET_KEY');
  if (secret === DEV_SECRET_KEY) {
    throw new ConfigurationError('SECRET_KEY', 'must not be the development default in production');
  }
  if (secret.length < MIN_SECRET_KEY_LENGTH) {
    throw new ConfigurationError(
      'SECRET_KEY',
      `must be at least ${MIN_SECRET_KEY_LENGTH} characters`,
    );
  }
  return secret;
}

function lockoutFrom(read: EnvReader): AuthConfig['lockout'] {
  const [maxFailedLogins, lockSeconds] = positiveIntegers(read, 'ACCOUNT_LOCKOUT', '5/900', 2);
  return { maxFailedLogins, lockSeconds };
}

function ipAutoBlockFrom(read: EnvReader): AuthConfig['ipAutoBlock'] {
  const [failedLogins, windowSeconds, blockSeconds] = positiveIntegers(
    read,
    'IP_AUTO_BLOCK',
    '20/600/3600',
    3,
  );
  return { failedLogins, windowSeconds, blockSeconds };
}

/** Parses `<n>/<n>[/<n>]` settings. */
function positiveIntegers(
  read: EnvReader,
  name: string,
  fallback: string,
  count: number,
): number[] {
  const raw = read.string(name, fallback);
  const parts = raw.split('/');
  const values = parts.map((part) => (/^\d+$/.test(part) ? Number(part) : 0));
  if (parts.length !== count || values.some((value) => value < 1)) {
    throw new ConfigurationError(name, `must look like ${fallback}, got "${raw}"`);
  }
  return values;
}

function signingKeyFrom(read: EnvReader, production: boolean): SigningKeySource {
  const file = read.optionalString('SIGNING_KEY_FILE');
  if (file) return { kind: 'file', path: file };
  const inline = read.optionalString('SIGNING_KEY_PEM');
  if (inline) return { kind: 'inline', material: inline.replace(/\\n/g, '\n') };
  if (production) {
    throw new ConfigurationError(
      'SIGNING_KEY_FILE',
      'or SIGNING_KEY_PEM is required in production',
    );
  }
  return {
    kind: 'directory',
    directory: read.string('SIGNING_KEYS_DIR', '.data/keys/auth-service'),
  };
}
