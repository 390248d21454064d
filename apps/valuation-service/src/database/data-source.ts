import { DataSource } from 'typeorm';

import { databaseOptionsFromEnv } from './database.config';

/**
 * The service's DataSource outside Nest, configured from the same environment: for the
 * TypeORM CLI (`migration:run`, `migration:revert`, `migration:show`) and scripts.
 */
export const valuationDataSource = new DataSource(databaseOptionsFromEnv());

export default valuationDataSource;
