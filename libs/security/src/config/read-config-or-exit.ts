import { ConfigurationError } from './configuration.error';

/**
 * Reads a service's configuration at start; on an invalid or missing value prints one
 * line naming the variable and exits 1 (no logger exists before the configuration does).
 *
 * @example
 * const config = readConfigOrExit('msme-service', () => msmeServiceConfigFromEnv());
 */
export function readConfigOrExit<T>(serviceName: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    process.stderr.write(`${serviceName}: configuration error: ${error.message}\n`);
    process.exit(1);
  }
}
