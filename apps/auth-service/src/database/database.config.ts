import { AUDIT_ENTITIES, AUDIT_MIGRATIONS } from '@msmebazaar/security';
import type { DataSourceOptions } from 'typeorm';

import type { AuthConfig } from '../config/auth.config';
import { AUTH_ENTITIES } from './auth-entities.constants';
import { CreateAuthTables1764700000000 } from './migrations/1764700000000-create-auth-tables';

/** Every migration of the service's database, in order. */
export const AUTH_MIGRATIONS = [CreateAuthTables1764700000000, ...AUDIT_MIGRATIONS];

/**
 * TypeORM options of the service: migrations only, never `synchronize`. Migrations and
 * entities are listed as classes so the webpack bundle and the CLI see the same set.
 */
export function authDataSourceOptions(config: AuthConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    entities: [...AUTH_ENTITIES, ...AUDIT_ENTITIES],
    migrations: AUTH_MIGRATIONS,
    migrationsTableName: 'auth_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Fail fast while Postgres is away so requests answer 503 instead of hanging.
    extra: { max: config.dbPoolSize, connectionTimeoutMillis: 3_000, statement_timeout: 10_000 },
  };
}
