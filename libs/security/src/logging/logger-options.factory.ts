import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Params } from 'nestjs-pino';
import { destination } from 'pino';

import type { SecurityModuleOptions } from '../config/security-options.interface';
import { isInfrastructurePath } from '../request-context/request-context.middleware';
import { REQUEST_ID_HEADER } from '../request-context/request-id';
import { redactSecrets } from './redaction.constants';

/**
 * nestjs-pino options: JSON lines with ISO `timestamp`, textual `level`, `service` and
 * `environment` on every line, the request's `correlation_id` on every line of the
 * request, one completion line per request (none for health and metrics), secrets
 * redacted, and requests serialised without headers or query strings at all.
 */
export function loggerOptions(options: SecurityModuleOptions): Params {
  const pretty = options.environment === 'development' && process.env.LOG_FORMAT !== 'json';
  const pinoHttp = {
    level: options.logLevel,
    base: { service: options.serviceName, environment: options.environment },
    timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
    formatters: { level: (label: string) => ({ level: label }), log: redactSecrets },
    genReqId: (request: IncomingMessage) => String(request.headers[REQUEST_ID_HEADER] ?? ''),
    customProps: (request: IncomingMessage) => ({
      correlation_id: String(request.headers[REQUEST_ID_HEADER] ?? ''),
    }),
    autoLogging: { ignore: (request: IncomingMessage) => isInfrastructurePath(request.url) },
    customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    customSuccessMessage: (request: IncomingMessage, response: ServerResponse) =>
      `${request.method} ${(request.url ?? '').split('?')[0]} answered ${response.statusCode}`,
    customErrorMessage: (request: IncomingMessage, response: ServerResponse) =>
      `${request.method} ${(request.url ?? '').split('?')[0]} failed with ${response.statusCode}`,
    serializers: {
      req: (request: { method?: string; url?: string; remoteAddress?: string }) => ({
        method: request.method,
        path: (request.url ?? '').split('?')[0],
      }),
      res: (response: { statusCode?: number }) => ({ status_code: response.statusCode }),
    },
    quietReqLogger: true,
    transport:
      pretty && !options.logStream
        ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } }
        : undefined,
  };
  if (pinoHttp.transport) return { pinoHttp };
  // Lines are buffered and written in 4 KiB batches off the request path; pino flushes the
  // buffer when the process exits, so only a hard crash can lose the last few lines.
  const stream = options.logStream ?? destination({ dest: 1, sync: false, minLength: 4096 });
  return { pinoHttp: [pinoHttp, stream] };
}
