/**
 * Creates the first admin of auth-service (or any later one).
 *
 *   npm run create-admin -- --email admin@example.com [--full-name "Asha Rao"]
 *
 * The password comes from ADMIN_PASSWORD or standard input (prompted without echo on a
 * terminal, else the first line), never from the command line, where it would end up
 * in the shell history and the process list. The database is the service's
 * (DATABASE_URL); pending migrations are applied first.
 * Exit status: 0 created, 1 refused (weak password, email taken), 2 usage or connection error.
 */
import { parseArgs } from 'node:util';

import { authDataSource } from '../../apps/auth-service/src/database/data-source';
import { PasswordHasher } from '../../apps/auth-service/src/crypto/password-hasher.service';
import { passwordProblem } from '../../apps/auth-service/src/passwords/password-policy.decorator';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    let value = '';
    process.stdout.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stdout.write('\n');
          resolve(value);
          return;
        }
        if (char === '\u0003') process.exit(2);
        value = char === '\u007f' ? value.slice(0, -1) : value + char;
      }
    };
    stdin.on('data', onData);
  });
}

async function readFirstLine(): Promise<string> {
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  return input.split(/\r?\n/)[0] ?? '';
}

async function readPassword(): Promise<string> {
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  if (!process.stdin.isTTY) return readFirstLine();
  const first = await readHidden('Password: ');
  const again = await readHidden('Repeat password: ');
  if (first !== again) fail(1, 'the passwords differ');
  return first;
}

function fail(status: number, message: string): never {
  process.stderr.write(`create-admin: ${message}\n`);
  process.exit(status);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { email: { type: 'string' }, 'full-name': { type: 'string' } },
  });
  const email = values.email?.trim().toLowerCase();
  if (!email || !EMAIL_PATTERN.test(email))
    fail(2, 'usage: --email <address> [--full-name <name>]');
  const fullName = values['full-name']?.trim() || 'Administrator';

  const password = await readPassword();
  const problem = passwordProblem(password, email);
  if (problem) fail(1, `password ${problem}`);
  const passwordHash = await new PasswordHasher().hash(password);

  await authDataSource.initialize();
  try {
    await authDataSource.runMigrations({ transaction: 'each' });
    const rows: { id: string }[] = await authDataSource.query(
      `INSERT INTO users (email, password_hash, full_name, user_type, roles, is_verified)
       VALUES ($1, $2, $3, 'admin', ARRAY['admin'], true)
       ON CONFLICT ((lower(email))) DO NOTHING RETURNING id`,
      [email, passwordHash, fullName],
    );
    if (rows.length === 0) fail(1, `an account with ${email} already exists`);
    process.stdout.write(`admin created: ${email} (id ${rows[0].id})\n`);
  } finally {
    await authDataSource.destroy();
  }
}

main().catch((error: unknown) => fail(2, error instanceof Error ? error.message : String(error)));
