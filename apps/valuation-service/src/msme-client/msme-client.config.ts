import { EnvReader } from '@msmebazaar/security';

/** Injection token of {@link MsmeClientConfig}. */
export const MSME_CLIENT_CONFIG = Symbol('MSME_CLIENT_CONFIG');

/** Where msme-service is and how long to wait for it. */
export interface MsmeClientConfig {
  baseUrl: string;
  timeoutMs: number;
}

/** Reads `MSME_SERVICE_URL` and `MSME_SERVICE_TIMEOUT_MS`. */
export function msmeClientConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
): MsmeClientConfig {
  const read = new EnvReader(env);
  return {
    baseUrl: read.url('MSME_SERVICE_URL', 'http://127.0.0.1:8002').replace(/\/+$/, ''),
    timeoutMs: read.integer('MSME_SERVICE_TIMEOUT_MS', 2000, { min: 50, max: 60_000 }),
  };
}
