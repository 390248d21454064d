import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';

import {
  EnvReader,
  securityOptionsFromEnv,
  type AuditModuleOptions,
  type SecurityModuleOptions,
} from '@msmebazaar/security';

import { databaseOptionsFromEnv } from '../database/database.config';
import { msmeClientConfigFromEnv, type MsmeClientConfig } from '../msme-client/msme-client.config';

/** Everything valuation-service reads from its environment, validated at start. */
export interface ValuationServiceConfig {
  security: SecurityModuleOptions;
  database: PostgresDataSourceOptions;
  audit: AuditModuleOptions;
  msmeClient: MsmeClientConfig;
}

/** @throws ConfigurationError naming the first invalid variable. */
export function valuationServiceConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
): ValuationServiceConfig {
  const withDefaults = { SERVICE_NAME: 'valuation-service', ...env };
  return {
    security: securityOptionsFromEnv(withDefaults),
    database: databaseOptionsFromEnv(withDefaults),
    audit: { hmacKey: new EnvReader(withDefaults).optionalString('AUDIT_HMAC_KEY') },
    msmeClient: msmeClientConfigFromEnv(withDefaults),
  };
}
