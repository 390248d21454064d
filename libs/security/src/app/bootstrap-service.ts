import type { Server } from 'node:http';

import type { INestApplication, Type } from '@nestjs/common';
import type { Logger } from 'pino';

import { ConfigurationError } from '../config/configuration.error';
import { EnvReader } from '../config/env-reader';
import type { SecurityModuleOptions } from '../config/security-options.interface';
import { PLATFORM_LOGGER } from '../logging/platform-logger.factory';
import { SECURITY_OPTIONS } from '../security.tokens';
import { createSecureApp, type SecureAppOptions } from './create-secure-app';

const IDLE_SWEEP_MS = 50;

/** Options of {@link bootstrapService}; each falls back to the environment. */
export interface BootstrapOptions extends SecureAppOptions {
  /** Default `PORT`, else `defaultPort`. */
  port?: number;
  /** The service's own port, used when neither `port` nor `PORT` is set. Default 3000. */
  defaultPort?: number;
  /** Default `HOST`, else `0.0.0.0`. */
  host?: string;
  /** Longest wait for in-flight requests on SIGTERM; default `SHUTDOWN_DRAIN_MS`, else 10 s. */
  drainMs?: number;
}

/**
 * Starts a service: creates the secure application, listens, logs where, and on SIGTERM
 * or SIGINT stops accepting, lets in-flight requests finish (at most `drainMs`), closes
 * database and Redis connections and exits 0 — 1 if draining took too long.
 *
 * @example
 * void bootstrapService(AppModule, { port: 8002 });
 */
export async function bootstrapService(
  module: Type<unknown>,
  options: BootstrapOptions = {},
): Promise<INestApplication> {
  const env = new EnvReader();
  const app = await readConfigOrExitAsync(() => createSecureApp(module, options));
  const port =
    options.port ??
    env.integer('PORT', options.defaultPort ?? 3000, {
      min: 0,
      max: 65_535,
    });
  const host = options.host ?? env.string('HOST', '0.0.0.0');
  const drainMs = options.drainMs ?? env.integer('SHUTDOWN_DRAIN_MS', 10_000, { min: 0 });
  const logger = app.get<Logger>(PLATFORM_LOGGER);
  const settings = app.get<SecurityModuleOptions>(SECURITY_OPTIONS);

  // Nest's own shutdown hooks would also close the app; one handler keeps the order clear.
  // The first signal starts the shutdown and later ones are ignored: a terminal's Ctrl-C
  // reaches the whole process group, and a supervisor often sends SIGTERM after it.
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void shutDown(app, logger, signal, drainMs);
    });
  }
  await app.listen(port, host);
  logger.info(
    { port, environment: settings.environment, version: settings.serviceVersion },
    `${settings.serviceName} ready at ${await app.getUrl()}`,
  );
  // Written at once rather than with the next batch: supervisors wait for this line.
  logger.flush();
  return app;
}

/** Module factories read configuration too; their errors get the same one line. */
async function readConfigOrExitAsync<T>(start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    process.stderr.write(`configuration error: ${error.message}\n`);
    process.exit(1);
  }
}

async function shutDown(
  app: INestApplication,
  logger: Logger,
  signal: string,
  drainMs: number,
): Promise<void> {
  logger.info({ signal, drain_ms: drainMs }, 'shutting down: draining in-flight requests');
  const deadline = setTimeout(() => {
    logger.error({ drain_ms: drainMs }, 'drain time exceeded; exiting with requests in flight');
    process.exit(1);
  }, drainMs);
  deadline.unref();
  // Keep-alive connections become idle only once their in-flight request is answered;
  // closing them as they do lets the server stop without waiting for their timeout.
  const server = app.getHttpServer() as Server;
  const idleSweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  idleSweep.unref();
  try {
    await app.close();
    clearInterval(idleSweep);
    clearTimeout(deadline);
    logger.info({ signal }, 'shut down cleanly');
    logger.flush();
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}
