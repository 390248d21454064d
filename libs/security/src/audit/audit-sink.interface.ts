import type { SecurityEvent } from '../logging/security-event.interface';

/**
 * Persists audited security events. The event logger awaits `record` before the
 * response that caused the event is sent, so an acknowledged event is never lost.
 */
export interface AuditSink {
  record(event: SecurityEvent): Promise<void>;
}
