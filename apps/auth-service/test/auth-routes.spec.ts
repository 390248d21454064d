import { randomUUID } from 'node:crypto';

import { createAccount, login, type TestAccount } from './support/accounts';
import { AuthHarness, strongPassword, uniqueEmail } from './support/auth-harness';
import { codeFromMail, tokenFromMail } from './support/mail-sink';

const VALID_GSTIN = '27AAPFU0939F1ZV';

describe('auth-service routes', () => {
  let harness: AuthHarness;
  let owner: TestAccount;
  let ownerTokens: { access_token: string; refresh_token: string };
  let admin: TestAccount;
  let adminToken: string;

  beforeAll(async () => {
    harness = await AuthHarness.start('auth_routes', { DOCS_ENABLED: 'true' });
    owner = await createAccount(harness);
    ownerTokens = await login(harness, owner);
    admin = await createAccount(harness, { roles: ['admin'] });
    adminToken = (await login(harness, admin)).access_token;
  });

  afterAll(async () => {
    await harness?.close();
  });

  describe('POST /api/auth/register', () => {
    it('should answer 202 and mail a verification link to a new email', async () => {
      const email = uniqueEmail();

      const response = await harness.request('POST', '/api/auth/register', {
        body: {
          email,
          password: strongPassword(),
          full_name: 'Ravi Kumar',
          user_type: 'buyer',
          phone: '+919812345678',
          company_name: 'Kumar Traders',
          gst_number: VALID_GSTIN,
        },
      });

      expect(response.status).toBe(202);
      expect(response.body).toEqual({ message: expect.any(String) });
      harness.secrets.add(tokenFromMail(await harness.mail.waitFor(email, /verify/i)));
    });

    it('should answer an already-registered email exactly as a new one and tell its owner', async () => {
      const fresh = await harness.request('POST', '/api/auth/register', {
        body: {
          email: uniqueEmail(),
          password: strongPassword(),
          full_name: 'New',
          user_type: 'investor',
        },
      });

      const taken = await harness.request('POST', '/api/auth/register', {
        body: {
          email: ` ${owner.email.toUpperCase()} `.trim(),
          password: strongPassword(),
          full_name: 'Copy',
          user_type: 'investor',
        },
      });

      expect(taken.status).toBe(fresh.status);
      expect(taken.body).toEqual(fresh.body);
      await harness.mail.waitFor(owner.email, /tried to register/i);
      const rows = await harness.query(
        `SELECT count(*)::int AS n FROM users WHERE lower(email) = $1`,
        [owner.email],
      );
      expect(rows[0].n).toBe(1);
    });

    it.each([
      ['a short password', { password: 'Short-1!' }],
      ['a common password', { password: 'password1234' }],
      [
        'a password with the email name',
        { email: 'meenakshi@example.com', password: 'meenakshi-Rocks-42' },
      ],
      ['an invalid GSTIN check character', { gst_number: '27AAPFU0939F1ZA' }],
      ['a phone not in E.164', { phone: '09812345678' }],
      ['the admin user type', { user_type: 'admin' }],
      ['an invalid email', { email: 'not-an-email' }],
    ])('should refuse %s with 400', async (_case, override) => {
      const body = {
        email: uniqueEmail(),
        password: strongPassword(),
        full_name: 'X',
        user_type: 'buyer',
        ...override,
      };

      const response = await harness.request('POST', '/api/auth/register', { body });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.errors.length).toBeGreaterThan(0);
    });
  });

  describe('POST /api/auth/verify-email and /resend', () => {
    it('should resend to an unverified account and answer 202 for unknown ones', async () => {
      const unverified = await createAccount(harness, { verified: false });

      const known = await harness.request('POST', '/api/auth/verify-email/resend', {
        body: { email: unverified.email },
      });
      const unknown = await harness.request('POST', '/api/auth/verify-email/resend', {
        body: { email: uniqueEmail() },
      });

      expect([known.status, unknown.status]).toEqual([202, 202]);
      expect(known.body).toEqual(unknown.body);
      const token = tokenFromMail(await harness.mail.waitFor(unverified.email, /verify/i));
      harness.secrets.add(token);
      expect(
        (await harness.request('POST', '/api/auth/verify-email', { body: { token } })).status,
      ).toBe(200);
    });

    it.each([
      ['garbage', () => 'not-a-token'],
      ['an access token', () => ownerTokens.access_token],
      ['a refresh token', () => ownerTokens.refresh_token],
    ])('should refuse %s with 400', async (_case, token) => {
      const response = await harness.request('POST', '/api/auth/verify-email', {
        body: { token: token() },
      });

      expect(response.status).toBe(400);
    });
  });

  describe('POST /api/auth/login', () => {
    it('should answer the same 401 body for an unknown email, a wrong password and a locked account', async () => {
      const locked = await createAccount(harness);
      await harness.query(
        `UPDATE users SET locked_until = now() + interval '1 hour' WHERE id = $1`,
        [locked.id],
      );

      const answers = await Promise.all([
        harness.request('POST', '/api/auth/login', {
          body: { email: uniqueEmail(), password: strongPassword() },
        }),
        harness.request('POST', '/api/auth/login', {
          body: { email: owner.email, password: strongPassword() },
        }),
        harness.request('POST', '/api/auth/login', {
          body: { email: locked.email, password: locked.password },
        }),
      ]);

      for (const answer of answers) {
        expect(answer.status).toBe(401);
        const { type, title, detail, status } = answer.body;
        expect({ type, title, detail, status }).toEqual({
          type: 'https://msmebazaar.com/problems/invalid-credentials',
          title: 'Invalid credentials',
          detail: 'The email or password is incorrect.',
          status: 401,
        });
      }
    });

    it('should answer 403 email-not-verified for a correct password on an unverified account', async () => {
      const unverified = await createAccount(harness, { verified: false });

      const response = await harness.request('POST', '/api/auth/login', {
        body: { email: unverified.email, password: unverified.password },
      });

      expect(response.status).toBe(403);
      expect(response.body.type).toBe('https://msmebazaar.com/problems/email-not-verified');
    });

    it('should put the contract claims in the access token', async () => {
      const [, payload] = ownerTokens.access_token.split('.');
      const header = JSON.parse(
        Buffer.from(ownerTokens.access_token.split('.')[0], 'base64url').toString(),
      );

      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());

      expect(header).toMatchObject({ alg: 'ES256', kid: expect.any(String) });
      expect(claims).toMatchObject({
        sub: owner.id,
        email: owner.email,
        roles: ['msme_owner'],
        token_type: 'access',
        iss: 'msmebazaar.com',
        aud: 'msmebazaar-api',
        jti: expect.any(String),
        sid: expect.any(String),
      });
      expect(claims.permissions).toContain('msme.write');
      expect(claims.exp - claims.iat).toBe(900);
    });
  });

  describe('POST /api/auth/refresh', () => {
    it('should rotate the pair and refuse garbage and tokens of another type with 401', async () => {
      const tokens = await login(harness, owner);

      const rotated = await harness.request('POST', '/api/auth/refresh', {
        body: { refresh_token: tokens.refresh_token },
      });
      const garbage = await harness.request('POST', '/api/auth/refresh', {
        body: { refresh_token: 'abc.def.ghi' },
      });
      const wrongType = await harness.request('POST', '/api/auth/refresh', {
        body: { refresh_token: tokens.access_token },
      });

      expect(rotated.status).toBe(200);
      expect(rotated.headers.get('cache-control')).toBe('no-store');
      harness.secrets.add(rotated.body.access_token).add(rotated.body.refresh_token);
      expect(rotated.body.refresh_token).not.toBe(tokens.refresh_token);
      expect([garbage.status, wrongType.status]).toEqual([401, 401]);
    });
  });

  describe('POST /api/auth/logout and /logout-all', () => {
    it('should answer 401 without an access token', async () => {
      expect((await harness.request('POST', '/api/auth/logout')).status).toBe(401);
      expect((await harness.request('POST', '/api/auth/logout-all')).status).toBe(401);
    });

    it('should revoke every earlier token of the user on logout-all', async () => {
      const account = await createAccount(harness);
      const first = await login(harness, account);
      const second = await login(harness, account);

      const response = await harness.request('POST', '/api/auth/logout-all', {
        token: first.access_token,
      });

      expect(response.status).toBe(204);
      expect(
        (await harness.request('GET', '/api/profile', { token: second.access_token })).status,
      ).toBe(401);
      expect(
        (
          await harness.request('POST', '/api/auth/refresh', {
            body: { refresh_token: second.refresh_token },
          })
        ).status,
      ).toBe(401);
      const fresh = await login(harness, account);
      expect(
        (await harness.request('GET', '/api/profile', { token: fresh.access_token })).status,
      ).toBe(200);
    });

    it('should also end the session of a refresh token given to logout', async () => {
      const account = await createAccount(harness);
      const current = await login(harness, account);
      const other = await login(harness, account);

      const response = await harness.request('POST', '/api/auth/logout', {
        token: current.access_token,
        body: { refresh_token: other.refresh_token },
      });

      expect(response.status).toBe(204);
      expect(
        (
          await harness.request('POST', '/api/auth/refresh', {
            body: { refresh_token: other.refresh_token },
          })
        ).status,
      ).toBe(401);
    });
  });

  describe('POST /api/auth/password/*', () => {
    it('should answer 202 to forgot for any email', async () => {
      const response = await harness.request('POST', '/api/auth/password/forgot', {
        body: { email: uniqueEmail() },
      });

      expect(response.status).toBe(202);
    });

    it('should refuse an invalid reset token with 400', async () => {
      const response = await harness.request('POST', '/api/auth/password/reset', {
        body: { token: 'x.y.z', new_password: strongPassword() },
      });

      expect(response.status).toBe(400);
    });

    it('should answer a wrong current_password with 400 and an errors entry for it', async () => {
      const response = await harness.request('POST', '/api/auth/password/change', {
        token: ownerTokens.access_token,
        body: { current_password: 'definitely-not-it', new_password: strongPassword() },
      });

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'current_password', message: expect.any(String) },
      ]);
    });

    it('should refuse a change without a token with 401', async () => {
      const response = await harness.request('POST', '/api/auth/password/change', {
        body: { current_password: 'a', new_password: strongPassword() },
      });

      expect(response.status).toBe(401);
    });
  });

  describe('POST /api/otp/*', () => {
    it('should log in with an email code, once', async () => {
      expect(
        (
          await harness.request('POST', '/api/otp/send', {
            body: { channel: 'email', destination: owner.email, purpose: 'login' },
          })
        ).status,
      ).toBe(202);
      const code = codeFromMail(await harness.mail.waitFor(owner.email, /one-time code/i));
      harness.codes.add(code);
      const body = { channel: 'email', destination: owner.email, purpose: 'login', code };

      const first = await harness.request('POST', '/api/otp/verify', { body });
      const second = await harness.request('POST', '/api/otp/verify', { body });

      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
      harness.secrets.add(first.body.access_token).add(first.body.refresh_token);
      expect(second.status).toBe(401);
    });

    it('should use a code up on the fifth wrong guess', async () => {
      const phone = '+919800000001';
      await createAccount(harness, { phone });
      await harness.request('POST', '/api/otp/send', {
        body: { channel: 'sms', destination: phone, purpose: 'verify_phone' },
      });
      const code = await harness.smsCode(phone);
      harness.codes.add(code);
      const wrong = code === '000000' ? '111111' : '000000';

      const guesses = [];
      for (let guess = 0; guess < 5; guess += 1) {
        guesses.push(
          (
            await harness.request('POST', '/api/otp/verify', {
              body: { channel: 'sms', destination: phone, purpose: 'verify_phone', code: wrong },
            })
          ).status,
        );
      }
      const right = await harness.request('POST', '/api/otp/verify', {
        body: { channel: 'sms', destination: phone, purpose: 'verify_phone', code },
      });

      expect(guesses).toEqual([401, 401, 401, 401, 401]);
      expect(right.status).toBe(401);
    });

    it('should verify a phone by SMS', async () => {
      const phone = '+919800000002';
      const account = await createAccount(harness, { phone });
      await harness.request('POST', '/api/otp/send', {
        body: { channel: 'sms', destination: phone, purpose: 'verify_phone' },
      });
      const code = await harness.smsCode(phone);
      harness.codes.add(code);

      const response = await harness.request('POST', '/api/otp/verify', {
        body: { channel: 'sms', destination: phone, purpose: 'verify_phone', code },
      });

      expect(response).toMatchObject({ status: 200, body: { verified: true } });
      const rows = await harness.query(`SELECT phone_verified FROM users WHERE id = $1`, [
        account.id,
      ]);
      expect(rows[0].phone_verified).toBe(true);
    });

    it('should answer 503 for every SMS destination while no provider is configured', async () => {
      const phone = '+919800000003';
      await createAccount(harness, { phone });
      harness.sms.configured = false;

      const known = await harness.request('POST', '/api/otp/send', {
        body: { channel: 'sms', destination: phone, purpose: 'login' },
      });
      const unknown = await harness.request('POST', '/api/otp/send', {
        body: { channel: 'sms', destination: '+919800000099', purpose: 'login' },
      });
      harness.sms.configured = true;

      expect([known.status, unknown.status]).toEqual([503, 503]);
    });

    it('should answer 202 and send nothing to a destination without an account', async () => {
      const email = uniqueEmail();

      const response = await harness.request('POST', '/api/otp/send', {
        body: { channel: 'email', destination: email, purpose: 'login' },
      });

      expect(response.status).toBe(202);
      await harness.flushMail();
      expect(harness.mail.mailsTo(email)).toEqual([]);
    });

    it.each([
      [
        'verify_phone by email',
        { channel: 'email', destination: 'a@example.com', purpose: 'verify_phone' },
      ],
      [
        'an sms destination that is not E.164',
        { channel: 'sms', destination: 'a@example.com', purpose: 'login' },
      ],
      ['an unknown channel', { channel: 'pigeon', destination: 'a@example.com', purpose: 'login' }],
    ])('should refuse %s with 400', async (_case, body) => {
      expect((await harness.request('POST', '/api/otp/send', { body })).status).toBe(400);
    });
  });

  describe('GET /api/profile', () => {
    it('should answer 401 without a token', async () => {
      expect((await harness.request('GET', '/api/profile')).status).toBe(401);
    });
  });

  describe('/api/auth/api-tokens', () => {
    it('should create, list and delete an API token of the caller', async () => {
      const created = await harness.request('POST', '/api/auth/api-tokens', {
        token: ownerTokens.access_token,
        body: { name: 'ERP sync', permissions: ['msme.read'] },
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('cache-control')).toBe('no-store');
      harness.secrets.add(created.body.token);
      const days = (Date.parse(created.body.expires_at) - Date.now()) / 86_400_000;
      expect(Math.round(days)).toBe(90);

      const listed = await harness.request('GET', '/api/auth/api-tokens', {
        token: ownerTokens.access_token,
      });
      expect(listed.status).toBe(200);
      expect(listed.body.items).toEqual([
        expect.objectContaining({
          id: created.body.id,
          name: 'ERP sync',
          permissions: ['msme.read'],
          last_used_at: null,
        }),
      ]);
      expect(JSON.stringify(listed.body)).not.toContain(created.body.token);

      expect(
        (await harness.request('GET', '/api/profile', { token: created.body.token })).status,
      ).toBe(401);
      expect(
        (
          await harness.request('DELETE', `/api/auth/api-tokens/${created.body.id}`, {
            token: adminToken,
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await harness.request('DELETE', `/api/auth/api-tokens/${created.body.id}`, {
            token: ownerTokens.access_token,
          })
        ).status,
      ).toBe(204);
      expect(
        (
          await harness.request('DELETE', `/api/auth/api-tokens/${created.body.id}`, {
            token: ownerTokens.access_token,
          })
        ).status,
      ).toBe(404);
      expect(
        (await harness.request('GET', '/api/auth/api-tokens', { token: ownerTokens.access_token }))
          .body.items,
      ).toEqual([]);
    });

    it.each([
      ['permissions the caller lacks', { name: 'x', permissions: ['user.admin'] }, 400],
      [
        'an expiry over 365 days',
        { name: 'x', permissions: ['msme.read'], expires_in_days: 366 },
        400,
      ],
      ['no permissions', { name: 'x', permissions: [] }, 400],
    ])('should refuse %s', async (_case, body, status) => {
      const response = await harness.request('POST', '/api/auth/api-tokens', {
        token: ownerTokens.access_token,
        body,
      });

      expect(response.status).toBe(status);
    });

    it('should refuse a buyer (no api_token.manage) with 403 and a non-UUID id with 400', async () => {
      const buyer = await login(harness, await createAccount(harness, { roles: ['buyer'] }));

      const created = await harness.request('POST', '/api/auth/api-tokens', {
        token: buyer.access_token,
        body: { name: 'x', permissions: ['msme.read'] },
      });
      const badId = await harness.request('DELETE', '/api/auth/api-tokens/not-a-uuid', {
        token: ownerTokens.access_token,
      });

      expect(created.status).toBe(403);
      expect(badId.status).toBe(400);
    });
  });

  describe('/api/admin/users', () => {
    it('should page users and filter by exact email, case-insensitively', async () => {
      const page = await harness.request('GET', '/api/admin/users?page=1&limit=2', {
        token: adminToken,
      });
      const filtered = await harness.request(
        'GET',
        `/api/admin/users?email=${encodeURIComponent(owner.email.toUpperCase())}`,
        { token: adminToken },
      );

      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ page: 1, limit: 2, total: expect.any(Number) });
      expect(page.body.items).toHaveLength(2);
      expect(filtered.body.items).toEqual([
        expect.objectContaining({ id: owner.id, email: owner.email }),
      ]);
      expect(filtered.body.items[0]).not.toHaveProperty('password_hash');
    });

    it.each([
      ['limit over 100', '?limit=101'],
      ['page 0', '?page=0'],
      ['a non-numeric page', '?page=abc'],
    ])('should refuse %s with 400', async (_case, query) => {
      expect(
        (await harness.request('GET', `/api/admin/users${query}`, { token: adminToken })).status,
      ).toBe(400);
    });

    it('should lock and unlock an account, killing its tokens', async () => {
      const target = await createAccount(harness);
      const tokens = await login(harness, target);

      const locked = await harness.request('POST', `/api/admin/users/${target.id}/lock`, {
        token: adminToken,
        body: { reason: 'fraud check' },
      });

      expect(locked.status).toBe(204);
      expect(
        (await harness.request('GET', '/api/profile', { token: tokens.access_token })).status,
      ).toBe(401);
      expect(
        (
          await harness.request('POST', '/api/auth/login', {
            body: { email: target.email, password: target.password },
          })
        ).status,
      ).toBe(401);
      expect(
        (
          await harness.request('POST', `/api/admin/users/${target.id}/unlock`, {
            token: adminToken,
          })
        ).status,
      ).toBe(204);
      const again = await login(harness, target);
      expect(
        (await harness.request('GET', '/api/profile', { token: again.access_token })).status,
      ).toBe(200);
      const audit = await harness.query(
        `SELECT event_type FROM audit_logs WHERE details->>'target_user_id' = $1 OR user_id::text = $1`,
        [target.id],
      );
      expect(audit.map((row) => row.event_type)).toEqual(
        expect.arrayContaining(['account_locked', 'admin_action', 'token_revoked']),
      );
    });

    it('should change roles, answer the user and revoke its tokens', async () => {
      const target = await createAccount(harness, { roles: ['buyer'] });
      const tokens = await login(harness, target);

      const response = await harness.request('PUT', `/api/admin/users/${target.id}/roles`, {
        token: adminToken,
        body: { roles: ['investor'] },
      });

      expect(response.status).toBe(200);
      expect(Object.keys(response.body).sort()).toEqual([
        'created_at',
        'email',
        'full_name',
        'id',
        'is_active',
        'is_verified',
        'last_login',
        'locked_until',
        'roles',
        'user_type',
      ]);
      expect(response.body).toMatchObject({
        id: target.id,
        roles: ['investor'],
        user_type: 'buyer',
      });
      expect(
        (await harness.request('GET', '/api/profile', { token: tokens.access_token })).status,
      ).toBe(401);
      const fresh = await login(harness, target);
      expect(
        (await harness.request('GET', '/api/profile', { token: fresh.access_token })).body.roles,
      ).toEqual(['investor']);
    });

    it.each([
      ['an unknown id', 'POST', () => `/api/admin/users/${randomUUID()}/lock`, undefined, 404],
      ['a non-UUID id', 'POST', () => '/api/admin/users/123/unlock', undefined, 400],
      [
        'an unknown role',
        'PUT',
        () => `/api/admin/users/${owner.id}/roles`,
        { roles: ['superuser'] },
        400,
      ],
      ['empty roles', 'PUT', () => `/api/admin/users/${owner.id}/roles`, { roles: [] }, 400],
    ])('should refuse %s', async (_case, method, path, body, status) => {
      expect((await harness.request(method, path(), { token: adminToken, body })).status).toBe(
        status,
      );
    });

    it.each([
      ['GET', '/api/admin/users'],
      ['GET', '/api/admin/audit-logs'],
      ['GET', '/api/admin/ip-blocks'],
      ['POST', `/api/admin/users/${randomUUID()}/lock`],
    ])('should refuse a non-admin on %s %s with 403', async (method, path) => {
      expect(
        (await harness.request(method, path, { token: ownerTokens.access_token })).status,
      ).toBe(403);
    });
  });

  describe('GET /api/admin/audit-logs', () => {
    it('should list audit rows filtered by event type', async () => {
      const response = await harness.request(
        'GET',
        '/api/admin/audit-logs?event_type=auth_success&limit=5',
        { token: adminToken },
      );

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ page: 1, limit: 5 });
      expect(response.body.items.length).toBeGreaterThan(0);
      for (const item of response.body.items) {
        expect(item).toMatchObject({
          event_type: 'auth_success',
          service: 'auth-service',
          id: expect.any(String),
        });
      }
    });

    it('should refuse a malformed from with 400', async () => {
      expect(
        (
          await harness.request('GET', '/api/admin/audit-logs?from=yesterday', {
            token: adminToken,
          })
        ).status,
      ).toBe(400);
    });
  });

  describe('/api/admin/ip-blocks', () => {
    it('should create, list and delete a block', async () => {
      const created = await harness.request('POST', '/api/admin/ip-blocks', {
        token: adminToken,
        body: { ip: '203.0.113.0/24', ttl_seconds: 600, reason: 'scanner' },
      });

      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        id: expect.any(String),
        ip: '203.0.113.0/24',
        reason: 'scanner',
      });
      const listed = await harness.request('GET', '/api/admin/ip-blocks', { token: adminToken });
      expect(listed.body.items.map((block: { id: string }) => block.id)).toContain(created.body.id);
      expect(
        (
          await harness.request('DELETE', `/api/admin/ip-blocks/${created.body.id}`, {
            token: adminToken,
          })
        ).status,
      ).toBe(204);
      expect(
        (
          await harness.request('DELETE', `/api/admin/ip-blocks/${created.body.id}`, {
            token: adminToken,
          })
        ).status,
      ).toBe(404);
    });

    it.each([
      ['an invalid address', { ip: 'not-an-ip', ttl_seconds: 60, reason: 'x' }],
      ['a zero ttl', { ip: '203.0.113.9', ttl_seconds: 0, reason: 'x' }],
      ['a missing reason', { ip: '203.0.113.9', ttl_seconds: 60 }],
    ])('should refuse %s with 400', async (_case, body) => {
      expect(
        (await harness.request('POST', '/api/admin/ip-blocks', { token: adminToken, body })).status,
      ).toBe(400);
    });
  });

  describe('GET /.well-known/jwks.json', () => {
    it('should publish the public ES256 key of the tokens and no private part', async () => {
      const response = await harness.request('GET', '/.well-known/jwks.json');
      const kid = JSON.parse(
        Buffer.from(ownerTokens.access_token.split('.')[0], 'base64url').toString(),
      ).kid;

      expect(response.status).toBe(200);
      expect(response.body.keys).toEqual([
        expect.objectContaining({ kid, kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' }),
      ]);
      expect(response.body.keys[0]).not.toHaveProperty('d');
    });
  });

  describe('token types', () => {
    it.each([
      [
        'a refresh token as Bearer',
        () => harness.request('GET', '/api/profile', { token: ownerTokens.refresh_token }),
        401,
      ],
      [
        'an access token as refresh token',
        () =>
          harness.request('POST', '/api/auth/refresh', {
            body: { refresh_token: ownerTokens.access_token },
          }),
        401,
      ],
      [
        'an access token as reset token',
        () =>
          harness.request('POST', '/api/auth/password/reset', {
            body: { token: ownerTokens.access_token, new_password: strongPassword() },
          }),
        400,
      ],
    ])('should refuse %s', async (_case, send, status) => {
      expect((await send()).status).toBe(status);
    });

    it('should refuse a verification token whose row has expired with 400', async () => {
      const unverified = await createAccount(harness, { verified: false });
      await harness.request('POST', '/api/auth/verify-email/resend', {
        body: { email: unverified.email },
      });
      const token = tokenFromMail(await harness.mail.waitFor(unverified.email, /verify/i));
      harness.secrets.add(token);
      await harness.query(
        `UPDATE single_use_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
        [unverified.id],
      );

      const response = await harness.request('POST', '/api/auth/verify-email', { body: { token } });

      expect(response.status).toBe(400);
    });
  });

  describe('password rules on change and reset', () => {
    it.each([
      ['a common new password', 'password1234'],
      ['the current password again', null],
    ])('should refuse %s with 400', async (_case, newPassword) => {
      const account = await createAccount(harness);
      const tokens = await login(harness, account);

      const response = await harness.request('POST', '/api/auth/password/change', {
        token: tokens.access_token,
        body: { current_password: account.password, new_password: newPassword ?? account.password },
      });

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'new_password' })]);
    });

    it('should lift a failed-login lock with a password reset', async () => {
      const account = await createAccount(harness);
      await harness.query(
        `UPDATE users SET failed_login_attempts = 5, locked_until = now() + interval '1 hour' WHERE id = $1`,
        [account.id],
      );
      await harness.request('POST', '/api/auth/password/forgot', {
        body: { email: account.email },
      });
      const token = tokenFromMail(await harness.mail.waitFor(account.email, /reset/i));
      harness.secrets.add(token);
      const newPassword = strongPassword();
      harness.secrets.add(newPassword);

      const reset = await harness.request('POST', '/api/auth/password/reset', {
        body: { token, new_password: newPassword },
      });

      expect(reset.status).toBe(204);
      expect(
        (
          await harness.request('POST', '/api/auth/login', {
            body: { email: account.email, password: newPassword },
          })
        ).status,
      ).toBe(200);
    });
  });

  describe('GET /docs-json', () => {
    it('should document every route of the contract', async () => {
      const response = await harness.request('GET', '/docs-json');

      const documented = Object.entries(response.body.paths as Record<string, object>).flatMap(
        ([path, operations]) =>
          Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      );
      expect(documented).toEqual(
        expect.arrayContaining([
          'POST /api/auth/register',
          'POST /api/auth/verify-email',
          'POST /api/auth/verify-email/resend',
          'POST /api/auth/login',
          'POST /api/auth/refresh',
          'POST /api/auth/logout',
          'POST /api/auth/logout-all',
          'POST /api/auth/password/forgot',
          'POST /api/auth/password/reset',
          'POST /api/auth/password/change',
          'POST /api/otp/send',
          'POST /api/otp/verify',
          'GET /api/profile',
          'POST /api/auth/api-tokens',
          'GET /api/auth/api-tokens',
          'DELETE /api/auth/api-tokens/{id}',
          'GET /api/admin/users',
          'POST /api/admin/users/{id}/lock',
          'POST /api/admin/users/{id}/unlock',
          'PUT /api/admin/users/{id}/roles',
          'GET /api/admin/audit-logs',
          'POST /api/admin/ip-blocks',
          'GET /api/admin/ip-blocks',
          'DELETE /api/admin/ip-blocks/{id}',
          'GET /.well-known/jwks.json',
        ]),
      );
    });
  });

  describe('GET /metrics', () => {
    it('should count login attempts by status', async () => {
      const response = await harness.request('GET', '/metrics');

      expect(response.status).toBe(200);
      expect(response.body).toMatch(/auth_attempts_total\{[^}]*status="success"[^}]*\} [1-9]/);
      expect(response.body).toMatch(/auth_attempts_total\{[^}]*status="failure"[^}]*\} [1-9]/);
    });
  });

  describe('logs', () => {
    it('should hold no password, token or code of the tests above', async () => {
      await harness.flushMail();

      expect(harness.leakedSecrets()).toEqual([]);
    });
  });
});
