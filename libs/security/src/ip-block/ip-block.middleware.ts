import { instanceOf, problemFor, writeRawProblem } from '../errors/problem-details';
import type { RawMiddleware } from '../headers/security-headers';
import type { SecurityMetrics } from '../metrics/security-metrics.service';
import { RequestContext } from '../request-context/request-context';
import { isInfrastructurePath } from '../request-context/request-context.middleware';
import type { IpBlockService } from './ip-block.service';

/**
 * Answers 403 to a blocked client before routing, so unknown routes are covered too.
 * Health and metrics stay reachable so probes and scrapes keep working.
 *
 * Blocked requests are counted (`suspicious_activity_total{type="blocked_ip"}`) rather
 * than audited one by one: a blocked client could otherwise flood the audit trail.
 */
export function ipBlockMiddleware(blocks: IpBlockService, metrics: SecurityMetrics): RawMiddleware {
  return (request, response, next) => {
    const context = RequestContext.current();
    if (!context || isInfrastructurePath(request.url) || !blocks.blockCovering(context.clientIp)) {
      next();
      return;
    }
    metrics.suspiciousActivity('blocked_ip');
    writeRawProblem(
      response,
      problemFor(
        403,
        instanceOf(request.url),
        context.correlationId,
        'Requests from this address are blocked.',
      ),
    );
  };
}
