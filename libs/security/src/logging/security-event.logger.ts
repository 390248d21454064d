import { Inject, Injectable, Optional } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

import type { AuditSink } from '../audit/audit-sink.interface';
import type { SecurityModuleOptions } from '../config/security-options.interface';
import { SecurityMetrics, type SuspiciousActivityType } from '../metrics/security-metrics.service';
import { RequestContext } from '../request-context/request-context';
import { AUDIT_SINK, SECURITY_OPTIONS } from '../security.tokens';
import {
  UNAUDITED_EVENT_TYPES,
  type SecurityEvent,
  type SecurityEventInput,
  type SecurityEventType,
} from './security-event.interface';

const WARNING_EVENTS: ReadonlySet<SecurityEventType> = new Set([
  'auth_failure',
  'permission_denied',
  'rate_limit_exceeded',
  'token_revoked',
  'ip_blocked',
]);
const ERROR_EVENTS: ReadonlySet<SecurityEventType> = new Set([
  'token_reuse_detected',
  'account_locked',
  'suspicious_activity',
]);

/**
 * The one way the platform records security events: a structured log line with the
 * contract's fields, a count in `security_events_total`, and, for audited types, a row
 * of `audit_logs` written before the method resolves.
 */
@Injectable()
export class SecurityEventLogger {
  constructor(
    private readonly logger: PinoLogger,
    private readonly metrics: SecurityMetrics,
    @Inject(SECURITY_OPTIONS) private readonly options: SecurityModuleOptions,
    @Optional() @Inject(AUDIT_SINK) private readonly auditSink?: AuditSink,
  ) {
    this.logger.setContext('SecurityEvent');
  }

  logAuthSuccess(input: SecurityEventInput): Promise<void> {
    return this.log('auth_success', input);
  }

  logAuthFailure(input: SecurityEventInput): Promise<void> {
    return this.log('auth_failure', input);
  }

  logPermissionDenied(input: SecurityEventInput): Promise<void> {
    return this.log('permission_denied', input);
  }

  logRateLimitExceeded(input: SecurityEventInput): Promise<void> {
    return this.log('rate_limit_exceeded', input);
  }

  logTokenRevoked(input: SecurityEventInput): Promise<void> {
    return this.log('token_revoked', input);
  }

  logTokenReuseDetected(input: SecurityEventInput): Promise<void> {
    this.metrics.suspiciousActivity('token_reuse');
    return this.log('token_reuse_detected', input);
  }

  logAccountLocked(input: SecurityEventInput): Promise<void> {
    this.metrics.suspiciousActivity('brute_force');
    return this.log('account_locked', input);
  }

  logIpBlocked(input: SecurityEventInput): Promise<void> {
    return this.log('ip_blocked', input);
  }

  logDataAccess(input: SecurityEventInput): Promise<void> {
    return this.log('data_access', input);
  }

  logAdminAction(input: SecurityEventInput): Promise<void> {
    return this.log('admin_action', input);
  }

  logSuspiciousActivity(type: SuspiciousActivityType, input: SecurityEventInput): Promise<void> {
    this.metrics.suspiciousActivity(type);
    return this.log('suspicious_activity', { ...input, details: { type, ...input.details } });
  }

  private async log(eventType: SecurityEventType, input: SecurityEventInput): Promise<void> {
    const event = this.build(eventType, input);
    this.metrics.securityEvent(eventType);
    this.logger[this.levelOf(eventType)](
      { security_event: true, ...event },
      `security event ${eventType}${event.user_id ? ` for user ${event.user_id}` : ''}`,
    );
    if (event.requires_audit && this.auditSink) await this.auditSink.record(event);
  }

  private build(eventType: SecurityEventType, input: SecurityEventInput): SecurityEvent {
    const context = RequestContext.current();
    return {
      event_type: eventType,
      user_id: input.userId ?? context?.userId ?? null,
      ip_address: input.ipAddress ?? context?.clientIp ?? null,
      correlation_id: context?.correlationId ?? null,
      resource: input.resource ?? null,
      action: input.action ?? null,
      details: input.details ?? {},
      service: this.options.serviceName,
      environment: this.options.environment,
      requires_audit: !UNAUDITED_EVENT_TYPES.has(eventType),
      timestamp: new Date().toISOString(),
    };
  }

  private levelOf(eventType: SecurityEventType): 'info' | 'warn' | 'error' {
    if (ERROR_EVENTS.has(eventType)) return 'error';
    return WARNING_EVENTS.has(eventType) ? 'warn' : 'info';
  }
}
