import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';

import type { QueryConfig } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

import { AUDIT_GENESIS_HASH } from './audit.constants';
import { AUDIT_ROW_CONTENT_SQL, auditRowHash, type AuditRowContent } from './audit-digest';
import { toAuditJson } from './audit-redaction';

/** What a writer says about one audit row; sealing adds `seq`, `prev_hash` and `hash`. */
export interface AuditEntry {
  eventType: string;
  userId: string | null;
  resource: string | null;
  action: string | null;
  ipAddress: string | null;
  details: Record<string, unknown>;
  service: string;
  correlationId: string | null;
  /** Defaults to the time of writing. */
  timestamp?: Date;
}

/** Options of {@link AuditChainService.seal}. */
export interface AuditSealOptions {
  /** Rows sealed per transaction; default 1000. */
  batchSize?: number;
  /**
   * Wait for a sealer that holds the chain head instead of leaving the rows to it; default
   * false (the scheduled sealer skips a round rather than queue behind another instance).
   */
  wait?: boolean;
}

interface ChainHead {
  seq: string;
  hash: string;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const INSERT_SQL = `INSERT INTO audit_logs (id, event_type, user_id, resource, action, ip_address,
    details, service, correlation_id, "timestamp")
  VALUES ($1, $2, $3, $4, $5, $6::inet, $7::jsonb, $8, $9, $10)`;

/** Name under which each connection keeps {@link INSERT_SQL} prepared. */
const INSERT_STATEMENT = 'msb_audit_logs_insert';

const LOCK_HEAD_SQL = 'SELECT seq::text AS seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE';

const SEED_HEAD_SQL = `INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, $1)
  ON CONFLICT (id) DO NOTHING`;

const UNSEALED_SQL = `SELECT ${AUDIT_ROW_CONTENT_SQL} FROM audit_logs
  WHERE hash IS NULL ORDER BY "timestamp", id LIMIT $1`;

const ANY_UNSEALED_SQL = 'SELECT 1 FROM audit_logs WHERE hash IS NULL LIMIT 1';

const SEAL_ROWS_SQL = `UPDATE audit_logs SET seq = sealed.seq, prev_hash = sealed.prev_hash,
    hash = sealed.hash
  FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[]) AS sealed(id, seq, prev_hash, hash)
  WHERE audit_logs.id = sealed.id AND audit_logs.hash IS NULL`;

const MOVE_HEAD_SQL = 'UPDATE audit_chain_head SET seq = $1::bigint, hash = $2 WHERE id = 1';

/**
 * Writes and seals the tamper-evident trail of `audit_logs`.
 *
 * Writing ({@link append}) is one plain INSERT inside the caller's transaction, so the row
 * commits or rolls back with the change it records and concurrent writers never wait for
 * each other. Sealing ({@link seal}) then links committed rows into the one chain of the
 * database: under a lock on the one-row `audit_chain_head`, it gives each unsealed row the
 * next `seq`, the previous row's hash as `prev_hash`, and its `hash` (HMAC-SHA-256 over its
 * content and `prev_hash`). Sealers of any number of processes are serialized by that lock.
 * The database trigger lets a row be updated only this once, from unsealed to sealed.
 */
export class AuditChainService {
  /** @param hmacKey key of the row HMAC; without one rows are hashed with plain SHA-256. */
  constructor(private readonly hmacKey?: string) {}

  /**
   * Inserts one unsealed row through `manager`: inside the transaction of the change being
   * recorded when there is one, so both commit or neither does. Secrets in `details` are
   * redacted; a `userId` that is not a UUID moves to `details.user_ref`, an unparsable address
   * is dropped.
   */
  async append(manager: EntityManager, entry: AuditEntry): Promise<string> {
    const id = randomUUID();
    const details = toAuditJson(entry.details) as Record<string, unknown>;
    const userId = entry.userId && UUID_PATTERN.test(entry.userId) ? entry.userId : null;
    if (entry.userId && !userId) details.user_ref = entry.userId;

    await runPrepared(manager, {
      name: INSERT_STATEMENT,
      text: INSERT_SQL,
      values: [
        id,
        entry.eventType,
        userId,
        truncate(entry.resource, 255),
        truncate(entry.action, 64),
        validIp(entry.ipAddress),
        JSON.stringify(details),
        entry.service,
        truncate(entry.correlationId, 128),
        // ISO text with its zone: exact for timestamptz, cheaper than pg's Date formatting.
        (entry.timestamp ?? new Date()).toISOString(),
      ],
    });
    return id;
  }

