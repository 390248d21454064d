import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

import { Client } from 'pg';
import { Column, Entity, PrimaryGeneratedColumn, type DataSource } from 'typeorm';

import type { SecurityEvent } from '../src/logging/security-event.interface';
import { AuditChainService } from '../src/audit/audit-chain.service';
import { verifyAuditChain, type AuditSqlClient } from '../src/audit/audit-chain.verifier';
import { auditRowHash } from '../src/audit/audit-digest';
import { Audited } from '../src/audit/audited.decorator';
import { TypeOrmAuditSink } from '../src/audit/typeorm-audit.sink';
import {
  AUDIT_APP_GRANTS,
  TEST_AUDIT_HMAC_KEY,
  createAuditTestDatabase,
  type AuditTestDatabase,
} from './audit-fixtures';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');

@Audited('ledger_entry')
@Entity({ name: 'ledger_entries' })
class LedgerEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'int' })
  amount: number;
}

const SETUP_SQL = [
  `CREATE TABLE ledger_entries (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), amount int NOT NULL)`,
];
const GRANTS = [...AUDIT_APP_GRANTS, 'GRANT SELECT, INSERT ON ledger_entries TO :role'];
const WRITERS = 3;
const WRITES_PER_WRITER = 20;
const EVENTS = 10;

function securityEvent(index: number): SecurityEvent {
  return {
    event_type: 'auth_failure',
    user_id: null,
    ip_address: '198.51.100.7',
    correlation_id: `req-${index}`,
    resource: 'auth',
    action: 'login',
    details: { reason: 'wrong_password', email_domain: 'example.com', password: 'hunter2hunter2' },
    service: 'auth-service',
    environment: 'test',
    requires_audit: true,
    timestamp: new Date().toISOString(),
  };
}

function sqlClient(client: Client): AuditSqlClient {
  return { query: async (sql, parameters) => (await client.query(sql, parameters)).rows };
}

async function verifyCommand(databaseUrl: string, hmacKey = TEST_AUDIT_HMAC_KEY) {
  const env = { ...process.env, AUTH_SERVICE_DATABASE_URL: databaseUrl, AUDIT_HMAC_KEY: hmacKey };
  const command = [
    '-r',
    '@swc-node/register',
    'tools/audit/verify.ts',
    '--service',
    'auth-service',
  ];
  try {
    const { stdout } = await run(process.execPath, command, { cwd: ROOT, env });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, output: failed.stderr };
  }
}

