import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { AUDIT_ENTITIES, AUDIT_MIGRATIONS } from '../src/audit/audit.module';
import { AuditChainService } from '../src/audit/audit-chain.service';
import { AuditSubscriber } from '../src/audit/audit.subscriber';
import {
  TEST_POSTGRES_URL,
  createTestDatabase,
  type TestDatabase,
} from '../../../test/support/postgres';
import { uniqueName } from '../../../test/support/test-run';

type EntityClass = new (...args: never[]) => object;

/** HMAC key the audit tests chain their rows with. */
export const TEST_AUDIT_HMAC_KEY = 'audit-test-hmac-key-0123456789abcdef';

/** A test database with the audit migration applied and a non-superuser application role. */
export interface AuditTestDatabase {
  db: TestDatabase;
  /** Superuser connection (schema owner), for setup and for tampering. */
  admin: DataSource;
  /** Name of the application role (LOGIN, not superuser, not owner). */
  role: string;
  /** Url connecting as the application role. */
  appUrl: string;
  /** A DataSource as the application role with the audit subscriber registered. */
  appDataSource(entities?: EntityClass[], poolSize?: number): Promise<DataSource>;
  close(): Promise<void>;
}

/**
 * Creates the database, runs the audit migration as the superuser, runs `setupSql` (tables of
 * the test's own entities), and creates an application role granted `grants`.
 */
export async function createAuditTestDatabase(
  label: string,
  setupSql: string[] = [],
  grants: string[] = [],
): Promise<AuditTestDatabase> {
  const db = await createTestDatabase(label);
  const admin = new DataSource({
    type: 'postgres',
    url: db.url,
    entities: AUDIT_ENTITIES,
    migrations: AUDIT_MIGRATIONS,
  });
  await admin.initialize();
  await admin.runMigrations();
  for (const sql of setupSql) await admin.query(sql);

  const role = uniqueName('app');
  await admin.query(`CREATE ROLE "${role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
  await admin.query(`GRANT CONNECT ON DATABASE "${db.name}" TO "${role}"`);
  await admin.query(`GRANT USAGE ON SCHEMA public TO "${role}"`);
  for (const grant of grants) await admin.query(grant.replace(/:role/g, `"${role}"`));

  const appUrl = new URL(db.url);
  appUrl.username = role;
  const opened: DataSource[] = [admin];

  return {
    db,
    admin,
    role,
    appUrl: appUrl.toString(),
    async appDataSource(entities = [], poolSize = 4) {
      const dataSource = new DataSource({
        type: 'postgres',
        url: appUrl.toString(),
        entities: [...entities, ...AUDIT_ENTITIES],
        extra: { max: poolSize },
      });
      await dataSource.initialize();
      const chain = new AuditChainService(TEST_AUDIT_HMAC_KEY);
      dataSource.subscribers.push(new AuditSubscriber(chain, 'test-service'));
      opened.push(dataSource);
      return dataSource;
    },
    async close() {
      for (const dataSource of opened) await dataSource.destroy();
      await db.drop();
      const client = new Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      await client.query(`DROP ROLE IF EXISTS "${role}"`);
      await client.end();
    },
  };
}

/**
 * The audit grants the application role needs: read and append the trail, seal it (the
 * trigger allows no other UPDATE) and move the head.
 */
export const AUDIT_APP_GRANTS = [
  'GRANT SELECT, INSERT, UPDATE ON audit_logs TO :role',
  'GRANT SELECT, UPDATE ON audit_chain_head TO :role',
];
