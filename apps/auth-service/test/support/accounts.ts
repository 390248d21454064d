import { PasswordHasher } from '../../src/crypto/password-hasher.service';
import { UsersService } from '../../src/users/users.service';
import { strongPassword, uniqueEmail, type AuthHarness } from './auth-harness';

/** An account a test can log in with. */
export interface TestAccount {
  id: string;
  email: string;
  password: string;
}

/** Creates an account straight in the database (verified unless told otherwise). */
export async function createAccount(
  harness: AuthHarness,
  options: { roles?: string[]; verified?: boolean; email?: string; phone?: string } = {},
): Promise<TestAccount> {
  const email = options.email ?? uniqueEmail();
  const password = strongPassword();
  harness.secrets.add(password);
  const roles = options.roles ?? ['msme_owner'];
  const user = await harness.main.app.get(UsersService).createIfAbsent({
    email,
    passwordHash: await harness.main.app.get(PasswordHasher).hash(password),
    fullName: 'Test Person',
    userType: roles.includes('admin') ? 'admin' : roles[0],
    roles,
    phone: options.phone,
    isVerified: options.verified ?? true,
  });
  if (!user) throw new Error(`account ${email} exists already`);
  return { id: user.id, email, password };
}

/** Logs in and records the tokens as secrets. */
export async function login(harness: AuthHarness, account: TestAccount) {
  const response = await harness.request('POST', '/api/auth/login', {
    body: { email: account.email, password: account.password },
  });
  if (response.status !== 200) throw new Error(`login failed with ${response.status}`);
  harness.secrets.add(response.body.access_token);
  harness.secrets.add(response.body.refresh_token);
  return response.body as { access_token: string; refresh_token: string; expires_in: number };
}
