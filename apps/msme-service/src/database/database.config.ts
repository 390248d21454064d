import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';

import { AUDIT_ENTITIES, AUDIT_MIGRATIONS, EnvReader } from '@msmebazaar/security';

import { Msme } from '../msme/msme.entity';
import { CreateMsmes1764720100000 } from './migrations/1764720100000-create-msmes';

const DEVELOPMENT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/msmebazaar_msme';

/**
 * The msme-service DataSource: `DATABASE_URL` (required in production),
 * `DB_MIGRATE_ON_START`, `DB_POOL_SIZE`. The schema changes only through migrations.
 */
export function databaseOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
): PostgresDataSourceOptions {
  const read = new EnvReader(env);
  const production = read.optionalString('ENVIRONMENT') === 'production';
  return {
    type: 'postgres',
    url: production ? read.url('DATABASE_URL') : read.url('DATABASE_URL', DEVELOPMENT_DATABASE_URL),
    entities: [Msme, ...AUDIT_ENTITIES],
    migrations: [...AUDIT_MIGRATIONS, CreateMsmes1764720100000],
    migrationsRun: read.boolean('DB_MIGRATE_ON_START', false),
    synchronize: false,
    poolSize: read.integer('DB_POOL_SIZE', 10, { min: 1, max: 200 }),
    connectTimeoutMS: read.integer('DB_CONNECT_TIMEOUT_MS', 5000, { min: 100, max: 60_000 }),
    applicationName: 'msme-service',
  };
}