describe('audit chain', () => {
  let database: AuditTestDatabase;
  let writers: DataSource[];

  beforeAll(async () => {
    database = await createAuditTestDatabase('audit_chain', SETUP_SQL, GRANTS);
    writers = [];
    for (let i = 0; i < WRITERS; i += 1)
      writers.push(await database.appDataSource([LedgerEntry], 5));
  });

  afterAll(async () => {
    await database?.close();
  });

  describe(AuditChainService.name, () => {
    it('should build one valid chain from concurrent writers and concurrent sealers', async () => {
      const chain = new AuditChainService(TEST_AUDIT_HMAC_KEY);
      const sink = new TypeOrmAuditSink(writers[0], chain);
      let writing = true;
      const sealers = writers.map(async (writer) => {
        while (writing) await chain.seal(writer, { batchSize: 4 });
      });

      await Promise.all([
        ...writers.flatMap((writer, w) =>
          Array.from({ length: WRITES_PER_WRITER }, (_, i) =>
            writer.getRepository(LedgerEntry).save({ amount: w * 100 + i }),
          ),
        ),
        ...Array.from({ length: EVENTS }, (_, i) => sink.record(securityEvent(i))),
      ]);
      writing = false;
      await Promise.all(sealers);
      await chain.seal(writers[1], { wait: true });

      const total = WRITERS * WRITES_PER_WRITER + EVENTS;
      const report = await verifyAuditChain(database.admin, { hmacKey: TEST_AUDIT_HMAC_KEY });
      const paged = await verifyAuditChain(database.admin, {
        hmacKey: TEST_AUDIT_HMAC_KEY,
        batchSize: 7,
      });
      const seqs = await database.admin.query(
        'SELECT min(seq)::int AS lo, max(seq)::int AS hi, count(*)::int AS n FROM audit_logs',
      );
      expect(report).toEqual({
        ok: true,
        rowsChecked: total,
        headSeq: String(total),
        headHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        unsealedRows: 0,
        firstBreak: null,
      });
      expect(paged).toEqual(report);
      expect(seqs).toEqual([{ lo: 1, hi: total, n: total }]);
    });

    it('should leave rows written after a seal for the next one, and verify meanwhile', async () => {
      const chain = new AuditChainService(TEST_AUDIT_HMAC_KEY);
      await writers[2].getRepository(LedgerEntry).save({ amount: 7 });

      const before = await verifyAuditChain(database.admin, { hmacKey: TEST_AUDIT_HMAC_KEY });
      const sealed = await chain.seal(writers[2], { wait: true });
      const after = await verifyAuditChain(database.admin, { hmacKey: TEST_AUDIT_HMAC_KEY });

      expect(before).toMatchObject({ ok: true, unsealedRows: 1 });
      expect(sealed).toBe(1);
      expect(after).toMatchObject({
        ok: true,
        unsealedRows: 0,
        rowsChecked: before.rowsChecked + 1,
      });
    });
  });

  describe(TypeOrmAuditSink.name, () => {
    it('should persist an audited event with secret-named details redacted', async () => {
      const rows = await database.admin.query(
        `SELECT event_type, host(ip_address) AS ip, service, details FROM audit_logs
         WHERE correlation_id = 'req-0'`,
      );

      expect(rows).toEqual([
        {
          event_type: 'auth_failure',
          ip: '198.51.100.7',
          service: 'auth-service',
          details: {
            reason: 'wrong_password',
            email_domain: 'example.com',
            password: '[REDACTED]',
          },
        },
      ]);
    });

    it('should not persist an event that does not require audit', async () => {
      const sink = new TypeOrmAuditSink(writers[0], new AuditChainService(TEST_AUDIT_HMAC_KEY));

      await sink.record({
        ...securityEvent(999),
        event_type: 'data_access',
        requires_audit: false,
      });

      const rows = await database.admin.query(
        `SELECT 1 FROM audit_logs WHERE correlation_id = 'req-999'`,
      );
      expect(rows).toEqual([]);
    });
  });

  describe('verifyAuditChain after tampering as a superuser', () => {
    let client: Client;
    let total: number;

    beforeAll(async () => {
      client = new Client({ connectionString: database.db.url });
      await client.connect();
      total = (await client.query('SELECT max(seq)::int AS n FROM audit_logs')).rows[0].n;
    });

    afterAll(async () => {
      await client.end();
    });

    async function reforgeRow(seq: number): Promise<void> {
      const { rows } = await client.query(
        `SELECT id, seq::text AS seq, event_type, user_id, resource, action,
           ip_address::text AS ip_address, details, service, correlation_id, "timestamp", prev_hash
         FROM audit_logs WHERE seq = $1`,
        [seq],
      );
      const hash = auditRowHash(rows[0], TEST_AUDIT_HMAC_KEY);
      await client.query('UPDATE audit_logs SET hash = $1 WHERE seq = $2', [hash, seq]);
    }

    const cases: [
      string,
      (n: number) => Promise<unknown>,
      () => { seq: number; reason: string },
    ][] = [
      [
        'an edited detail',
        () => client.query(`UPDATE audit_logs SET details = '{"amount": 0}' WHERE seq = 5`),
        () => ({ seq: 5, reason: 'hash_mismatch' }),
      ],
      [
        'an edited row whose hash was recomputed with the key',
        async () => {
          await client.query(`UPDATE audit_logs SET action = 'forged' WHERE seq = 5`);
          await reforgeRow(5);
        },
        () => ({ seq: 6, reason: 'prev_hash_mismatch' }),
      ],
      [
        'a deleted row',
        () => client.query('DELETE FROM audit_logs WHERE seq = 7'),
        () => ({ seq: 8, reason: 'seq_gap' }),
      ],
      [
        'a deleted tail',
        (n) => client.query('DELETE FROM audit_logs WHERE seq = $1', [n]),
        () => ({ seq: total, reason: 'missing_rows' }),
      ],
      [
        'a row appended without moving the head',
        async (n) => {
          await client.query(
            `INSERT INTO audit_logs (id, seq, event_type, service, "timestamp", prev_hash, hash)
             SELECT gen_random_uuid(), seq + 1, 'forged', service, now(), hash, hash
             FROM audit_logs WHERE seq = $1`,
            [n],
          );
        },
        () => ({ seq: total + 1, reason: 'beyond_head' }),
      ],
    ];

    it.each(cases)('should report the first broken link after %s', async (_, tamper, expected) => {
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica');
      await tamper(total);

      const report = await verifyAuditChain(sqlClient(client), { hmacKey: TEST_AUDIT_HMAC_KEY });
      await client.query('ROLLBACK');

      const { seq, reason } = expected();
      expect(report.ok).toBe(false);
      expect(report.firstBreak).toMatchObject({ seq: String(seq), reason });
    });

    it('should report a chain checked with the wrong key as broken at its first row', async () => {
      const report = await verifyAuditChain(database.admin, { hmacKey: 'another-key' });

      expect(report.firstBreak).toMatchObject({ seq: '1', reason: 'hash_mismatch' });
    });

    it('should exit 0 from the verify command while the chain is intact', async () => {
      const result = await verifyCommand(database.db.url);

      expect(result).toEqual({ code: 0, output: expect.stringContaining(`intact: ${total} rows`) });
    });

    it('should exit 1 from the verify command and name the first broken link', async () => {
      await client.query('SET session_replication_role = replica');
      await client.query(`UPDATE audit_logs SET details = '{}' WHERE seq = 3`);
      await client.query('SET session_replication_role = DEFAULT');

      const result = await verifyCommand(database.db.url);

      expect(result.code).toBe(1);
      expect(result.output).toMatch(/broken at seq 3 \(id [0-9a-f-]{36}\): hash_mismatch/);
    });
  });
});

