import { createHash, createHmac } from 'node:crypto';

/**
 * The columns a row's hash covers, selected exactly as both the sealer and the verifier read
 * them, so the two always hash the same text.
 */
export const AUDIT_ROW_CONTENT_SQL = `id, event_type, user_id, resource, action,
  ip_address::text AS ip_address, details, service, correlation_id, "timestamp"`;

/** The content of one `audit_logs` row that its hash covers, as Postgres hands it back. */
export interface AuditRowContent {
  /** `bigint` as a decimal string. */
  seq: string;
  id: string;
  event_type: string;
  user_id: string | null;
  resource: string | null;
  action: string | null;
  /** `ip_address::text`, e.g. `203.0.113.7/32`. */
  ip_address: string | null;
  details: unknown;
  service: string;
  correlation_id: string | null;
  timestamp: Date;
  prev_hash: string;
}

/** JSON with object keys sorted at every level, so equal content always gives equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .map(
      (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
    );
  return `{${entries.join(',')}}`;
}

/**
 * The hash of one chain link: HMAC-SHA-256 keyed by `hmacKey` when one is configured
 * (a database superuser cannot then re-forge the chain after an edit), otherwise SHA-256.
 * The previous row's hash is part of the input, which is what makes the rows a chain.
 */
export function auditRowHash(row: AuditRowContent, hmacKey?: string): string {
  const input = canonicalJson([
    row.prev_hash,
    row.seq,
    row.id,
    row.event_type,
    row.user_id,
    row.resource,
    row.action,
    row.ip_address,
    row.details,
    row.service,
    row.correlation_id,
    row.timestamp.toISOString(),
  ]);
  const digest = hmacKey ? createHmac('sha256', hmacKey) : createHash('sha256');
  return digest.update(input, 'utf8').digest('hex');
}
