import type { MigrationInterface, QueryRunner } from 'typeorm';

import { AUDIT_GENESIS_HASH } from './audit.constants';

const CONTENT_COLUMNS = [
  'id',
  'event_type',
  'user_id',
  'resource',
  'action',
  'ip_address',
  'details',
  'service',
  'correlation_id',
  '"timestamp"',
];

function contentOf(record: 'NEW' | 'OLD'): string {
  return `(${CONTENT_COLUMNS.map((column) => `${record}.${column}`).join(', ')})`;
}

const UP_SQL = [
  `CREATE TABLE audit_logs (
    id uuid PRIMARY KEY,
    event_type varchar(64) NOT NULL,
    user_id uuid NULL,
    resource varchar(255) NULL,
    action varchar(64) NULL,
    ip_address inet NULL,
    details jsonb NOT NULL DEFAULT '{}'::jsonb,
    service varchar(64) NOT NULL,
    correlation_id varchar(128) NULL,
    "timestamp" timestamptz NOT NULL,
    seq bigint NULL,
    prev_hash char(64) NULL,
    hash char(64) NULL,
    CONSTRAINT uq_audit_logs_seq UNIQUE (seq)
  )`,
  // The admin query: each filter leads an index that ends with the page order.
  `CREATE INDEX idx_audit_logs_timestamp ON audit_logs ("timestamp", id)`,
  `CREATE INDEX idx_audit_logs_event_type_timestamp ON audit_logs (event_type, "timestamp", id)`,
  `CREATE INDEX idx_audit_logs_user_id_timestamp ON audit_logs (user_id, "timestamp", id)`,
  // What the sealer reads: rows not yet in the chain, normally a handful.
  `CREATE INDEX idx_audit_logs_unsealed ON audit_logs ("timestamp", id) WHERE hash IS NULL`,
  `CREATE TABLE audit_chain_head (
    id smallint PRIMARY KEY CHECK (id = 1),
    seq bigint NOT NULL,
    hash char(64) NOT NULL
  )`,
  `INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, '${AUDIT_GENESIS_HASH}')`,
  // Rows are inserted unsealed and updated exactly once, to seal them, without any change to
  // their content; every other INSERT, UPDATE, DELETE and TRUNCATE is refused, whatever the
  // role. A superuser can still bypass triggers (session_replication_role = replica); the
  // hash chain is what detects that.
  `CREATE FUNCTION audit_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      IF NEW.seq IS NULL AND NEW.prev_hash IS NULL AND NEW.hash IS NULL THEN
        RETURN NEW;
      END IF;
    ELSIF TG_OP = 'UPDATE' THEN
      IF OLD.hash IS NULL AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL
        AND NEW.hash IS NOT NULL
        AND ${contentOf('NEW')} IS NOT DISTINCT FROM ${contentOf('OLD')} THEN
        RETURN NEW;
      END IF;
    END IF;
    RAISE EXCEPTION 'audit_logs is append-only: % rejected', TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END
  $$`,
  `CREATE TRIGGER audit_logs_append_only BEFORE INSERT OR UPDATE OR DELETE ON audit_logs
    FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only()`,
  `CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON audit_logs
    FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_append_only()`,
  // The head only moves forward and is never deleted, so the application role cannot
  // rewind the chain to hide a tail.
  `CREATE FUNCTION audit_chain_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'UPDATE' THEN
      IF NEW.id = OLD.id AND NEW.seq > OLD.seq THEN
        RETURN NEW;
      END IF;
    END IF;
    RAISE EXCEPTION 'audit_chain_head only moves forward: % rejected', TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END
  $$`,
  `CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE OR DELETE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION audit_chain_head_forward_only()`,
];

const DOWN_SQL = [
  'DROP TABLE audit_chain_head',
  'DROP FUNCTION audit_chain_head_forward_only()',
  'DROP TABLE audit_logs',
  'DROP FUNCTION audit_logs_append_only()',
];

/**
 * Creates `audit_logs` (append-only by trigger, indexed for the admin query) and the
 * one-row `audit_chain_head`. Listed in {@link AUDIT_MIGRATIONS} for each service's
 * DataSource; run it as the role that owns the schema, not as the application role.
 */
export class CreateAuditLogs1764720000000 implements MigrationInterface {
  name = 'CreateAuditLogs1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of UP_SQL) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of DOWN_SQL) await queryRunner.query(sql);
  }
}