  /**
   * Seals every committed unsealed row, oldest first, in transactions of `batchSize` rows.
   * Answers the number of rows sealed (0 when another sealer holds the head and `wait` is
   * false).
   */
  async seal(dataSource: DataSource, options: AuditSealOptions = {}): Promise<number> {
    const batchSize = options.batchSize ?? 1000;
    // Most rounds find nothing to seal: answer them without locking the head.
    if ((await dataSource.query(ANY_UNSEALED_SQL)).length === 0) return 0;

    let total = 0;
    for (;;) {
      const sealed = await dataSource.transaction((manager) =>
        this.sealBatch(manager, batchSize, options.wait ?? false),
      );
      total += sealed;
      if (sealed < batchSize) return total;
    }
  }

  private async sealBatch(manager: EntityManager, batchSize: number, wait: boolean) {
    const head = await this.lockHead(manager, wait);
    if (!head) return 0;
    const rows: Omit<AuditRowContent, 'seq' | 'prev_hash'>[] = await manager.query(UNSEALED_SQL, [
      batchSize,
    ]);
    if (rows.length === 0) return 0;

    const ids: string[] = [];
    const seqs: string[] = [];
    const prevHashes: string[] = [];
    const hashes: string[] = [];
    let previous = { seq: BigInt(head.seq), hash: head.hash };
    for (const row of rows) {
      const seq = (previous.seq + 1n).toString();
      const hash = auditRowHash({ ...row, seq, prev_hash: previous.hash }, this.hmacKey);
      ids.push(row.id);
      seqs.push(seq);
      prevHashes.push(previous.hash);
      hashes.push(hash);
      previous = { seq: BigInt(seq), hash };
    }

    const [, updated] = await manager.query(SEAL_ROWS_SQL, [ids, seqs, prevHashes, hashes]);
    if (updated !== rows.length) throw new Error(`sealed ${updated} of ${rows.length} audit rows`);
    await manager.query(MOVE_HEAD_SQL, [previous.seq.toString(), previous.hash]);
    return rows.length;
  }

  private async lockHead(manager: EntityManager, wait: boolean): Promise<ChainHead | undefined> {
    const lockSql = wait ? LOCK_HEAD_SQL : `${LOCK_HEAD_SQL} SKIP LOCKED`;
    const rows: ChainHead[] = await manager.query(lockSql);
    if (rows.length > 0) return rows[0];

    const exists = await manager.query('SELECT 1 FROM audit_chain_head WHERE id = 1');
    if (exists.length > 0) return undefined;

    // A database built by `synchronize` instead of the migration has no head row yet.
    await manager.query(SEED_HEAD_SQL, [AUDIT_GENESIS_HASH]);
    return (await manager.query(lockSql))[0];
  }
}

/**
 * Runs a named (prepared) statement: each connection parses and plans it once instead of on
 * every audited write. It runs on the connection of `manager`'s transaction when there is one;
 * TypeORM's own `query` cannot name a statement, hence the driver's client.
 */
async function runPrepared(manager: EntityManager, query: QueryConfig): Promise<void> {
  const runner = manager.queryRunner;
  if (runner && !runner.isReleased) {
    const client = (await runner.connect()) as { query(query: QueryConfig): Promise<unknown> };
    await client.query(query);
    return;
  }
  await (manager.connection.driver as PostgresDriver).master.query(query);
}

function validIp(ip: string | null): string | null {
  // `inet` has no IPv6 zone index (`fe80::1%eth0`).
  const address = ip?.replace(/%.*$/, '');
  return address && isIP(address) !== 0 ? address : null;
}

function truncate(value: string | null, maxLength: number): string | null {
  return value === null ? null : value.slice(0, maxLength);
}
