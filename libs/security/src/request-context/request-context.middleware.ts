import type { IncomingHttpHeaders } from 'node:http';

import type { Logger } from 'pino';

import type { RawMiddleware } from '../headers/security-headers';
import type { SecurityMetrics } from '../metrics/security-metrics.service';
import { INFRASTRUCTURE_PATHS } from '../security.constants';
import { clientIp } from './client-ip';
import { RequestContext, type RequestContextStore } from './request-context';
import { REQUEST_ID_HEADER, resolveRequestId } from './request-id';

const INFRASTRUCTURE = new Set<string>(INFRASTRUCTURE_PATHS);

/** A raw URL without its query string. */
function pathOf(url = ''): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Whether a raw URL is one of the health or metrics routes. */
export function isInfrastructurePath(url: string | undefined): boolean {
  return INFRASTRUCTURE.has(pathOf(url));
}

/**
 * The caller's credential as other services take it: an API token sent as `X-API-Key`
 * travels on as a bearer token, which every service accepts for API tokens too.
 */
function forwardableCredential(headers: IncomingHttpHeaders): string | undefined {
  if (headers.authorization) return headers.authorization;
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey ? `Bearer ${apiKey.trim()}` : undefined;
}

function levelOf(statusCode: number): 'info' | 'warn' | 'error' {
  if (statusCode >= 500) return 'error';
  return statusCode >= 400 ? 'warn' : 'info';
}

/**
 * Opens the request's context: correlation id (kept or made, echoed as `X-Request-Id`),
 * client address and caller's `Authorization` (for outbound calls). When the response
 * finishes it records the duration by route pattern and writes the request's one log
 * line; health and metrics are neither measured nor logged.
 */
export function requestContextMiddleware(
  trustProxy: number,
  metrics: SecurityMetrics,
  logger: Logger,
): RawMiddleware {
  return (request, response, next) => {
    const correlationId = resolveRequestId(request.headers[REQUEST_ID_HEADER]);
    request.headers[REQUEST_ID_HEADER] = correlationId;
    response.setHeader('X-Request-Id', correlationId);
    const store: RequestContextStore = {
      correlationId,
      clientIp: clientIp(
        request.headers['x-forwarded-for'],
        request.socket.remoteAddress,
        trustProxy,
      ),
      authorization: forwardableCredential(request.headers),
    };
    if (!isInfrastructurePath(request.url)) {
      const started = process.hrtime.bigint();
      response.once('finish', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const method = request.method ?? 'GET';
        const path = pathOf(request.url);
        const status = response.statusCode;
        metrics.httpRequest(method, store.route ?? 'unmatched', status, seconds);
        logger[levelOf(status)](
          {
            correlation_id: correlationId,
            user_id: store.userId,
            method,
            path,
            route: store.route,
            status_code: status,
            duration_ms: Math.round(seconds * 1e4) / 10,
          },
          `${method} ${path} answered ${status}`,
        );
      });
    }
    RequestContext.run(store, () => next());
  };
}
