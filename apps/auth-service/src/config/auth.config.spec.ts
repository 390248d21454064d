import { ConfigurationError } from '@msmebazaar/security';

import { authConfigFromEnv } from './auth.config';

const PRODUCTION = {
  ENVIRONMENT: 'production',
  SECRET_KEY: 'a-production-secret-of-forty-characters!!',
  DATABASE_URL: 'postgres://auth@db:5432/auth',
  SMTP_URL: 'smtp://mail:25',
  SIGNING_KEY_FILE: '/run/secrets/signing-key.pem',
};

describe('authConfigFromEnv', () => {
  it('should apply the contract defaults in development', () => {
    const config = authConfigFromEnv({});

    expect(config).toMatchObject({
      environment: 'development',
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 604_800,
      lockout: { maxFailedLogins: 5, lockSeconds: 900 },
      ipAutoBlock: { failedLogins: 20, windowSeconds: 600, blockSeconds: 3600 },
      signingKey: { kind: 'directory', directory: '.data/keys/auth-service' },
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/msmebazaar_auth',
    });
  });

  it('should accept a complete production configuration', () => {
    expect(authConfigFromEnv(PRODUCTION).signingKey).toEqual({
      kind: 'file',
      path: '/run/secrets/signing-key.pem',
    });
  });

  it.each([
    ['SECRET_KEY', { SECRET_KEY: 'short' }],
    ['SECRET_KEY', { SECRET_KEY: undefined }],
    ['SECRET_KEY', { SECRET_KEY: 'development-only-secret-key-change-me-0123456789' }],
    ['DATABASE_URL', { DATABASE_URL: undefined }],
    ['SMTP_URL', { SMTP_URL: undefined }],
    ['SIGNING_KEY_FILE', { SIGNING_KEY_FILE: undefined }],
    ['ACCOUNT_LOCKOUT', { ACCOUNT_LOCKOUT: '5' }],
    ['IP_AUTO_BLOCK', { IP_AUTO_BLOCK: '20/0/3600' }],
    ['ACCESS_TOKEN_EXPIRE_MINUTES', { ACCESS_TOKEN_EXPIRE_MINUTES: 'soon' }],
  ])('should refuse production with a bad %s, naming it', (variable, override) => {
    const attempt = () => authConfigFromEnv({ ...PRODUCTION, ...override });

    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(new RegExp(`^${variable}`));
  });
});
