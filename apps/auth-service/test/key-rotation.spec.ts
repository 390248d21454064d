import { generateSigningKeyPem, writeKeyFile } from '../src/keys/signing-key.storage';
import { createAccount, login } from './support/accounts';
import { AuthHarness } from './support/auth-harness';

function kidOf(token: string): string {
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).kid;
}

describe('auth-service signing-key rotation', () => {
  let harness: AuthHarness;

  beforeAll(async () => {
    harness = await AuthHarness.start('auth_key_rotation');
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('should sign with the new key after a restart and keep the old key published while its tokens live', async () => {
    const account = await createAccount(harness);
    const before = await login(harness, account);

    writeKeyFile(harness.keysDir, generateSigningKeyPem());
    const restarted = await harness.startInstance();
    const after = await restarted.request('POST', '/api/auth/login', {
      body: { email: account.email, password: account.password },
    });
    harness.secrets.add(after.body.access_token).add(after.body.refresh_token);

    expect(after.status).toBe(200);
    expect(kidOf(after.body.access_token)).not.toBe(kidOf(before.access_token));
    const jwks = await restarted.request('GET', '/.well-known/jwks.json');
    expect(jwks.body.keys.map((key: { kid: string }) => key.kid).sort()).toEqual(
      [kidOf(before.access_token), kidOf(after.body.access_token)].sort(),
    );
    expect(
      (await restarted.request('GET', '/api/profile', { token: before.access_token })).status,
    ).toBe(200);
    expect(
      (
        await restarted.request('POST', '/api/auth/refresh', {
          body: { refresh_token: before.refresh_token },
        })
      ).status,
    ).toBe(200);
  });

  it('should stop publishing a key once every token it signed has expired', async () => {
    await harness.query(`UPDATE signing_keys SET signed_until = now() - interval '1 second'`);

    const jwks = await harness.instances[1].request('GET', '/.well-known/jwks.json');

    expect(jwks.body.keys).toHaveLength(1);
  });
});
