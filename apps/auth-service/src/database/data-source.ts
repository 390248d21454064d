import { DataSource } from 'typeorm';

import { authConfigFromEnv } from '../config/auth.config';
import { authDataSourceOptions } from './database.config';

/**
 * The data source of deployment commands: `tools/auth/migrate.ts`, or TypeORM's CLI
 * (`typeorm migration:run -d apps/auth-service/src/database/data-source.ts`).
 * Configured from the same environment as the service.
 */
export const authDataSource = new DataSource(authDataSourceOptions(authConfigFromEnv()));

export default authDataSource;
