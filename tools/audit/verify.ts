/**
 * Walks a service's audit chain and reports the first broken link.
 *
 *   npm run audit:verify -- --service auth-service
 *   npm run audit:verify -- --database-url postgres://... [--batch-size 5000]
 *
 * The database comes from --database-url, else <SERVICE>_DATABASE_URL (AUTH_SERVICE_DATABASE_URL
 * for auth-service), else DATABASE_URL. The HMAC key from <SERVICE>_AUDIT_HMAC_KEY, else
 * AUDIT_HMAC_KEY. Exit status: 0 intact, 1 broken, 2 usage or connection error.
 */
import { parseArgs } from 'node:util';

import { Client } from 'pg';

import { verifyAuditChain } from '../../libs/security/src/audit/audit-chain.verifier';

interface VerifyCommand {
  service: string;
  databaseUrl: string;
  hmacKey?: string;
  batchSize: number;
}

function envName(service: string, suffix: string): string {
  return `${service.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_${suffix}`;
}

function parseCommand(argv: string[], env: NodeJS.ProcessEnv): VerifyCommand {
  const { values } = parseArgs({
    args: argv,
    options: {
      service: { type: 'string' },
      'database-url': { type: 'string' },
      'batch-size': { type: 'string' },
    },
  });
  const service = values.service ?? env.SERVICE_NAME ?? 'service';
  const databaseUrl =
    values['database-url'] ?? env[envName(service, 'DATABASE_URL')] ?? env.DATABASE_URL;
  if (!databaseUrl) {
    throw new Error(`no database: pass --database-url or set ${envName(service, 'DATABASE_URL')}`);
  }
  return {
    service,
    databaseUrl,
    hmacKey: env[envName(service, 'AUDIT_HMAC_KEY')] ?? env.AUDIT_HMAC_KEY,
    batchSize: Number(values['batch-size'] ?? 5000),
  };
}

async function run(command: VerifyCommand): Promise<number> {
  const client = new Client({ connectionString: command.databaseUrl });
  await client.connect();
  try {
    // One snapshot for the head and the rows, while the service keeps appending.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const report = await verifyAuditChain(
      { query: async (sql, parameters) => (await client.query(sql, parameters)).rows },
      { hmacKey: command.hmacKey, batchSize: command.batchSize },
    );
    await client.query('COMMIT');

    const unsealed = report.unsealedRows > 0 ? `, ${report.unsealedRows} rows not sealed yet` : '';
    if (report.ok) {
      console.log(
        `audit chain of ${command.service} intact: ${report.rowsChecked} rows, ` +
          `head seq ${report.headSeq} hash ${report.headHash}${unsealed}`,
      );
      return 0;
    }
    const link = report.firstBreak;
    console.error(
      `audit chain of ${command.service} broken at seq ${link?.seq}` +
        `${link?.id ? ` (id ${link.id})` : ''}: ${link?.reason}; ` +
        `${report.rowsChecked} rows verified before it, head seq ${report.headSeq}${unsealed}`,
    );
    return 1;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  try {
    process.exitCode = await run(parseCommand(process.argv.slice(2), process.env));
  } catch (error) {
    console.error(`audit verify failed: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}

void main();
