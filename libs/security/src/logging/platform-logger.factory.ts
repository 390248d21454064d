import pino, { destination, type Logger } from 'pino';

import type { SecurityModuleOptions } from '../config/security-options.interface';
import { RequestContext } from '../request-context/request-context';
import { redactSecrets } from './redaction.constants';

const LOG_FLUSH_INTERVAL_MS = 1_000;

/** Injection token of the service's root pino logger. */
export const PLATFORM_LOGGER = Symbol('PLATFORM_LOGGER');

let stampedAt = 0;
let stamp = '';

/** pino's `timestamp` as ISO text, formatted once per millisecond however many lines share it. */
function isoTimestamp(): string {
  const now = Date.now();
  if (now !== stampedAt) {
    stampedAt = now;
    stamp = `,"timestamp":"${new Date(now).toISOString()}"`;
  }
  return stamp;
}

/**
 * The service's one pino logger: JSON lines with an ISO `timestamp`, a textual `level`,
 * `service` and `environment` on every line, the current request's `correlation_id`
 * (read from the request context, so no child logger is made per request), and secrets
 * replaced at any depth. Development prints readable lines unless `LOG_FORMAT=json`.
 */
export function createPlatformLogger(options: SecurityModuleOptions): Logger {
  const pretty =
    options.environment === 'development' &&
    process.env.LOG_FORMAT !== 'json' &&
    !options.logStream;
  const settings: pino.LoggerOptions = {
    level: options.logLevel,
    base: { service: options.serviceName, environment: options.environment },
    timestamp: isoTimestamp,
    formatters: { level: (label) => ({ level: label }), log: redactSecrets },
    mixin: () => {
      const context = RequestContext.current();
      return context ? { correlation_id: context.correlationId } : {};
    },
    serializers: { err: pino.stdSerializers.err },
  };
  if (pretty) {
    return pino({
      ...settings,
      transport: {
        target: 'pino-pretty',
        options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
      },
    });
  }
  if (options.logStream) return pino(settings, options.logStream);
  // Lines are buffered and written in 4 KiB batches off the request path, and at least
  // once a second so a quiet service's lines still show promptly; pino flushes the buffer
  // when the process exits, so only a hard crash can lose the last second of lines.
  const stream = destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => stream.flush(), LOG_FLUSH_INTERVAL_MS).unref();
  return pino(settings, stream);
}
