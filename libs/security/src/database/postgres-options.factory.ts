import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';

import { AUDIT_ENTITIES, AUDIT_MIGRATIONS } from '../audit/audit.module';
import { EnvReader } from '../config/env-reader';

/** An entity or migration class. */
type SchemaClass = new (...args: never[]) => unknown;

/** What differs between services' databases. */
export interface ServiceDatabase {
  /** `application_name` of the connections, so Postgres shows who is connected. */
  serviceName: string;
  /** Used outside production when `DATABASE_URL` is not set. */
  developmentUrl: string;
  /** The service's own entities; the audit trail's are added. */
  entities: SchemaClass[];
  /** The service's own migrations, run after the audit trail's. */
  migrations: SchemaClass[];
}

/**
 * TypeORM options of a service's PostgreSQL database from `DATABASE_URL` (required in
 * production), `DB_MIGRATE_ON_START`, `DB_POOL_SIZE` and `DB_CONNECT_TIMEOUT_MS`. The
 * schema changes through migrations only, never `synchronize`.
 *
 * @throws ConfigurationError naming the first invalid variable.
 */
export function postgresOptionsFromEnv(
  database: ServiceDatabase,
  env: Record<string, string | undefined> = process.env,
): PostgresDataSourceOptions {
  const read = new EnvReader(env);
  const production = read.optionalString('ENVIRONMENT') === 'production';
  return {
    type: 'postgres',
    url: production ? read.url('DATABASE_URL') : read.url('DATABASE_URL', database.developmentUrl),
    entities: [...database.entities, ...AUDIT_ENTITIES],
    migrations: [...AUDIT_MIGRATIONS, ...database.migrations],
    migrationsRun: read.boolean('DB_MIGRATE_ON_START', false),
    synchronize: false,
    poolSize: read.integer('DB_POOL_SIZE', 10, { min: 1, max: 200 }),
    connectTimeoutMS: read.integer('DB_CONNECT_TIMEOUT_MS', 5000, { min: 100, max: 60_000 }),
    applicationName: database.serviceName,
  };
}
