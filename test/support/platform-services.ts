import { Writable } from 'node:stream';

import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import {
  createSecureApp,
  RevocationService,
  SecurityModule,
  securityOptionsFromEnv,
} from '@msmebazaar/security';

import { AppModule as MsmeAppModule } from '../../apps/msme-service/src/app/app.module';
import { msmeServiceConfigFromEnv } from '../../apps/msme-service/src/config/msme-service.config';
import { AppModule as ValuationAppModule } from '../../apps/valuation-service/src/app/app.module';
import { valuationServiceConfigFromEnv } from '../../apps/valuation-service/src/config/valuation-service.config';
import { createTestDatabase, type TestDatabase } from './postgres';
import { deleteKeys, freePort, TEST_REDIS_URL } from './redis';

type Env = Record<string, string | undefined>;

/** What the services of one test share: the token issuer's JWKS and the Redis key prefix. */
export interface SharedTestSettings {
  jwksUrl: string;
  redisKeyPrefix: string;
}

type ServiceKind = 'msme' | 'valuation';

/**
 * msme-service or valuation-service running in this process on a real port, with a
 * database of its own, the shared Redis, and tokens verified against the test issuer.
 * It can be stopped and resumed on the same port and database to play an outage.
 */
export class ServiceUnderTest {
  private app?: INestApplication;
  private readonly logChunks: string[] = [];
  /** Where the service's log lines go (nothing at the default level `silent`). */
  private readonly logStream = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      this.logChunks.push(chunk.toString('utf8'));
      done();
    },
  });

  private constructor(
    private readonly kind: ServiceKind,
    private readonly env: Env,
    readonly port: number,
    readonly database: TestDatabase,
  ) {}

  static async start(
    kind: ServiceKind,
    shared: SharedTestSettings,
    env: Env = {},
  ): Promise<ServiceUnderTest> {
    const database = await createTestDatabase(`${kind}_service`);
    const port = await freePort();
    const service = new ServiceUnderTest(
      kind,
      {
        ENVIRONMENT: 'test',
        LOG_LEVEL: 'silent',
        SERVICE_VERSION: 'test',
        DOCS_ENABLED: 'true',
        JWKS_URL: shared.jwksUrl,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: shared.redisKeyPrefix,
        DATABASE_URL: database.url,
        DB_MIGRATE_ON_START: 'true',
        DB_POOL_SIZE: '4',
        // The shared 2-core test machine can stall a Redis command past the 100 ms default.
        REDIS_COMMAND_TIMEOUT_MS: '2000',
        ...env,
      },
      port,
      database,
    );
    await service.resume();
    return service;
  }

  /** The running application; fails while stopped. */
  get application(): INestApplication {
    if (!this.app) throw new Error(`${this.kind}-service is stopped`);
    return this.app;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts (again) on the same port and database. */
  async resume(): Promise<void> {
    const root = this.kind === 'msme' ? this.msmeModule() : this.valuationModule();
    const moduleRef = await Test.createTestingModule({ imports: [root] }).compile();
    this.app = await createSecureApp(moduleRef);
    await this.app.listen(this.port, '127.0.0.1');
  }

  /** The JSON lines the service has logged (start it with `LOG_LEVEL` to have any). */
  logLines(): Record<string, unknown>[] {
    return this.logText()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  logText(): string {
    return this.logChunks.join('');
  }

  /** Stops answering: the port refuses connections until {@link resume}. */
  async stop(): Promise<void> {
    await this.app?.close();
    this.app = undefined;
  }

  async destroy(): Promise<void> {
    await this.stop();
    await this.database.drop();
  }

  private msmeModule() {
    const config = msmeServiceConfigFromEnv(this.env);
    return MsmeAppModule.register({
      ...config,
      security: { ...config.security, logStream: this.logStream },
    });
  }

  private valuationModule() {
    const config = valuationServiceConfigFromEnv(this.env);
    return ValuationAppModule.register({
      ...config,
      security: { ...config.security, logStream: this.logStream },
    });
  }
}

/**
 * The write side of revocation, as auth-service holds it, in a module of its own: what it
 * revokes must reach the services under test through Redis alone.
 */
export class TestRevoker {
  private constructor(
    private readonly close: () => Promise<void>,
    readonly revocation: RevocationService,
  ) {}

  static async start(shared: SharedTestSettings): Promise<TestRevoker> {
    const options = securityOptionsFromEnv({
      SERVICE_NAME: 'auth-service',
      ENVIRONMENT: 'test',
      LOG_LEVEL: 'silent',
      JWKS_URL: shared.jwksUrl,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: shared.redisKeyPrefix,
      REDIS_COMMAND_TIMEOUT_MS: '2000',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [SecurityModule.forRoot(options)],
    }).compile();
    await moduleRef.init();
    return new TestRevoker(() => moduleRef.close(), moduleRef.get(RevocationService));
  }

  stop(): Promise<void> {
    return this.close();
  }
}

/** Deletes what the services wrote under the shared prefix. */
export function deleteSharedKeys(shared: SharedTestSettings): Promise<void> {
  return deleteKeys(shared.redisKeyPrefix);
}
