import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';

import { postgresOptionsFromEnv } from '@msmebazaar/security';

import { Msme } from '../msme/msme.entity';
import { CreateMsmes1764720100000 } from './migrations/1764720100000-create-msmes';

/** The msme-service DataSource options, from the environment. */
export function databaseOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
): PostgresDataSourceOptions {
  return postgresOptionsFromEnv(
    {
      serviceName: 'msme-service',
      developmentUrl: 'postgres://postgres@127.0.0.1:5432/msmebazaar_msme',
      entities: [Msme],
      migrations: [CreateMsmes1764720100000],
    },
    env,
  );
}