describe('audit_logs as the application role', () => {
  let database: AuditTestDatabase;
  let client: Client;

  beforeAll(async () => {
    // Every table privilege, so what stops the statements below is the trigger, not a grant.
    database = await createAuditTestDatabase(
      'audit_role',
      [],
      ['GRANT ALL PRIVILEGES ON audit_logs, audit_chain_head TO :role'],
    );
    const app = await database.appDataSource();
    const chain = new AuditChainService();
    await new TypeOrmAuditSink(app, chain).record(securityEvent(1));
    await chain.seal(app, { wait: true });
    await new TypeOrmAuditSink(app, chain).record(securityEvent(2));
    client = new Client({ connectionString: database.appUrl });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await database?.close();
  });

  it.each([
    ['edit a sealed row', `UPDATE audit_logs SET action = 'x' WHERE seq = 1`, /UPDATE rejected/],
    [
      'edit an unsealed row',
      `UPDATE audit_logs SET action = 'x' WHERE seq IS NULL`,
      /UPDATE rejected/,
    ],
    [
      'reseal a row',
      `UPDATE audit_logs SET hash = repeat('f', 64) WHERE seq = 1`,
      /UPDATE rejected/,
    ],
    [
      'insert a sealed row',
      `INSERT INTO audit_logs (id, event_type, service, "timestamp", seq, prev_hash, hash)
       VALUES (gen_random_uuid(), 'forged', 'x', now(), 2, repeat('0', 64), repeat('0', 64))`,
      /INSERT rejected/,
    ],
    ['DELETE a row', 'DELETE FROM audit_logs', /append-only: DELETE rejected/],
    ['TRUNCATE the table', 'TRUNCATE audit_logs', /append-only: TRUNCATE rejected/],
    ['rewind the head', 'UPDATE audit_chain_head SET seq = 0', /only moves forward/],
    ['DELETE the head', 'DELETE FROM audit_chain_head', /only moves forward/],
    ['bypass triggers', 'SET session_replication_role = replica', /permission denied/],
    ['disable the trigger', 'ALTER TABLE audit_logs DISABLE TRIGGER ALL', /must be owner/],
  ])('should refuse to %s', async (_, sql, error) => {
    await expect(client.query(sql)).rejects.toThrow(error);

    const rows = await client.query('SELECT action, seq::int AS seq FROM audit_logs ORDER BY seq');
    expect(rows.rows).toEqual([
      { action: 'login', seq: 1 },
      { action: 'login', seq: null },
    ]);
  });

  it('should let it seal an unsealed row, the one update the trail allows', async () => {
    const sealed = await client.query(
      `UPDATE audit_logs SET seq = 2, prev_hash = repeat('a', 64), hash = repeat('b', 64)
       WHERE seq IS NULL`,
    );

    expect(sealed.rowCount).toBe(1);
  });
});
