import type { RateLimitPolicy } from '../rate-limit/rate-limit-policy.interface';

/** The deployment environment; production tightens headers and refuses unsafe defaults. */
export type Environment = 'development' | 'test' | 'production';

/** Where the shared security state (revocations, IP blocks, rate-limit counters) lives. */
export interface RedisConnectionOptions {
  /** A single Redis (`redis://` or `rediss://`). */
  url?: string;
  /** Redis Cluster seed nodes (`host:port`); wins over `url`. */
  clusterNodes?: string[];
  /** Prefix of every key and channel, so environments and test runs never meet. */
  keyPrefix: string;
  /** Upper bound of one command on the request path. */
  commandTimeoutMs: number;
}

/** How access and API tokens are verified. */
export interface JwtVerificationOptions {
  issuer: string;
  audience: string;
  /** Pinned signature algorithm; the token header is never trusted for it. */
  algorithm: 'ES256' | 'ES384' | 'RS256' | 'PS256';
  /** Where auth-service publishes its public keys. */
  jwksUrl: string;
  /** Seconds of clock skew tolerated on `exp` and `nbf`. */
  clockToleranceSeconds: number;
}

/** Options of `SecurityModule.forRoot()`; build them with `securityOptionsFromEnv()`. */
export interface SecurityModuleOptions {
  serviceName: string;
  serviceVersion: string;
  environment: Environment;
  logLevel: string;
  jwt: JwtVerificationOptions;
  /** `null` keeps the state in process memory: development only, one instance only. */
  redis: RedisConnectionOptions | null;
  /** Number of proxy hops whose `X-Forwarded-For` entries are believed. */
  trustProxy: number;
  /** Policies by name; the built-in four can be overridden and more declared. */
  rateLimitPolicies: Record<string, RateLimitPolicy>;
  /** Serve Swagger UI at `/docs` and the document at `/docs-json`. */
  docsEnabled: boolean;
  /** Where log lines go; standard output when absent. Tests pass a stream to read them. */
  logStream?: NodeJS.WritableStream;
}
