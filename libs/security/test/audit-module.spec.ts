import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Client } from 'pg';
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';

import type { AuditSink } from '../src/audit/audit-sink.interface';
import { AUDIT_ENTITIES, AUDIT_MIGRATIONS, AuditModule } from '../src/audit/audit.module';
import { verifyAuditChain } from '../src/audit/audit-chain.verifier';
import { AuditLogQueryService } from '../src/audit/audit-log-query.service';
import { AuditSealingService } from '../src/audit/audit-sealing.service';
import { Audited } from '../src/audit/audited.decorator';
import { RequestContext } from '../src/request-context/request-context';
import { AUDIT_SINK } from '../src/security.tokens';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres';

@Audited('widget')
@Entity({ name: 'widgets' })
class Widget {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar' })
  name: string;
}

const HMAC_KEY = 'audit-module-test-key';
const ADMIN_ID = '11111111-2222-4333-8444-555555555555';

describe(AuditModule.name, () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    database = await createTestDatabase('audit_module');
    const client = new Client({ connectionString: database.url });
    await client.connect();
    await client.query(
      'CREATE TABLE widgets (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name varchar)',
    );
    await client.end();

    moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: database.url,
          entities: [Widget, ...AUDIT_ENTITIES],
          migrations: AUDIT_MIGRATIONS,
          migrationsRun: true,
        }),
        AuditModule.forRoot({ hmacKey: HMAC_KEY, serviceName: 'msme-service', sealIntervalMs: 0 }),
      ],
    }).compile();
    await moduleRef.init();
  });

  let closed = false;

  afterAll(async () => {
    if (!closed) await moduleRef?.close();
    await database?.drop();
  });

  describe('forRoot', () => {
    it('should audit entity changes, persist audited events and read both back', async () => {
      const dataSource = moduleRef.get(DataSource);
      const sink = moduleRef.get<AuditSink>(AUDIT_SINK);
      const context = { correlationId: 'req-module', clientIp: '192.0.2.44', userId: ADMIN_ID };

      await RequestContext.run(context, async () => {
        await dataSource.getRepository(Widget).save({ name: 'gear' });
        await sink.record({
          event_type: 'admin_action',
          user_id: ADMIN_ID,
          ip_address: '192.0.2.44',
          correlation_id: 'req-module',
          resource: 'user',
          action: 'lock',
          details: {},
          service: 'msme-service',
          environment: 'test',
          requires_audit: true,
          timestamp: new Date().toISOString(),
        });
      });

      const page = await moduleRef
        .get(AuditLogQueryService)
        .find({ userId: ADMIN_ID, page: 1, limit: 20 });
      expect(page.items.map((item) => [item.event_type, item.resource, item.service])).toEqual([
        ['admin_action', 'user', 'msme-service'],
        ['data_change', 'widget', 'msme-service'],
      ]);
      expect(await moduleRef.get(AuditSealingService).sealNow()).toBe(2);
      expect(await verifyAuditChain(dataSource, { hmacKey: HMAC_KEY })).toMatchObject({
        ok: true,
        rowsChecked: 2,
        unsealedRows: 0,
      });
    });

    it('should register its subscriber on the DataSource once', () => {
      const dataSource = moduleRef.get(DataSource);

      const audit = dataSource.subscribers.filter(
        (subscriber) => subscriber.constructor.name === 'AuditSubscriber',
      );

      expect(audit).toHaveLength(1);
    });
  });

  describe('shutdown', () => {
    it('should seal the rows still unsealed before the DataSource closes', async () => {
      await moduleRef.get(DataSource).getRepository(Widget).save({ name: 'last words' });

      await moduleRef.close();
      closed = true;

      const client = new Client({ connectionString: database.url });
      await client.connect();
      const report = await verifyAuditChain(
        { query: async (sql, parameters) => (await client.query(sql, parameters)).rows },
        { hmacKey: HMAC_KEY },
      );
      await client.end();
      expect(report).toMatchObject({ ok: true, rowsChecked: 3, unsealedRows: 0 });
    });
  });
});
