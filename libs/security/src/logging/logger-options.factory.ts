import type { Params } from 'nestjs-pino';
import type { Logger } from 'pino';

/**
 * nestjs-pino over the platform logger, with no middleware of its own: the correlation id
 * comes from the request context and the one line per request is written by the
 * request-context middleware when the response finishes. Its binding middleware would
 * otherwise pick up the adapter's own (silent) request logger on Fastify.
 */
export function loggerOptions(logger: Logger): Params {
  return { pinoHttp: { logger }, useExisting: true, forRoutes: [] };
}
