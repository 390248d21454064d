/** Metadata key set by `@Audited()` on an entity class: the audited resource name. */
export const AUDITED_RESOURCE_KEY = 'msmebazaar:audited-resource';

/** Metadata key set by `@AuditSensitive()`: property names never copied into audit rows. */
export const AUDIT_SENSITIVE_KEY = 'msmebazaar:audit-sensitive';

/** `event_type` of the audit rows written for changes of audited entities. */
export const DATA_CHANGE_EVENT_TYPE = 'data_change';

/** `prev_hash` of the first row of a chain. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** Injection token of the resolved {@link AuditModuleOptions}. */
export const AUDIT_MODULE_OPTIONS = Symbol('AUDIT_MODULE_OPTIONS');
