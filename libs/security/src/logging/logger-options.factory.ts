import type { Params } from 'nestjs-pino';
import type { Logger } from 'pino';

/**
 * nestjs-pino over the platform logger. `useExisting` keeps pino-http (and its child
 * logger per request) out: the correlation id comes from the request context, and the
 * one line per request is written by the request-context middleware. nestjs-pino's own
 * middleware then only binds `request.log`, which that middleware sets to this
 * application's logger, so several applications in one process each log to their own.
 */
export function loggerOptions(logger: Logger): Params {
  return { pinoHttp: { logger }, useExisting: true };
}
