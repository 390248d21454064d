import { Column, DeleteDateColumn, Entity, PrimaryGeneratedColumn, type DataSource } from 'typeorm';

import { AuditSubscriber } from '../src/audit/audit.subscriber';
import { AuditChainService } from '../src/audit/audit-chain.service';
import { verifyAuditChain } from '../src/audit/audit-chain.verifier';
import { AuditSensitive, Audited } from '../src/audit/audited.decorator';
import { RequestContext } from '../src/request-context/request-context';
import {
  AUDIT_APP_GRANTS,
  TEST_AUDIT_HMAC_KEY,
  createAuditTestDatabase,
  type AuditTestDatabase,
} from './audit-fixtures';

@Audited('note')
@Entity({ name: 'audited_notes' })
class AuditedNote {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar' })
  title: string;

  @Column({ type: 'int', default: 0 })
  views: number;

  @AuditSensitive()
  @Column({ name: 'pin', type: 'varchar' })
  pin: string;

  // Not marked: kept out by its secret-looking name alone.
  @Column({ name: 'password_hash', type: 'varchar', nullable: true })
  passwordHash: string | null;

  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz' })
  deletedAt: Date | null;
}

@Entity({ name: 'plain_notes' })
class PlainNote {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar' })
  title: string;
}

const SETUP_SQL = [
  `CREATE TABLE audited_notes (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title varchar NOT NULL, views int NOT NULL DEFAULT 0, pin varchar NOT NULL,
    password_hash varchar NULL, deleted_at timestamptz NULL)`,
  `CREATE TABLE plain_notes (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), title varchar NOT NULL)`,
];
const GRANTS = [
  ...AUDIT_APP_GRANTS,
  'GRANT SELECT, INSERT, UPDATE, DELETE ON audited_notes, plain_notes TO :role',
];

const USER_ID = '6f1c2a34-9b8e-4d7a-a1b2-c3d4e5f60718';
const PIN_PREFIX = 'PIN-SECRET-';
const HASH_PREFIX = '$argon2id$SECRET-';

interface AuditRow {
  event_type: string;
  user_id: string | null;
  resource: string;
  action: string;
  ip_address: string | null;
  correlation_id: string | null;
  service: string;
  details: {
    entity: string;
    entity_id: string;
    before?: Record<string, unknown>;
    after?: Record<string, unknown>;
    sensitive_changed?: string[];
  };
}

