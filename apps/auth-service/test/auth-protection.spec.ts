import { createAccount } from './support/accounts';
import { AuthHarness, strongPassword, uniqueEmail } from './support/auth-harness';

let nextAddress = 10;

/** A client address of its own for each test, believed through one trusted proxy hop. */
function clientIp(): Record<string, string> {
  nextAddress += 1;
  return { 'x-forwarded-for': `198.51.100.${nextAddress}` };
}

describe('auth-service brute-force protection', () => {
  let harness: AuthHarness;

  beforeAll(async () => {
    harness = await AuthHarness.start('auth_protection', {
      TRUST_PROXY: '1',
      RATE_LIMIT_AUTH: '5/300',
      RATE_LIMIT_OTP: '3/300',
      ACCOUNT_LOCKOUT: '3/60',
      IP_AUTO_BLOCK: '4/600/120',
    });
  });

  afterAll(async () => {
    await harness?.close();
  });

  function attempt(email: string, password: string, headers: Record<string, string>) {
    return harness.request('POST', '/api/auth/login', { body: { email, password }, headers });
  }

  describe('account lockout', () => {
    it('should lock after the configured failures in a row and refuse even the right password', async () => {
      const account = await createAccount(harness);

      const statuses = [];
      for (let failure = 0; failure < 3; failure += 1) {
        statuses.push((await attempt(account.email, strongPassword(), clientIp())).status);
      }
      const correct = await attempt(account.email, account.password, clientIp());

      expect(statuses).toEqual([401, 401, 401]);
      expect(correct.status).toBe(401);
      await harness.mail.waitFor(account.email, /locked/i);
      const events = await harness.query(
        `SELECT details FROM audit_logs WHERE event_type = 'account_locked' AND user_id = $1`,
        [account.id],
      );
      expect(events).toEqual([
        { details: expect.objectContaining({ failed_logins: 3, lock_seconds: 60 }) },
      ]);
    });

    it('should reset the count on a successful login', async () => {
      const account = await createAccount(harness);
      const headers = clientIp();

      await attempt(account.email, strongPassword(), headers);
      await attempt(account.email, strongPassword(), headers);
      const success = await attempt(account.email, account.password, clientIp());
      harness.secrets.add(success.body.access_token).add(success.body.refresh_token);
      await attempt(account.email, strongPassword(), clientIp());
      await attempt(account.email, strongPassword(), clientIp());

      expect(success.status).toBe(200);
      expect((await attempt(account.email, account.password, clientIp())).status).toBe(200);
    });
  });

  describe('IP auto-block', () => {
    it('should block an address after the configured failed logins, on every route but health', async () => {
      const attacker = clientIp();
      const bystander = clientIp();

      for (let failure = 0; failure < 4; failure += 1) {
        await attempt(uniqueEmail(), strongPassword(), attacker);
      }
      const blocked = await harness.request('GET', '/.well-known/jwks.json', { headers: attacker });
      const health = await harness.request('GET', '/health/live', { headers: attacker });
      const other = await harness.request('GET', '/.well-known/jwks.json', { headers: bystander });

      expect(blocked.status).toBe(403);
      expect(blocked.headers.get('content-type')).toContain('application/problem+json');
      expect(health.status).toBe(200);
      expect(other.status).toBe(200);
      const events = await harness.query(
        `SELECT ip_address, details FROM audit_logs WHERE event_type = 'ip_blocked'`,
      );
      expect(events).toEqual([
        expect.objectContaining({
          ip_address: attacker['x-forwarded-for'],
          details: expect.objectContaining({ block_seconds: 120 }),
        }),
      ]);
    });
  });

  describe('rate limits', () => {
    it('should answer the sixth auth request of a client in the window with 429 and Retry-After', async () => {
      const headers = clientIp();

      const statuses = [];
      for (let request = 0; request < 5; request += 1) {
        statuses.push(
          (
            await harness.request('POST', '/api/auth/password/forgot', {
              body: { email: uniqueEmail() },
              headers,
            })
          ).status,
        );
      }
      const refused = await harness.request('POST', '/api/auth/password/forgot', {
        body: { email: uniqueEmail() },
        headers,
      });

      expect(statuses).toEqual([202, 202, 202, 202, 202]);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('ratelimit-limit')).toBe('5');
    });

    it('should limit OTP sends per destination across clients', async () => {
      const destination = uniqueEmail();

      const statuses = [];
      for (let request = 0; request < 4; request += 1) {
        const response = await harness.request('POST', '/api/otp/send', {
          body: { channel: 'email', destination, purpose: 'login' },
          headers: clientIp(),
        });
        statuses.push(response.status);
      }

      expect(statuses).toEqual([202, 202, 202, 429]);
    });
  });
});
