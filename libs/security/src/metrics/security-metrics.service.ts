import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';

import type { RateLimitFailMode } from '../rate-limit/rate-limit-policy.interface';
import type { SecurityEventType } from '../logging/security-event.interface';
import {
  AUTH_ATTEMPTS_TOTAL,
  DB_QUERY_DURATION_SECONDS,
  HTTP_REQUEST_DURATION_SECONDS,
  OUTBOUND_REQUEST_DURATION_SECONDS,
  RATE_LIMIT_STORE_ERRORS_TOTAL,
  RATE_LIMIT_VIOLATIONS_TOTAL,
  SECURITY_EVENTS_TOTAL,
  SUSPICIOUS_ACTIVITY_TOTAL,
  TOKEN_VALIDATIONS_TOTAL,
} from './metric-names.constants';

/** Result label of `token_validations_total`. */
export type TokenValidationResult = 'valid' | 'invalid' | 'expired' | 'revoked';

/** Type label of `suspicious_activity_total`. */
export type SuspiciousActivityType = 'brute_force' | 'token_reuse' | 'injection' | 'blocked_ip';

/** Typed access to the platform's security metrics. */
@Injectable()
export class SecurityMetrics {
  constructor(
    @InjectMetric(AUTH_ATTEMPTS_TOTAL) private readonly authAttempts: Counter<'status'>,
    @InjectMetric(RATE_LIMIT_VIOLATIONS_TOTAL)
    private readonly rateLimitViolations: Counter<'endpoint' | 'policy'>,
    @InjectMetric(RATE_LIMIT_STORE_ERRORS_TOTAL)
    private readonly rateLimitStoreErrors: Counter<'policy' | 'fail_mode'>,
    @InjectMetric(TOKEN_VALIDATIONS_TOTAL) private readonly tokenValidations: Counter<'result'>,
    @InjectMetric(SUSPICIOUS_ACTIVITY_TOTAL) private readonly suspicious: Counter<'type'>,
    @InjectMetric(SECURITY_EVENTS_TOTAL) private readonly events: Counter<'event_type'>,
    @InjectMetric(HTTP_REQUEST_DURATION_SECONDS)
    private readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>,
    @InjectMetric(OUTBOUND_REQUEST_DURATION_SECONDS)
    private readonly outboundDuration: Histogram<'target' | 'method' | 'status_code'>,
    @InjectMetric(DB_QUERY_DURATION_SECONDS) private readonly dbDuration: Histogram<'operation'>,
  ) {}

  authAttempt(status: 'success' | 'failure'): void {
    this.authAttempts.inc({ status });
  }

  rateLimitViolation(endpoint: string, policy: string): void {
    this.rateLimitViolations.inc({ endpoint, policy });
  }

  rateLimitStoreError(policy: string, failMode: RateLimitFailMode): void {
    this.rateLimitStoreErrors.inc({ policy, fail_mode: failMode });
  }

  tokenValidation(result: TokenValidationResult): void {
    this.tokenValidations.inc({ result });
  }

  suspiciousActivity(type: SuspiciousActivityType): void {
    this.suspicious.inc({ type });
  }

  securityEvent(eventType: SecurityEventType): void {
    this.events.inc({ event_type: eventType });
  }

  httpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  outboundRequest(target: string, method: string, statusCode: number | 'error', seconds: number) {
    this.outboundDuration.observe({ target, method, status_code: String(statusCode) }, seconds);
  }

  dbQuery(operation: string, seconds: number): void {
    this.dbDuration.observe({ operation }, seconds);
  }
}
