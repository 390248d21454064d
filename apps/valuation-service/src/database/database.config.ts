import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';

import { postgresOptionsFromEnv } from '@msmebazaar/security';

import { Valuation } from '../valuation/valuation.entity';
import { CreateValuations1764720100000 } from './migrations/1764720100000-create-valuations';

/** The valuation-service DataSource options, from the environment. */
export function databaseOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
): PostgresDataSourceOptions {
  return postgresOptionsFromEnv(
    {
      serviceName: 'valuation-service',
      developmentUrl: 'postgres://postgres@127.0.0.1:5432/msmebazaar_valuation',
      entities: [Valuation],
      migrations: [CreateValuations1764720100000],
    },
    env,
  );
}
