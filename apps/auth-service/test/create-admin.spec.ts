import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

import { Client } from 'pg';

import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres';

const ROOT = resolve(__dirname, '../../..');

function createAdmin(
  database: TestDatabase,
  args: string[],
  input: string,
  env: Record<string, string> = {},
) {
  return spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', 'tools/auth/create-admin.ts', ...args],
    {
      cwd: ROOT,
      input,
      encoding: 'utf8',
      env: {
        ...process.env,
        SWC_NODE_PROJECT: 'tsconfig.base.json',
        ENVIRONMENT: 'test',
        DATABASE_URL: database.url,
        ADMIN_PASSWORD: '',
        ...env,
      },
      timeout: 60_000,
    },
  );
}

describe('tools/auth/create-admin', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('auth_create_admin');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('should create a verified admin with the password from standard input', async () => {
    const result = createAdmin(
      database,
      ['--email', 'Root@Example.com'],
      'Harbour-Lantern-Quiet-81\n',
    );

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const client = new Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query(
      `SELECT email, roles, is_verified, password_hash FROM users`,
    );
    await client.end();
    expect(rows).toEqual([
      {
        email: 'root@example.com',
        roles: ['admin'],
        is_verified: true,
        password_hash: expect.stringMatching(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/),
      },
    ]);
    expect(result.stdout).not.toContain('Harbour-Lantern-Quiet-81');
  });

  it('should refuse a weak password and an email that exists', () => {
    const weak = createAdmin(database, ['--email', 'other@example.com'], 'password1234\n');
    const taken = createAdmin(database, ['--email', 'root@example.com'], '', {
      ADMIN_PASSWORD: 'Another-Quiet-Harbour-55',
    });

    expect(weak.status).toBe(1);
    expect(taken.status).toBe(1);
    expect(taken.stderr).toMatch(/already exists/);
  });

  it('should refuse a missing --email with a usage line', () => {
    expect(createAdmin(database, [], 'x\n').status).toBe(2);
  });
});
