import { createHash } from 'node:crypto';

import { DataSource, type Logger } from 'typeorm';

import { AUDIT_ENTITIES } from '../src/audit/audit.module';
import { AuditChainService } from '../src/audit/audit-chain.service';
import { AuditLogQueryService, type AuditLogFilter } from '../src/audit/audit-log-query.service';
import { createAuditTestDatabase, type AuditTestDatabase } from './audit-fixtures';

interface CapturedQuery {
  sql: string;
  parameters: unknown[];
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Keeps every SQL statement TypeORM runs, so the test can EXPLAIN exactly those. */
class CapturingLogger implements Logger {
  readonly queries: CapturedQuery[] = [];

  logQuery(sql: string, parameters?: unknown[]): void {
    this.queries.push({ sql, parameters: parameters ?? [] });
  }

  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

const GENERATED_ROWS = 1_000_000;
const EVENT_TYPES = [
  'auth_success',
  'auth_failure',
  'permission_denied',
  'token_revoked',
  'account_locked',
  'ip_blocked',
  'admin_action',
  'suspicious_activity',
  'data_change',
  'token_reuse_detected',
];
const USER_A = '0d4b3e6c-5f1a-4c2b-9e8d-7a6b5c4d3e2f';
const USER_B = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

// Postgres' md5(text)::uuid, as the generated rows use for their user ids.
function md5Uuid(text: string): string {
  const hex = createHash('md5').update(text).digest('hex');
  return hex.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
}

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

describe(AuditLogQueryService.name, () => {
  let database: AuditTestDatabase;
  let dataSource: DataSource;
  let logger: CapturingLogger;
  let service: AuditLogQueryService;

  beforeAll(async () => {
    database = await createAuditTestDatabase('audit_query');
    logger = new CapturingLogger();
    dataSource = new DataSource({
      type: 'postgres',
      url: database.db.url,
      entities: AUDIT_ENTITIES,
      logger,
    });
    await dataSource.initialize();
    service = new AuditLogQueryService(dataSource);

    const chain = new AuditChainService();
    const entries: [string, string | null, string][] = [
      ['auth_failure', USER_A, '2026-03-01T10:00:00.000Z'],
      ['auth_success', USER_A, '2026-03-01T10:05:00.000Z'],
      ['account_locked', USER_A, '2026-03-02T08:00:00.000Z'],
      ['auth_failure', USER_B, '2026-03-03T09:00:00.000Z'],
      ['admin_action', null, '2026-03-04T12:00:00.000Z'],
    ];
    for (const [eventType, userId, timestamp] of entries) {
      await dataSource.transaction((manager) =>
        chain.append(manager, {
          eventType,
          userId,
          resource: 'user',
          action: 'login',
          ipAddress: '192.0.2.1',
          details: { attempt: 1 },
          service: 'auth-service',
          correlationId: `req-${timestamp}`,
          timestamp: new Date(timestamp),
        }),
      );
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.close();
  });

  describe('find', () => {
    it.each<[string, Partial<AuditLogFilter>, string[]]>([
      [
        'no filter',
        {},
        ['admin_action', 'auth_failure', 'account_locked', 'auth_success', 'auth_failure'],
      ],
      ['event_type', { eventType: 'auth_failure' }, ['auth_failure', 'auth_failure']],
      ['user_id', { userId: USER_A }, ['account_locked', 'auth_success', 'auth_failure']],
      [
        'from and to, both inclusive',
        { from: new Date('2026-03-01T10:05:00.000Z'), to: new Date('2026-03-03T09:00:00.000Z') },
        ['auth_failure', 'account_locked', 'auth_success'],
      ],
      ['user_id and event_type', { userId: USER_A, eventType: 'auth_failure' }, ['auth_failure']],
    ])('should filter by %s, newest first', async (_, filter, expected) => {
      const page = await service.find({ page: 1, limit: 20, ...filter });

      expect(page.items.map((item) => item.event_type)).toEqual(expected);
      expect(page.total).toBe(expected.length);
    });

    it('should page with total, page and limit, and answer the contract fields', async () => {
      const page = await service.find({ page: 2, limit: 2 });

      expect(page).toMatchObject({ total: 5, page: 2, limit: 2 });
      expect(page.items).toHaveLength(2);
      expect(page.items[0]).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        event_type: 'account_locked',
        user_id: USER_A,
        resource: 'user',
        action: 'login',
        ip_address: '192.0.2.1',
        details: { attempt: 1 },
        service: 'auth-service',
        correlation_id: 'req-2026-03-02T08:00:00.000Z',
        timestamp: '2026-03-02T08:00:00.000Z',
      });
    });
  });

  describe(`query plans at ${GENERATED_ROWS.toLocaleString('en')} rows`, () => {
    beforeAll(async () => {
      // Sealed rows, as nearly all rows are; the trigger admits only unsealed ones, so the
      // generation runs with triggers off.
      const runner = database.admin.createQueryRunner();
      await runner.startTransaction();
      await runner.query('SET LOCAL session_replication_role = replica');
      await runner.query(
        `INSERT INTO audit_logs (id, seq, event_type, user_id, resource, action, ip_address,
           details, service, correlation_id, "timestamp", prev_hash, hash)
         SELECT gen_random_uuid(), 100 + i, ($1::text[])[1 + i % $2], md5('user' || (i % 5000))::uuid,
           'auth', 'login', ('10.0.' || (i % 250) || '.' || (i % 200))::inet, '{}'::jsonb,
           'auth-service', 'req-' || i, timestamptz '2025-01-01' + i * interval '1 second',
           repeat('0', 64), repeat('0', 64)
         FROM generate_series(1, $3::int) AS i`,
        [EVENT_TYPES, EVENT_TYPES.length, GENERATED_ROWS],
      );
      await runner.commitTransaction();
      await runner.release();
      await database.admin.query('VACUUM ANALYZE audit_logs');
    }, 600_000);

    async function plansOf(
      filter: Partial<AuditLogFilter>,
    ): Promise<{ items: PlanNode[]; count: PlanNode[] }> {
      logger.queries.length = 0;
      await service.find({ page: 1, limit: 20, ...filter });
      const [itemsQuery, countQuery] = ['LIMIT', 'COUNT(*)'].map((marker) =>
        logger.queries.find(
          (query) => query.sql.includes('"audit_logs"') && query.sql.includes(marker),
        ),
      );
      const explain = async (query: CapturedQuery | undefined) => {
        const [row] = await dataSource.query(
          `EXPLAIN (FORMAT JSON) ${query?.sql}`,
          query?.parameters,
        );
        return planNodes(row['QUERY PLAN'][0].Plan);
      };
      return { items: await explain(itemsQuery), count: await explain(countQuery) };
    }

    function scansOfAuditLogs(nodes: PlanNode[]): string[] {
      return nodes
        .filter((node) => node['Relation Name'] === 'audit_logs' || node['Index Name'])
        .map((node) => `${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''}`);
    }

    it.each<[string, Partial<AuditLogFilter>, RegExp, RegExp | null]>([
      ['no filter', {}, /Index Scan idx_audit_logs_timestamp/, null],
      [
        'event_type',
        { eventType: 'auth_failure' },
        /Index Scan idx_audit_logs_/,
        /Index Only Scan idx_audit_logs_event_type_timestamp/,
      ],
      [
        'a rare event_type',
        { eventType: 'account_locked_twice' },
        /idx_audit_logs_event_type_timestamp/,
        /idx_audit_logs_event_type_timestamp/,
      ],
      [
        'user_id',
        { userId: md5Uuid('user42') },
        /Index Scan idx_audit_logs_user_id_timestamp/,
        /Index Only Scan idx_audit_logs_user_id_timestamp/,
      ],
      [
        'a one-hour window',
        { from: new Date('2025-01-05T00:00:00Z'), to: new Date('2025-01-05T01:00:00Z') },
        /Index Scan idx_audit_logs_timestamp/,
        /Index Only Scan idx_audit_logs_timestamp/,
      ],
      [
        'event_type within a day',
        {
          eventType: 'auth_failure',
          from: new Date('2025-01-05T00:00:00Z'),
          to: new Date('2025-01-06T00:00:00Z'),
        },
        /Index Scan idx_audit_logs_/,
        /Index Only Scan idx_audit_logs_event_type_timestamp/,
      ],
    ])(
      'should read a page filtered by %s through an index',
      async (_, filter, itemsScan, countScan) => {
        const plans = await plansOf(filter);

        const items = scansOfAuditLogs(plans.items);
        const count = scansOfAuditLogs(plans.count);
        expect(items.join(', ')).toMatch(itemsScan);
        expect(items.join(', ')).not.toMatch(/Seq Scan/);
        // An unfiltered total counts every row; it is the one count left to a full index scan.
        if (countScan) expect(count.join(', ')).toMatch(countScan);
        if (countScan) expect(count.join(', ')).not.toMatch(/Seq Scan/);
      },
    );
  });
});
