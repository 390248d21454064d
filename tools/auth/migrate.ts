/**
 * Applies auth-service's pending database migrations (the same set the service runs on
 * start when DB_MIGRATE_ON_START=true), configured from the service's environment.
 *
 *   DATABASE_URL=postgres://... npm run auth:migrate
 *
 * Exit status: 0 applied or nothing to do, 1 failure.
 */
import { authDataSource } from '../../apps/auth-service/src/database/data-source';

async function main(): Promise<void> {
  await authDataSource.initialize();
  try {
    const applied = await authDataSource.runMigrations({ transaction: 'each' });
    const names = applied.map((migration) => migration.name);
    process.stdout.write(names.length > 0 ? `applied: ${names.join(', ')}\n` : 'up to date\n');
  } finally {
    await authDataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `migration failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
