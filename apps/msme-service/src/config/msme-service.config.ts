import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';

import {
  EnvReader,
  securityOptionsFromEnv,
  type AuditModuleOptions,
  type SecurityModuleOptions,
} from '@msmebazaar/security';

import { databaseOptionsFromEnv } from '../database/database.config';

/** Everything msme-service reads from its environment, validated at start. */
export interface MsmeServiceConfig {
  security: SecurityModuleOptions;
  database: PostgresDataSourceOptions;
  audit: AuditModuleOptions;
}

/** @throws ConfigurationError naming the first invalid variable. */
export function msmeServiceConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
): MsmeServiceConfig {
  const withDefaults = { SERVICE_NAME: 'msme-service', ...env };
  return {
    security: securityOptionsFromEnv(withDefaults),
    database: databaseOptionsFromEnv(withDefaults),
    audit: { hmacKey: new EnvReader(withDefaults).optionalString('AUDIT_HMAC_KEY') },
  };
}
