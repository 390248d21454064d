/** The security event types of the platform contract. */
export const SECURITY_EVENT_TYPES = [
  'auth_success',
  'auth_failure',
  'permission_denied',
  'rate_limit_exceeded',
  'token_revoked',
  'token_reuse_detected',
  'account_locked',
  'ip_blocked',
  'data_access',
  'admin_action',
  'suspicious_activity',
] as const;

export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/** Event types that are logged and counted but never written to `audit_logs`. */
export const UNAUDITED_EVENT_TYPES: ReadonlySet<SecurityEventType> = new Set([
  'data_access',
  'rate_limit_exceeded',
]);

/** What a caller tells the {@link SecurityEventLogger} about one event. */
export interface SecurityEventInput {
  userId?: string | null;
  /** Defaults to the client address of the current request. */
  ipAddress?: string | null;
  resource?: string | null;
  action?: string | null;
  /** Free-form context; never put a secret here (it is also redacted by key name). */
  details?: Record<string, unknown>;
}

/** One security event as logged and, when `requires_audit`, persisted. */
export interface SecurityEvent {
  event_type: SecurityEventType;
  user_id: string | null;
  ip_address: string | null;
  correlation_id: string | null;
  resource: string | null;
  action: string | null;
  details: Record<string, unknown>;
  service: string;
  environment: string;
  requires_audit: boolean;
  timestamp: string;
}
