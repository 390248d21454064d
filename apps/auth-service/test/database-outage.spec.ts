import { Client } from 'pg';

import { TEST_POSTGRES_URL } from '../../../test/support/postgres';
import { createAccount, login, type TestAccount } from './support/accounts';
import { AuthHarness } from './support/auth-harness';

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('auth-service while Postgres is unavailable', () => {
  let harness: AuthHarness;
  let account: TestAccount;
  let accessToken: string;

  beforeAll(async () => {
    harness = await AuthHarness.start('auth_db_outage');
    account = await createAccount(harness);
    accessToken = (await login(harness, account)).access_token;
  });

  afterAll(async () => {
    await admin(`ALTER DATABASE "${harness.database.name}" ALLOW_CONNECTIONS true`);
    await harness?.close();
  });

  async function stopDatabase(): Promise<void> {
    const name = harness.database.name;
    await admin(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
  }

  it('should answer 503 problem+json during the outage and recover after it', async () => {
    await stopDatabase();

    const loginDuring = await harness.request('POST', '/api/auth/login', {
      body: { email: account.email, password: account.password },
    });
    const profileDuring = await harness.request('GET', '/api/profile', { token: accessToken });
    const readyDuring = await harness.request('GET', '/health/ready');

    expect(loginDuring.status).toBe(503);
    expect(loginDuring.headers.get('content-type')).toContain('application/problem+json');
    expect(loginDuring.body).toMatchObject({
      status: 503,
      instance: '/api/auth/login',
      correlation_id: expect.any(String),
    });
    expect(JSON.stringify(loginDuring.body)).not.toMatch(/ALLOW_CONNECTIONS|pg_|database "/);
    expect(profileDuring.status).toBe(503);
    expect(readyDuring.status).toBe(503);

    await admin(`ALTER DATABASE "${harness.database.name}" ALLOW_CONNECTIONS true`);

    const loginAfter = await harness.request('POST', '/api/auth/login', {
      body: { email: account.email, password: account.password },
    });
    expect(loginAfter.status).toBe(200);
    harness.secrets.add(loginAfter.body.access_token).add(loginAfter.body.refresh_token);
    expect(
      (await harness.request('GET', '/api/profile', { token: loginAfter.body.access_token }))
        .status,
    ).toBe(200);
    expect((await harness.request('GET', '/health/ready')).status).toBe(200);
  });
});
