import { createAccount, login } from './support/accounts';
import { AuthHarness } from './support/auth-harness';

const TEN_KB = 'a'.repeat(10 * 1024);
const SQL_INJECTION = "x' OR '1'='1'; DROP TABLE users; --";

/** Each route with a body, and a valid body to corrupt. */
const ROUTES: { path: string; auth: boolean; valid: Record<string, unknown>; field?: string }[] = [
  {
    path: '/api/auth/register',
    auth: false,
    valid: {
      email: 'new.person@example.com',
      password: 'Correct-Horse-Battery-9',
      full_name: 'N P',
      user_type: 'buyer',
    },
  },
  { path: '/api/auth/verify-email', auth: false, valid: { token: 'abc' } },
  { path: '/api/auth/verify-email/resend', auth: false, valid: { email: 'a@example.com' } },
  {
    path: '/api/auth/login',
    auth: false,
    valid: { email: 'a@example.com', password: 'whatever-it-is' },
  },
  { path: '/api/auth/refresh', auth: false, valid: { refresh_token: 'abc' } },
  { path: '/api/auth/password/forgot', auth: false, valid: { email: 'a@example.com' } },
  {
    path: '/api/auth/password/reset',
    auth: false,
    valid: { token: 'abc', new_password: 'Correct-Horse-Battery-9' },
  },
  {
    path: '/api/auth/password/change',
    auth: true,
    valid: { current_password: 'x', new_password: 'Correct-Horse-Battery-9' },
  },
  {
    path: '/api/otp/send',
    auth: false,
    valid: { channel: 'email', destination: 'a@example.com', purpose: 'login' },
  },
  {
    path: '/api/otp/verify',
    auth: false,
    valid: { channel: 'email', destination: 'a@example.com', purpose: 'login', code: '123456' },
  },
  {
    path: '/api/auth/api-tokens',
    auth: true,
    valid: { name: 'n', permissions: ['msme.read'] },
    field: 'permissions',
  },
  {
    path: '/api/admin/ip-blocks',
    auth: true,
    valid: { ip: '203.0.113.5', ttl_seconds: 60, reason: 'r' },
  },
];

/** Ways to corrupt the first field of a valid body. */
const CORRUPTIONS: [string, (body: Record<string, unknown>, field: string) => unknown][] = [
  ['a number where a string belongs', (body, field) => ({ ...body, [field]: 12345 })],
  ['an object where a string belongs', (body, field) => ({ ...body, [field]: { $ne: null } })],
  ['an array where a string belongs', (body, field) => ({ ...body, [field]: ['a', 'b'] })],
  [
    'a missing field',
    (body, field) => Object.fromEntries(Object.entries(body).filter(([key]) => key !== field)),
  ],
  ['an unknown field', (body) => ({ ...body, is_admin: true })],
  ['a 10 KB string', (body, field) => ({ ...body, [field]: TEN_KB })],
  ['an SQL-injection string', (body, field) => ({ ...body, [field]: SQL_INJECTION })],
  [
    'unicode control characters',
    (body, field) => ({ ...body, [field]: '\u202e\u0000\ud83d\ude00' }),
  ],
  ['null', (body, field) => ({ ...body, [field]: null })],
];

describe('auth-service bad input', () => {
  let harness: AuthHarness;
  let token: string;
  let snapshot: string;

  beforeAll(async () => {
    harness = await AuthHarness.start('auth_bad_input');
    token = (await login(harness, await createAccount(harness, { roles: ['admin'] }))).access_token;
    snapshot = await tableSnapshot();
  });

  afterAll(async () => {
    await harness?.close();
  });

  async function tableSnapshot(): Promise<string> {
    const rows = await harness.query(`
      SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM sessions) AS sessions,
             (SELECT count(*) FROM api_tokens) AS api_tokens, (SELECT count(*) FROM otp_codes) AS otp_codes,
             (SELECT count(*) FROM single_use_tokens) AS single_use,
             (SELECT max(failed_login_attempts) FROM users) AS failures`);
    return JSON.stringify(rows[0]);
  }

  const cases = ROUTES.flatMap((route) =>
    CORRUPTIONS.map(([name, corrupt]) => [route.path, name, route, corrupt] as const),
  );

  it.each(cases)(
    'should answer POST %s with %s with 400 problem+json',
    async (_path, name, route, corrupt) => {
      const field = route.field ?? Object.keys(route.valid)[0];
      const body = corrupt(route.valid, field);

      const response = await harness.request('POST', route.path, {
        body,
        token: route.auth ? token : undefined,
      });

      const stringValued = ['an SQL-injection string', 'unicode control characters'].includes(name);
      if (stringValued && route.path === '/api/auth/refresh') {
        expect(response.status).toBe(401);
      } else {
        expect(response.status).toBe(400);
      }
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(response.body)).not.toMatch(/stack|SELECT|INSERT/i);
    },
  );

  it.each(ROUTES.map((route) => [route.path, route] as const))(
    'should refuse a __proto__ key on POST %s with 400',
    async (_path, route) => {
      const response = await harness.request('POST', route.path, {
        rawBody: `{"__proto__":{"is_admin":true},${JSON.stringify(route.valid).slice(1)}`,
        headers: { 'content-type': 'application/json' },
        token: route.auth ? token : undefined,
      });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    },
  );

  it.each([
    ['/api/admin/users?limit=abc'],
    ['/api/admin/users?page=-1'],
    ['/api/admin/users?email=%27%20OR%201%3D1--'],
    ['/api/admin/users?unknown=1'],
    [`/api/admin/users?email=${'a'.repeat(10_000)}@x.com`],
    ['/api/admin/audit-logs?user_id=not-a-uuid'],
    ['/api/admin/audit-logs?from=2026-13-45'],
  ])('should answer GET %s with 400', async (path) => {
    const response = await harness.request('GET', path, { token });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it.each([
    ['DELETE', '/api/auth/api-tokens/1%20OR%201=1'],
    ['DELETE', '/api/admin/ip-blocks/..%2F..%2Fetc'],
    ['POST', '/api/admin/users/%F0%9F%98%80/lock'],
    ['PUT', "/api/admin/users/x'--/roles"],
  ])('should answer %s %s (non-UUID id) with 400', async (method, path) => {
    const response = await harness.request(method, path, {
      token,
      body: method === 'PUT' ? { roles: ['buyer'] } : undefined,
    });

    expect(response.status).toBe(400);
  });

  it('should have changed no row', async () => {
    expect(await tableSnapshot()).toBe(snapshot);
  });
});
