import { securityOptionsFromEnv, type SecurityModuleOptions } from '@msmebazaar/security';

/** auth-service's name and its own JWKS unless the environment says otherwise. */
const SERVICE_DEFAULTS = {
  SERVICE_NAME: 'auth-service',
  JWKS_URL: 'http://127.0.0.1:8001/.well-known/jwks.json',
};

/** The library's options for auth-service, from the environment. */
export function authSecurityOptions(
  env: Record<string, string | undefined> = process.env,
): SecurityModuleOptions {
  return securityOptionsFromEnv({ ...SERVICE_DEFAULTS, ...env });
}
