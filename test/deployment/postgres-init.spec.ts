import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { Client } from 'pg';

import { TEST_POSTGRES_URL } from '../support/postgres';
import { uniqueName } from '../support/test-run';
import { repositoryPath } from './support/repository';

const run = promisify(execFile);
const SCRIPT = repositoryPath('docker/postgres/init-databases.sh');

/**
 * Runs the compose stack's init script as the postgres image would, but against the test
 * server: psql reaches it through PGHOST/PGPORT instead of the container's socket.
 */
function runInitScript(databases: string[], extraEnv: Record<string, string> = {}) {
  const server = new URL(TEST_POSTGRES_URL);
  return run('bash', [SCRIPT], {
    env: {
      PATH: process.env.PATH,
      PGHOST: server.hostname,
      PGPORT: server.port || '5432',
      POSTGRES_USER: decodeURIComponent(server.username) || 'postgres',
      POSTGRES_DB: server.pathname.slice(1) || 'postgres',
      PGPASSWORD: 'init-script-test',
      APP_DATABASES: databases.join(' '),
      ...extraEnv,
    },
  });
}

async function connectAs(role: string, database: string): Promise<Client> {
  const url = new URL(TEST_POSTGRES_URL);
  url.username = role;
  url.password = 'init-script-test';
  url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}

async function asAdmin(statements: string[]): Promise<void> {
  const admin = new Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    for (const statement of statements) await admin.query(statement);
  } finally {
    await admin.end();
  }
}

describe('docker/postgres/init-databases.sh', () => {
  const databases = [uniqueName('init_auth'), uniqueName('init_msme')];

  afterAll(async () => {
    await asAdmin([
      ...databases.map((name) => `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      ...databases.map((name) => `DROP ROLE IF EXISTS "${name}"`),
    ]);
  });

  it('should create one database per service, owned by a login role of the same name', async () => {
    await runInitScript(databases);

    for (const name of databases) {
      const client = await connectAs(name, name);
      try {
        const { rows } = await client.query<{ user: string; database: string; owner: string }>(
          `SELECT current_user AS user, current_database() AS database,
                  pg_get_userbyid(datdba) AS owner
             FROM pg_database WHERE datname = current_database()`,
        );

        expect(rows[0]).toEqual({ user: name, database: name, owner: name });
      } finally {
        await client.end();
      }
    }
  });

  it("should keep each service out of the other services' databases", async () => {
    const [auth, msme] = databases;

    await expect(connectAs(auth, msme)).rejects.toThrow(/permission denied for database/);
  });

  it('should refuse a database name that is not a plain identifier, before creating any', async () => {
    const valid = uniqueName('init_valid');

    await expect(runInitScript([valid, 'bad-name;drop'])).rejects.toMatchObject({
      stderr: expect.stringContaining("invalid database name 'bad-name;drop'"),
    });
    await expect(connectAs(valid, valid)).rejects.toThrow(/does not exist/);
  });

  it('should refuse to run without the application password', async () => {
    await expect(
      runInitScript([uniqueName('init_none')], { PGPASSWORD: '' }),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('PGPASSWORD must be set'),
    });
  });
});
