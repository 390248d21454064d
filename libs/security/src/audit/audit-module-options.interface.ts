/** Options of {@link AuditModule.forRoot}. */
export interface AuditModuleOptions {
  /**
   * Key of the row HMAC (`AUDIT_HMAC_KEY`); the verify command needs the same key. Without
   * one rows are chained with plain SHA-256, which detects edits but not a re-forged chain.
   */
  hmacKey?: string;
  /** `service` of data-change rows; defaults to the security options' `serviceName`. */
  serviceName?: string;
  /** How often new rows are sealed into the chain; default 1000, 0 turns sealing off. */
  sealIntervalMs?: number;
}
