import { AuthHarness, strongPassword, uniqueEmail } from './support/auth-harness';
import { tokenFromMail } from './support/mail-sink';

describe('auth-service account lifecycle', () => {
  let harness: AuthHarness;

  beforeAll(async () => {
    harness = await AuthHarness.start('auth_lifecycle');
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('should take an account from registration to password change through HTTP and mail', async () => {
    const email = uniqueEmail('asha');
    const password = strongPassword();
    harness.secrets.add(password);

    const registered = await harness.request('POST', '/api/auth/register', {
      body: {
        email: email.toUpperCase(),
        password,
        full_name: 'Asha Rao',
        user_type: 'msme_owner',
      },
    });
    expect(registered.status).toBe(202);

    const unverifiedLogin = await harness.request('POST', '/api/auth/login', {
      body: { email, password },
    });
    expect(unverifiedLogin.status).toBe(403);
    expect(unverifiedLogin.body.type).toMatch(/email-not-verified$/);

    const verificationMail = await harness.mail.waitFor(email, /verify/i);
    expect(verificationMail.html).toContain('<a href=');
    const verificationToken = tokenFromMail(verificationMail);
    harness.secrets.add(verificationToken);
    const verified = await harness.request('POST', '/api/auth/verify-email', {
      body: { token: verificationToken },
    });
    expect(verified).toMatchObject({ status: 200, body: { verified: true } });
    const verifiedAgain = await harness.request('POST', '/api/auth/verify-email', {
      body: { token: verificationToken },
    });
    expect(verifiedAgain.status).toBe(400);

    const loggedIn = await harness.request('POST', '/api/auth/login', {
      body: { email, password },
    });
    expect(loggedIn.status).toBe(200);
    expect(loggedIn.headers.get('cache-control')).toBe('no-store');
    expect(loggedIn.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 900,
      refresh_expires_in: 604_800,
    });
    const first = loggedIn.body as { access_token: string; refresh_token: string };
    harness.secrets.add(first.access_token).add(first.refresh_token);

    const profile = await harness.request('GET', '/api/profile', { token: first.access_token });
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({
      email,
      full_name: 'Asha Rao',
      user_type: 'msme_owner',
      roles: ['msme_owner'],
      is_verified: true,
    });
    expect(profile.body.permissions).toContain('api_token.manage');

    const refreshed = await harness.request('POST', '/api/auth/refresh', {
      body: { refresh_token: first.refresh_token },
    });
    expect(refreshed.status).toBe(200);
    const second = refreshed.body as { access_token: string; refresh_token: string };
    harness.secrets.add(second.access_token).add(second.refresh_token);

    const reused = await harness.request('POST', '/api/auth/refresh', {
      body: { refresh_token: first.refresh_token },
    });
    expect(reused.status).toBe(401);
    await expectUnauthorizedSoon(second.access_token);
    const afterReuse = await harness.request('POST', '/api/auth/refresh', {
      body: { refresh_token: second.refresh_token },
    });
    expect(afterReuse.status).toBe(401);
    const reuseEvents = await harness.query(
      `SELECT 1 FROM audit_logs WHERE event_type = 'token_reuse_detected'`,
    );
    expect(reuseEvents).toHaveLength(1);

    const other = await harness.startInstance();
    const third = await loginTokens(email, password);
    expect((await other.request('GET', '/api/profile', { token: third.access_token })).status).toBe(
      200,
    );
    expect(
      (await harness.request('POST', '/api/auth/logout', { token: third.access_token })).status,
    ).toBe(204);
    await expectUnauthorizedSoon(third.access_token, other);
    expect(
      (
        await harness.request('POST', '/api/auth/refresh', {
          body: { refresh_token: third.refresh_token },
        })
      ).status,
    ).toBe(401);

    const survivor = await loginTokens(email, password);
    expect(
      (await harness.request('POST', '/api/auth/password/forgot', { body: { email } })).status,
    ).toBe(202);
    const resetToken = tokenFromMail(await harness.mail.waitFor(email, /reset/i));
    harness.secrets.add(resetToken);
    const newPassword = strongPassword();
    harness.secrets.add(newPassword);
    const reset = await harness.request('POST', '/api/auth/password/reset', {
      body: { token: resetToken, new_password: newPassword },
    });
    expect(reset.status).toBe(204);
    expect(
      (
        await harness.request('POST', '/api/auth/password/reset', {
          body: { token: resetToken, new_password: strongPassword() },
        })
      ).status,
    ).toBe(400);
    await expectUnauthorizedSoon(survivor.access_token, other);
    expect(
      (await harness.request('POST', '/api/auth/login', { body: { email, password } })).status,
    ).toBe(401);

    const current = await loginTokens(email, newPassword);
    const elsewhere = await loginTokens(email, newPassword);
    const changedPassword = strongPassword();
    harness.secrets.add(changedPassword);
    const changed = await harness.request('POST', '/api/auth/password/change', {
      token: current.access_token,
      body: { current_password: newPassword, new_password: changedPassword },
    });
    expect(changed.status).toBe(204);
    await expectUnauthorizedSoon(elsewhere.access_token, other);
    expect(
      (await other.request('GET', '/api/profile', { token: current.access_token })).status,
    ).toBe(200);
    expect(
      (
        await harness.request('POST', '/api/auth/refresh', {
          body: { refresh_token: current.refresh_token },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await harness.request('POST', '/api/auth/login', {
          body: { email, password: changedPassword },
        })
      ).status,
    ).toBe(200);
  });

  it('should have written no password, token or code to the log', async () => {
    await harness.flushMail();

    expect(harness.leakedSecrets()).toEqual([]);
    expect(harness.logs.lines().length).toBeGreaterThan(10);
  });

  async function loginTokens(email: string, password: string) {
    const response = await harness.request('POST', '/api/auth/login', {
      body: { email, password },
    });
    expect(response.status).toBe(200);
    harness.secrets.add(response.body.access_token).add(response.body.refresh_token);
    return response.body as { access_token: string; refresh_token: string };
  }

  /** Revocations reach other instances through Redis pub/sub within a second. */
  async function expectUnauthorizedSoon(token: string, instance = harness.main) {
    const deadline = Date.now() + 2_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await instance.request('GET', '/api/profile', { token })).status;
      if (status === 401) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(401);
  }
});
