import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';

/**
 * nestjs-pino's `PinoLogger` bound to one application's platform logger.
 *
 * nestjs-pino looks the logger up per request in an AsyncLocalStorage of its own, entered by
 * a middleware on every request. A second storage beside the request context makes every
 * promise of every request pay for one more propagation, and that middleware one more layer:
 * together about a sixth of the pipeline's throughput. No line needs a per-request logger
 * (the platform logger adds the correlation id from the request context), so this one
 * answers its application's logger directly, and applications sharing a process (tests,
 * benchmarks) still each write to their own.
 */
export class PlatformPinoLogger extends PinoLogger {
  constructor(private readonly platformLogger: Logger) {
    super({ pinoHttp: { logger: platformLogger } });
  }

  override get logger(): Logger {
    return this.platformLogger;
  }
}

/** The Nest `LoggerService` over an application's platform logger (`app.useLogger`). */
export function createNestLogger(platformLogger: Logger): NestPinoLogger {
  return new NestPinoLogger(new PlatformPinoLogger(platformLogger), {});
}
