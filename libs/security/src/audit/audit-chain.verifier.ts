import { AUDIT_GENESIS_HASH } from './audit.constants';
import { AUDIT_ROW_CONTENT_SQL, auditRowHash, type AuditRowContent } from './audit-digest';

/** The one method the verifier needs: run SQL, get rows (a pg `Client` adapter or a DataSource). */
export interface AuditSqlClient {
  query(sql: string, parameters?: unknown[]): Promise<Record<string, unknown>[]>;
}

/** Why a link of the chain is broken. */
export type AuditChainBreakReason =
  | 'seq_gap'
  | 'prev_hash_mismatch'
  | 'hash_mismatch'
  | 'missing_rows'
  | 'head_mismatch'
  | 'beyond_head';

/** The first broken link found. */
export interface AuditChainBreak {
  seq: string;
  id: string | null;
  reason: AuditChainBreakReason;
}

/** Outcome of {@link verifyAuditChain}. */
export interface AuditChainReport {
  ok: boolean;
  rowsChecked: number;
  /** The `seq` of the chain head. */
  headSeq: string;
  /**
   * The head's hash. Kept outside the database (the verify command prints it), it also
   * exposes a tail cut by someone who rewound the head as well.
   */
  headHash: string;
  /** Rows written but not sealed yet: not covered by this check (normally seconds old). */
  unsealedRows: number;
  firstBreak: AuditChainBreak | null;
}

/** Options of {@link verifyAuditChain}. */
export interface AuditChainVerifyOptions {
  /** The key the service hashes rows with (`AUDIT_HMAC_KEY`); omit for plain SHA-256. */
  hmacKey?: string;
  /** Rows read per query; default 5000. */
  batchSize?: number;
}

type StoredRow = AuditRowContent & { hash: string };

const SELECT_BATCH_SQL = `SELECT ${AUDIT_ROW_CONTENT_SQL}, seq::text AS seq, prev_hash, hash
  FROM audit_logs WHERE seq > $1::bigint ORDER BY audit_logs.seq LIMIT $2`;

const COUNT_UNSEALED_SQL = 'SELECT count(*)::int AS unsealed FROM audit_logs WHERE hash IS NULL';

/**
 * Walks the sealed rows of `audit_logs` in `seq` order and checks every link: `seq` has no gap, `prev_hash` is
 * the previous row's hash, `hash` matches the content, and the last row matches the chain
 * head (which catches a deleted tail, and a row appended without moving the head). Stops
 * at the first broken link.
 *
 * Run it inside one `REPEATABLE READ` transaction (as the verify command does) so the head
 * and the rows come from one snapshot while services keep writing.
 */
export async function verifyAuditChain(
  db: AuditSqlClient,
  options: AuditChainVerifyOptions = {},
): Promise<AuditChainReport> {
  const head = await readHead(db);
  const [{ unsealed }] = (await db.query(COUNT_UNSEALED_SQL)) as { unsealed: number }[];
  const walk = await walkChain(db, BigInt(head.seq), options);
  const report = {
    rowsChecked: walk.rowsChecked,
    headSeq: head.seq,
    headHash: head.hash,
    unsealedRows: unsealed,
  };

  const firstBreak = walk.firstBreak ?? checkHead(head, walk.last);
  return { ok: firstBreak === null, ...report, firstBreak };
}

interface ChainWalk {
  rowsChecked: number;
  last: { seq: bigint; hash: string };
  firstBreak: AuditChainBreak | null;
}

async function walkChain(
  db: AuditSqlClient,
  headSeq: bigint,
  options: AuditChainVerifyOptions,
): Promise<ChainWalk> {
  const batchSize = options.batchSize ?? 5000;
  let last = { seq: 0n, hash: AUDIT_GENESIS_HASH };
  let rowsChecked = 0;

  for (;;) {
    const rows = (await db.query(SELECT_BATCH_SQL, [
      last.seq.toString(),
      batchSize,
    ])) as unknown as StoredRow[];
    for (const row of rows) {
      const reason = checkLink(row, last, headSeq, options.hmacKey);
      if (reason) return { rowsChecked, last, firstBreak: { seq: row.seq, id: row.id, reason } };
      last = { seq: BigInt(row.seq), hash: row.hash };
      rowsChecked += 1;
    }
    if (rows.length < batchSize) return { rowsChecked, last, firstBreak: null };
  }
}

async function readHead(db: AuditSqlClient): Promise<{ seq: string; hash: string }> {
  const rows = await db.query('SELECT seq::text AS seq, hash FROM audit_chain_head WHERE id = 1');
  const head = rows[0] as { seq: string; hash: string } | undefined;
  return head ?? { seq: '0', hash: AUDIT_GENESIS_HASH };
}

function checkLink(
  row: StoredRow,
  previous: { seq: bigint; hash: string },
  headSeq: bigint,
  hmacKey: string | undefined,
): AuditChainBreakReason | null {
  if (BigInt(row.seq) !== previous.seq + 1n) return 'seq_gap';
  if (BigInt(row.seq) > headSeq) return 'beyond_head';
  if (row.prev_hash !== previous.hash) return 'prev_hash_mismatch';
  return auditRowHash(row, hmacKey) === row.hash ? null : 'hash_mismatch';
}

function checkHead(
  head: { seq: string; hash: string },
  last: { seq: bigint; hash: string },
): AuditChainBreak | null {
  if (last.seq < BigInt(head.seq)) {
    return { seq: (last.seq + 1n).toString(), id: null, reason: 'missing_rows' };
  }
  return last.hash === head.hash ? null : { seq: head.seq, id: null, reason: 'head_mismatch' };
}
