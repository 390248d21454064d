/** Injection token of the resolved {@link SecurityModuleOptions}. */
export const SECURITY_OPTIONS = Symbol('SECURITY_OPTIONS');

/** Injection token of the shared ioredis client (`Redis` or `Cluster`), or `null` in process. */
export const SECURITY_REDIS = Symbol('SECURITY_REDIS');

/** Injection token of the {@link AuditSink} that persists audited security events. */
export const AUDIT_SINK = Symbol('AUDIT_SINK');
