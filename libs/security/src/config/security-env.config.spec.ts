import { ConfigurationError } from './configuration.error';
import { securityOptionsFromEnv } from './security-env.config';

const base = { SERVICE_NAME: 'msme-service', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('securityOptionsFromEnv', () => {
  it('should apply the contract defaults', () => {
    const options = securityOptionsFromEnv(base);

    expect(options.jwt).toMatchObject({
      issuer: 'msmebazaar.com',
      audience: 'msmebazaar-api',
      algorithm: 'ES256',
    });
    expect(options.rateLimitPolicies.auth).toEqual({
      algorithm: 'sliding-window',
      limit: 5,
      windowSeconds: 300,
      failMode: 'closed',
    });
    expect(options.rateLimitPolicies.valuation.algorithm).toBe('token-bucket');
    expect(options.trustProxy).toBe(0);
    expect(options.docsEnabled).toBe(true);
  });

  it('should read RATE_LIMIT_<POLICY> overrides and shadow mode', () => {
    const options = securityOptionsFromEnv({
      ...base,
      RATE_LIMIT_AUTH: '10/60',
      RATE_LIMIT_SHADOW: 'api',
    });

    expect(options.rateLimitPolicies.auth).toMatchObject({ limit: 10, windowSeconds: 60 });
    expect(options.rateLimitPolicies.api.shadow).toBe(true);
  });

  it.each([
    [{ RATE_LIMIT_AUTH: 'five' }, 'RATE_LIMIT_AUTH'],
    [{ RATE_LIMIT_OTP: '0/300' }, 'RATE_LIMIT_OTP'],
    [{ TRUST_PROXY: '-1' }, 'TRUST_PROXY'],
    [{ ENVIRONMENT: 'staging' }, 'ENVIRONMENT'],
    [{ JWKS_URL: 'not a url' }, 'JWKS_URL'],
    [{ SERVICE_NAME: '' }, 'SERVICE_NAME'],
    [{ ENVIRONMENT: 'production', REDIS_URL: '' }, 'REDIS_URL'],
  ])('should refuse %j naming %s', (overrides, variable) => {
    const read = () => securityOptionsFromEnv({ ...base, ...overrides });

    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(new RegExp(`^${variable}: `));
  });

  it('should keep state in process when development has no Redis', () => {
    expect(securityOptionsFromEnv({ SERVICE_NAME: 'x' }).redis).toBeNull();
  });

  it('should turn docs off in production unless asked', () => {
    const production = { ...base, ENVIRONMENT: 'production' };

    expect(securityOptionsFromEnv(production).docsEnabled).toBe(false);
    expect(securityOptionsFromEnv({ ...production, DOCS_ENABLED: 'true' }).docsEnabled).toBe(true);
  });
});
