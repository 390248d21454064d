import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { createSecureApp, SECURITY_OPTIONS } from '@msmebazaar/security';

import { createTestDatabase, type TestDatabase } from '../../../../test/support/postgres';
import {
  deleteKeys,
  freePort,
  TEST_REDIS_URL,
  testKeyPrefix,
} from '../../../../test/support/redis';
import { AppModule } from '../../src/app/app.module';
import { authSecurityOptions } from '../../src/config/security.config';
import { MailService } from '../../src/mail/mail.service';
import { SMS_SENDER, type SmsSender } from '../../src/sms/sms-sender.interface';
import { LogCapture } from './log-capture';
import { MailSink } from './mail-sink';

/** An answer as tests look at it. */
export interface TestResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers field by field
  body: any;
}

/** Options of one request. */
export interface RequestOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  /** Send the body as is (a string), for malformed-body tests. */
  rawBody?: string;
}

/** SMS captured instead of sent. */
export class CapturedSms implements SmsSender {
  /** Tests may turn the provider off to play production without one. */
  configured = true;
  readonly messages: { to: string; text: string }[] = [];

  async send(to: string, text: string): Promise<void> {
    this.messages.push({ to, text });
  }

  lastCodeFor(to: string): string {
    const message = [...this.messages].reverse().find((candidate) => candidate.to === to);
    const code = message && /code is (\d{6})/.exec(message.text)?.[1];
    if (!code) throw new Error(`no SMS code for ${to}`);
    return code;
  }
}

/** One running auth-service instance. */
export interface AuthInstance {
  app: INestApplication;
  url: string;
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

/** Request rate limits high enough that functional tests never meet them. */
const RELAXED_LIMITS = {
  RATE_LIMIT_AUTH: '100000/300',
  RATE_LIMIT_OTP: '100000/300',
  RATE_LIMIT_API: '100000/60',
};

/**
 * auth-service in this process on a real port, with its own database, Redis key prefix,
 * SMTP sink, signing-key directory and captured logs. Every password, token and code a
 * test handles should be added to `secrets`, and `assertNoSecretsLogged()` checks none of
 * them reached the log.
 */
export class AuthHarness {
  readonly secrets = new Set<string>();
  readonly codes = new Set<string>();
  readonly sms = new CapturedSms();
  readonly instances: AuthInstance[] = [];
  private savedEnv: NodeJS.ProcessEnv = {};

  private constructor(
    readonly database: TestDatabase,
    readonly redisKeyPrefix: string,
    readonly mail: MailSink,
    readonly logs: LogCapture,
    readonly keysDir: string,
    readonly port: number,
  ) {}

  static async start(label: string, env: Record<string, string> = {}): Promise<AuthHarness> {
    const logs = new LogCapture();
    const harness = new AuthHarness(
      await createTestDatabase(label),
      testKeyPrefix(label),
      await MailSink.start(),
      logs,
      mkdtempSync(join(tmpdir(), 'auth-keys-')),
      await freePort(),
    );
    harness.applyEnv(env);
    await harness.startInstance(harness.port);
    return harness;
  }

  /** The first instance. */
  get main(): AuthInstance {
    return this.instances[0];
  }

  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse> {
    return this.main.request(method, path, options);
  }

  /** Starts another instance on the same database, Redis prefix and keys. */
  async startInstance(port?: number): Promise<AuthInstance> {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(SMS_SENDER)
      .useValue(this.sms)
      .overrideProvider(SECURITY_OPTIONS)
      .useFactory({ factory: () => ({ ...authSecurityOptions(), logStream: this.logs.stream }) })
      .compile();
    const app = await createSecureApp(moduleRef);
    const listenPort = port ?? (await freePort());
    await app.listen(listenPort, '127.0.0.1');
    const url = `http://127.0.0.1:${listenPort}`;
    const instance: AuthInstance = {
      app,
      url,
      request: (method, path, options) => send(url, method, path, options),
      close: async () => {
        await app.get(MailService).flush();
        await app.close();
      },
    };
    this.instances.push(instance);
    return instance;
  }

  /** The last SMS code sent to `phone`, once deferred sends have run. */
  async smsCode(phone: string): Promise<string> {
    await this.flushMail();
    return this.sms.lastCodeFor(phone);
  }

  /** Waits for the mails handed to the sender so far. */
  async flushMail(): Promise<void> {
    for (const instance of this.instances) await instance.app.get(MailService).flush();
  }

  /** Runs a query on the test's database through the app's data source. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows are read field by field
  query<T = any>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.main.app.get(DataSource).query(sql, parameters);
  }

  /** The captured log output contains none of the recorded secrets. */
  leakedSecrets(): string[] {
    const text = this.logs.text;
    const leaked = this.logs.leaked(this.secrets);
    for (const code of this.codes) {
      if (new RegExp(`(?<![0-9])${code}(?![0-9])`).test(text)) leaked.push(code);
    }
    return leaked;
  }

  /**
   * Stops everything and fails when any recorded secret reached the log, so every test
   * file checks its own log output.
   */
  async close(): Promise<void> {
    for (const instance of this.instances.splice(0)) await instance.close();
    const leaked = this.leakedSecrets();
    await this.mail.close();
    process.env = this.savedEnv;
    await deleteKeys(this.redisKeyPrefix);
    await this.database.drop();
    rmSync(this.keysDir, { recursive: true, force: true });
    if (leaked.length > 0) throw new Error(`${leaked.length} secret(s) appeared in the log`);
  }

  private applyEnv(env: Record<string, string>): void {
    this.savedEnv = { ...process.env };
    Object.assign(process.env, {
      ENVIRONMENT: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: this.database.url,
      DB_MIGRATE_ON_START: 'true',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: this.redisKeyPrefix,
      SMTP_URL: this.mail.url,
      SECRET_KEY: 'test-secret-key-that-is-long-enough-0123456789',
      SIGNING_KEYS_DIR: this.keysDir,
      JWKS_URL: `http://127.0.0.1:${this.port}/.well-known/jwks.json`,
      PUBLIC_BASE_URL: 'https://app.msmebazaar.test',
      DOCS_ENABLED: 'false',
      // The shared 2-core test machine can stall a 100 ms Redis command while argon2 runs.
      REDIS_COMMAND_TIMEOUT_MS: '2000',
      ...RELAXED_LIMITS,
      ...env,
    });
  }
}

async function send(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** A password that passes the policy, unique per call. */
export function strongPassword(): string {
  return `Tangerine-Violin-${Math.random().toString(36).slice(2, 10)}!`;
}

/** A unique email under the test domain. */
export function uniqueEmail(label = 'user'): string {
  return `${label}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}@example.com`;
}
