import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * One row of the append-only, hash-chained audit trail (`audit_logs`). Rows are written
 * and sealed only by {@link AuditChainService}; a database trigger rejects any other UPDATE,
 * and every DELETE.
 */
@Entity({ name: 'audit_logs' })
@Unique('uq_audit_logs_seq', ['seq'])
@Index('idx_audit_logs_timestamp', ['timestamp', 'id'])
@Index('idx_audit_logs_event_type_timestamp', ['eventType', 'timestamp', 'id'])
@Index('idx_audit_logs_user_id_timestamp', ['userId', 'timestamp', 'id'])
@Index('idx_audit_logs_unsealed', ['timestamp', 'id'], { where: 'hash IS NULL' })
export class AuditLog {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType: string;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  resource: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  action: string | null;

  @Column({ name: 'ip_address', type: 'inet', nullable: true })
  ipAddress: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  details: Record<string, unknown>;

  @Column({ type: 'varchar', length: 64 })
  service: string;

  @Column({ name: 'correlation_id', type: 'varchar', length: 128, nullable: true })
  correlationId: string | null;

  @Column({ type: 'timestamptz' })
  timestamp: Date;

  /** Position in the chain from 1, set when the row is sealed; a string (`bigint`). */
  @Column({ type: 'bigint', nullable: true })
  seq: string | null;

  @Column({ name: 'prev_hash', type: 'char', length: 64, nullable: true })
  prevHash: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  hash: string | null;
}

/** The one-row head of the chain: its last `seq` and `hash`, locked by every writer. */
@Entity({ name: 'audit_chain_head' })
export class AuditChainHead {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @Column({ type: 'bigint' })
  seq: string;

  @Column({ type: 'char', length: 64 })
  hash: string;
}
