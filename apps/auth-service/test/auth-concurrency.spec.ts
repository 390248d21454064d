import { createAccount, login } from './support/accounts';
import { AuthHarness, strongPassword, uniqueEmail } from './support/auth-harness';
import { codeFromMail } from './support/mail-sink';

const PARALLEL = 20;

describe('auth-service under concurrency', () => {
  let harness: AuthHarness;

  beforeAll(async () => {
    harness = await AuthHarness.start('auth_concurrency', {
      ACCOUNT_LOCKOUT: '5/900',
      IP_AUTO_BLOCK: '1000/600/60',
    });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('should give exactly one of 20 parallel refreshes of one token a new pair', async () => {
    const tokens = await login(harness, await createAccount(harness));

    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        harness.request('POST', '/api/auth/refresh', {
          body: { refresh_token: tokens.refresh_token },
        }),
      ),
    );

    const statuses = answers.map((answer) => answer.status);
    expect(
      answers
        .filter((answer) => answer.status !== 200 && answer.status !== 401)
        .map((answer) => answer.body),
    ).toEqual([]);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 401)).toHaveLength(PARALLEL - 1);
    for (const answer of answers) {
      if (answer.status === 200)
        harness.secrets.add(answer.body.access_token).add(answer.body.refresh_token);
    }
  });

  it('should create one account from 20 parallel registrations of one email', async () => {
    const email = uniqueEmail('race');

    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () => {
        const password = strongPassword();
        harness.secrets.add(password);
        return harness.request('POST', '/api/auth/register', {
          body: { email, password, full_name: 'Racer', user_type: 'buyer' },
        });
      }),
    );

    expect(answers.map((answer) => answer.status)).toEqual(Array(PARALLEL).fill(202));
    const rows = await harness.query(`SELECT count(*)::int AS n FROM users WHERE email = $1`, [
      email,
    ]);
    expect(rows[0].n).toBe(1);
  });

  it('should lock an account exactly at the threshold under parallel failed logins', async () => {
    const account = await createAccount(harness);

    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        harness.request('POST', '/api/auth/login', {
          body: { email: account.email, password: strongPassword() },
        }),
      ),
    );

    expect(answers.filter((answer) => answer.status !== 401).map((answer) => answer.body)).toEqual(
      [],
    );
    const [user] = await harness.query(
      `SELECT failed_login_attempts, locked_until > now() AS locked FROM users WHERE id = $1`,
      [account.id],
    );
    expect(user).toEqual({ failed_login_attempts: 5, locked: true });
    const lockEvents = await harness.query(
      `SELECT 1 FROM audit_logs WHERE event_type = 'account_locked' AND user_id = $1`,
      [account.id],
    );
    expect(lockEvents).toHaveLength(1);
    const correct = await harness.request('POST', '/api/auth/login', {
      body: { email: account.email, password: account.password },
    });
    expect(correct.status).toBe(401);
    await harness.mail.waitFor(account.email, /locked/i);
  });

  it('should accept one OTP code exactly once under 20 parallel verifications', async () => {
    const account = await createAccount(harness);
    await harness.request('POST', '/api/otp/send', {
      body: { channel: 'email', destination: account.email, purpose: 'login' },
    });
    const code = codeFromMail(await harness.mail.waitFor(account.email, /one-time code/i));
    harness.codes.add(code);

    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        harness.request('POST', '/api/otp/verify', {
          body: { channel: 'email', destination: account.email, purpose: 'login', code },
        }),
      ),
    );

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 401)).toHaveLength(PARALLEL - 1);
    for (const answer of answers) {
      if (answer.status === 200)
        harness.secrets.add(answer.body.access_token).add(answer.body.refresh_token);
    }
  });

  it('should have logged no secret', async () => {
    await harness.flushMail();

    expect(harness.leakedSecrets()).toEqual([]);
  });
});
