import type { RateLimitPolicy } from '../rate-limit/rate-limit-policy.interface';
import { ConfigurationError } from './configuration.error';
import { EnvReader } from './env-reader';
import type { Environment, SecurityModuleOptions } from './security-options.interface';

/** The contract's policies before any `RATE_LIMIT_<POLICY>` override. */
export const DEFAULT_RATE_LIMIT_POLICIES: Readonly<Record<string, RateLimitPolicy>> = {
  auth: { algorithm: 'sliding-window', limit: 5, windowSeconds: 300, failMode: 'closed' },
  otp: { algorithm: 'fixed-window', limit: 3, windowSeconds: 300, failMode: 'closed' },
  api: { algorithm: 'sliding-window', limit: 100, windowSeconds: 60, failMode: 'open' },
  valuation: { algorithm: 'token-bucket', limit: 10, windowSeconds: 300, failMode: 'open' },
};

const ENVIRONMENTS: readonly Environment[] = ['development', 'test', 'production'];

/**
 * Reads the library's options from the environment (names as in `.env.example`).
 *
 * @throws ConfigurationError naming the first invalid variable.
 */
export function securityOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
): SecurityModuleOptions {
  const read = new EnvReader(env);
  const environment = read.oneOf('ENVIRONMENT', ENVIRONMENTS, 'development');
  return {
    serviceName: read.string('SERVICE_NAME'),
    serviceVersion: read.string('SERVICE_VERSION', '0.0.0'),
    environment,
    logLevel: read.oneOf(
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      'info',
    ),
    jwt: {
      issuer: read.string('JWT_ISSUER', 'msmebazaar.com'),
      audience: read.string('JWT_AUDIENCE', 'msmebazaar-api'),
      algorithm: read.oneOf('JWT_ALGORITHM', ['ES256', 'ES384', 'RS256', 'PS256'], 'ES256'),
      jwksUrl: read.url('JWKS_URL', 'http://127.0.0.1:8001/.well-known/jwks.json'),
      clockToleranceSeconds: read.integer('JWT_CLOCK_TOLERANCE_SECONDS', 5, { min: 0, max: 60 }),
    },
    redis: redisOptionsFromEnv(read, environment),
    trustProxy: read.integer('TRUST_PROXY', 0, { min: 0, max: 10 }),
    rateLimitPolicies: rateLimitPoliciesFromEnv(read),
    docsEnabled: read.boolean('DOCS_ENABLED', environment !== 'production'),
  };
}

function redisOptionsFromEnv(read: EnvReader, environment: Environment) {
  const url = read.optionalString('REDIS_URL');
  const clusterNodes = read.list('REDIS_CLUSTER_NODES');
  if (!url && clusterNodes.length === 0) {
    if (environment === 'production') {
      throw new ConfigurationError('REDIS_URL', 'is required in production');
    }
    return null;
  }
  return {
    url,
    clusterNodes: clusterNodes.length > 0 ? clusterNodes : undefined,
    keyPrefix: read.string('REDIS_KEY_PREFIX', 'msb:'),
    commandTimeoutMs: read.integer('REDIS_COMMAND_TIMEOUT_MS', 100, { min: 5, max: 10_000 }),
  };
}

/** Parses `RATE_LIMIT_<POLICY>=<limit>/<seconds>` over the defaults. */
function rateLimitPoliciesFromEnv(read: EnvReader): Record<string, RateLimitPolicy> {
  const policies: Record<string, RateLimitPolicy> = { ...DEFAULT_RATE_LIMIT_POLICIES };
  const shadow = new Set(read.list('RATE_LIMIT_SHADOW').map((name) => name.toLowerCase()));
  for (const [suffix, value] of read.withPrefix('RATE_LIMIT_')) {
    if (suffix === 'SHADOW') continue;
    const name = suffix.toLowerCase();
    const base = policies[name];
    if (!base) continue;
    const match = /^(\d+)\/(\d+)$/.exec(value);
    if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
      throw new ConfigurationError(
        `RATE_LIMIT_${suffix}`,
        'must look like <limit>/<seconds>, e.g. 5/300',
      );
    }
    policies[name] = { ...base, limit: Number(match[1]), windowSeconds: Number(match[2]) };
  }
  for (const name of shadow) {
    if (policies[name]) policies[name] = { ...policies[name], shadow: true };
  }
  return policies;
}