describe(AuditSubscriber.name, () => {
  let database: AuditTestDatabase;
  let app: DataSource;
  let counter = 0;

  function newNote(title: string): AuditedNote {
    counter += 1;
    return Object.assign(new AuditedNote(), {
      title,
      pin: `${PIN_PREFIX}${counter}`,
      passwordHash: `${HASH_PREFIX}${counter}`,
    });
  }

  async function auditRowsFor(entityId: string): Promise<AuditRow[]> {
    return database.admin.query(
      `SELECT event_type, user_id, resource, action, host(ip_address) AS ip_address,
         correlation_id, service, details
       FROM audit_logs WHERE details->>'entity_id' = $1 ORDER BY seq`,
      [entityId],
    );
  }

  beforeAll(async () => {
    database = await createAuditTestDatabase('audit_subscriber', SETUP_SQL, GRANTS);
    app = await database.appDataSource([AuditedNote, PlainNote]);
  });

  afterAll(async () => {
    await database?.close();
  });

  describe('afterInsert', () => {
    it('should write the audit row with the request context in the same commit', async () => {
      const context = { correlationId: 'req-insert-1', clientIp: '203.0.113.9', userId: USER_ID };

      const saved = await RequestContext.run(context, () =>
        app.getRepository(AuditedNote).save(newNote('first')),
      );

      const [row] = await auditRowsFor(saved.id);
      expect(row).toMatchObject({
        event_type: 'data_change',
        user_id: USER_ID,
        resource: 'note',
        action: 'insert',
        ip_address: '203.0.113.9',
        correlation_id: 'req-insert-1',
        service: 'test-service',
      });
      expect(row.details).toEqual({
        entity: 'audited_notes',
        entity_id: saved.id,
        after: { id: saved.id, title: 'first', views: 0, deleted_at: null },
      });
    });

    it('should show neither the change nor its audit row before the commit', async () => {
      const runner = app.createQueryRunner();
      await runner.startTransaction();
      const saved = await runner.manager.save(newNote('in flight'));

      const visibleBefore = await database.admin.query(
        `SELECT (SELECT count(*) FROM audited_notes WHERE id = $1)::int AS notes,
           (SELECT count(*) FROM audit_logs WHERE details->>'entity_id' = $1::text)::int AS audits`,
        [saved.id],
      );
      await runner.commitTransaction();
      await runner.release();

      expect(visibleBefore).toEqual([{ notes: 0, audits: 0 }]);
      expect(await auditRowsFor(saved.id)).toHaveLength(1);
    });

    it('should leave no audit row when the change is rolled back', async () => {
      const runner = app.createQueryRunner();
      await runner.startTransaction();
      const saved = await runner.manager.save(newNote('rolled back'));
      expect(
        await runner.query(
          `SELECT count(*)::int AS n FROM audit_logs WHERE details->>'entity_id' = $1`,
          [saved.id],
        ),
      ).toEqual([{ n: 1 }]);

      await runner.rollbackTransaction();
      await runner.release();

      expect(await auditRowsFor(saved.id)).toHaveLength(0);
      expect(
        await database.admin.query('SELECT 1 FROM audited_notes WHERE id = $1', [saved.id]),
      ).toEqual([]);
    });

    it('should roll the change back when the audit row cannot be written', async () => {
      await database.admin.query(`REVOKE INSERT ON audit_logs FROM "${database.role}"`);

      const attempt = app.getRepository(AuditedNote).save(newNote('unaudited'));

      await expect(attempt).rejects.toThrow(/permission denied for table audit_logs/);
      await database.admin.query(`GRANT INSERT ON audit_logs TO "${database.role}"`);
      const notes = await database.admin.query(
        `SELECT 1 FROM audited_notes WHERE title = 'unaudited'`,
      );
      expect(notes).toEqual([]);
    });

    it('should not audit an entity without @Audited()', async () => {
      const before = await database.admin.query('SELECT count(*)::int AS n FROM audit_logs');

      await app.getRepository(PlainNote).save(Object.assign(new PlainNote(), { title: 'plain' }));

      expect(await database.admin.query('SELECT count(*)::int AS n FROM audit_logs')).toEqual(
        before,
      );
    });
  });

  describe('afterUpdate', () => {
    it('should record the changed fields before and after, and a sensitive change by name', async () => {
      const repository = app.getRepository(AuditedNote);
      const saved = await repository.save(newNote('draft'));

      saved.title = 'final';
      saved.views = 3;
      saved.pin = `${PIN_PREFIX}changed`;
      await RequestContext.run(
        { correlationId: 'req-update', clientIp: '::1', userId: USER_ID },
        () => repository.save(saved),
      );

      const rows = await auditRowsFor(saved.id);
      expect(rows.map((row) => row.action)).toEqual(['insert', 'update']);
      expect(rows[1].details).toEqual({
        entity: 'audited_notes',
        entity_id: saved.id,
        before: { title: 'draft', views: 0 },
        after: { title: 'final', views: 3 },
        sensitive_changed: ['pin'],
      });
      expect(rows[1].correlation_id).toBe('req-update');
    });
  });

  describe('afterUpdate through a QueryBuilder', () => {
    it('should record the values set, without a before it never loaded', async () => {
      const saved = await app.getRepository(AuditedNote).save(newNote('bulk'));

      await app
        .createQueryBuilder()
        .update(AuditedNote)
        .set({ views: 9, pin: `${PIN_PREFIX}bulk` })
        .where('id = :id', { id: saved.id })
        .execute();

      const rows = await database.admin.query(
        `SELECT details FROM audit_logs WHERE action = 'update' AND details->'after' ? 'views'
           AND (details->'after'->>'views')::int = 9`,
      );
      expect(rows).toEqual([
        {
          details: {
            entity: 'audited_notes',
            entity_id: null,
            after: { views: 9 },
            sensitive_changed: ['pin'],
          },
        },
      ]);
    });
  });

  describe('afterSoftRemove and afterRemove', () => {
    it('should record a soft remove and a remove with the row before', async () => {
      const repository = app.getRepository(AuditedNote);
      const saved = await repository.save(newNote('short lived'));

      await repository.softRemove(saved);
      const reloaded = await repository.findOneOrFail({
        where: { id: saved.id },
        withDeleted: true,
      });
      await repository.remove(reloaded);

      const rows = await auditRowsFor(saved.id);
      expect(rows.map((row) => row.action)).toEqual(['insert', 'soft_remove', 'remove']);
      expect(rows[2].details.before).toMatchObject({ id: saved.id, title: 'short lived' });
    });
  });

  describe('secrets', () => {
    it('should never copy a sensitive field into any audit row', async () => {
      const leaks = await database.admin.query(
        `SELECT seq FROM audit_logs WHERE audit_logs::text LIKE $1 OR audit_logs::text LIKE $2
           OR details ?| array['pin', 'password_hash', 'passwordHash']
           OR details->'before' ?| array['pin', 'password_hash']
           OR details->'after' ?| array['pin', 'password_hash']`,
        [`%${PIN_PREFIX}%`, `%SECRET-%`],
      );
      const total = await database.admin.query('SELECT count(*)::int AS n FROM audit_logs');

      expect(total[0].n).toBeGreaterThan(5);
      expect(leaks).toEqual([]);
    });

    it('should leave a chain that seals and verifies behind every audited change', async () => {
      const sealed = await new AuditChainService(TEST_AUDIT_HMAC_KEY).seal(app, { wait: true });

      const report = await verifyAuditChain(database.admin, { hmacKey: TEST_AUDIT_HMAC_KEY });
      expect(sealed).toBeGreaterThan(5);
      expect(report).toMatchObject({ ok: true, rowsChecked: sealed, unsealedRows: 0 });
    });
  });
});
