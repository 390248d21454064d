import { INFRASTRUCTURE_PATHS } from '../security.constants';
import type { RawMiddleware } from '../headers/security-headers';
import type { SecurityMetrics } from '../metrics/security-metrics.service';
import { clientIp } from './client-ip';
import { RequestContext, type RequestContextStore } from './request-context';
import { REQUEST_ID_HEADER, resolveRequestId } from './request-id';

const INFRASTRUCTURE = new Set<string>(INFRASTRUCTURE_PATHS);

/** Whether a raw URL is one of the health or metrics routes. */
export function isInfrastructurePath(url: string | undefined): boolean {
  return INFRASTRUCTURE.has((url ?? '').split('?')[0]);
}

/**
 * Opens the request's context: correlation id (kept or made, echoed as `X-Request-Id`),
 * client address, and the request-duration measurement taken when the response ends.
 */
export function requestContextMiddleware(
  trustProxy: number,
  metrics: SecurityMetrics,
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
      authorization: request.headers.authorization,
    };
    if (!isInfrastructurePath(request.url)) {
      const started = process.hrtime.bigint();
      response.once('finish', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        metrics.httpRequest(
          request.method ?? 'GET',
          store.route ?? 'unmatched',
          response.statusCode,
          seconds,
        );
      });
    }
    RequestContext.run(store, () => next());
  };
}
