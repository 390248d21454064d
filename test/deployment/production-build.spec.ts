import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { createTestDatabase } from '../support/postgres';
import type { TestDatabase } from '../support/postgres';
import { deleteKeys, freePort, TEST_REDIS_URL, testKeyPrefix } from '../support/redis';
import { repositoryPath } from './support/repository';

const run = promisify(execFile);

/** Generous bounds for an install and a cold start on a shared two-core machine. */
const INSTALL_TIMEOUT_MS = 300_000;
const START_TIMEOUT_MS = 60_000;

interface App {
  name: string;
  env: () => Promise<Record<string, string>>;
}

/** What each service needs beyond the shared settings to start in production. */
const APPS: App[] = [
  { name: 'msme-service', env: async () => ({}) },
  {
    name: 'valuation-service',
    env: async () => ({ MSME_SERVICE_URL: `http://127.0.0.1:${await freePort()}` }),
  },
  {
    name: 'auth-service',
    env: async () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      return {
        // Not contacted at start: the transport connects when the first mail goes out.
        SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
        SIGNING_KEY_PEM: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      };
    },
  },
];

/** Waits until GET `url` answers, or the process ends; the Jest hook timeout bounds it. */
async function waitForAnswer(url: string, child: ChildProcess): Promise<void> {
  // A process killed by a signal (a crash) has a signalCode and no exitCode.
  while (child.exitCode === null && child.signalCode === null) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`the service ended (${child.exitCode ?? child.signalCode}) before answering`);
}

describe.each(APPS)('production build of $name', (app) => {
  const dist = repositoryPath('dist/apps', app.name);
  const built = existsSync(join(dist, 'main.js')) && existsSync(join(dist, 'package.json'));
  // The build runs before the tests in CI (`npm run build`); a workspace never built has
  // nothing to start.
  const describeBuilt = built ? describe : describe.skip;

  describeBuilt('started with node and production dependencies only', () => {
    let folder: string;
    let database: TestDatabase;
    let keyPrefix: string;
    let child: ChildProcess;
    let baseUrl: string;
    const output: string[] = [];
    let exited: Promise<number | null>;

    beforeAll(async () => {
      folder = mkdtempSync(join(tmpdir(), `msb-${app.name}-`));
      for (const file of readdirSync(dist)) copyFileSync(join(dist, file), join(folder, file));
      // The image's production-dependencies stage, on the lock file the build generated.
      const npmOptions = {
        cwd: folder,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          npm_config_update_notifier: 'false',
        },
      };
      await run(
        'npm',
        ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'],
        npmOptions,
      );
      await run('npm', ['rebuild', 'argon2'], npmOptions);

      database = await createTestDatabase(`prod_${app.name}`);
      keyPrefix = testKeyPrefix(`prod_${app.name}`);
      const port = await freePort();
      baseUrl = `http://127.0.0.1:${port}`;
      child = spawn(process.execPath, ['main.js'], {
        cwd: folder,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH,
          ENVIRONMENT: 'production',
          SERVICE_NAME: app.name,
          PORT: String(port),
          DATABASE_URL: database.url,
          DB_MIGRATE_ON_START: 'true',
          REDIS_URL: TEST_REDIS_URL,
          REDIS_KEY_PREFIX: keyPrefix,
          SECRET_KEY: randomBytes(48).toString('base64url'),
          JWKS_URL: `http://127.0.0.1:${await freePort()}/.well-known/jwks.json`,
          SHUTDOWN_DRAIN_MS: '10000',
          ...(await app.env()),
        },
      });
      exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      for (const stream of [child.stdout, child.stderr]) {
        stream
          ?.setEncoding('utf8')
          .on('data', (chunk: string) => output.push(...chunk.split('\n').filter(Boolean)));
      }
      await waitForAnswer(`${baseUrl}/health/live`, child).catch((error: Error) => {
        throw new Error(`${error.message}\n${output.join('\n')}`);
      });
    }, INSTALL_TIMEOUT_MS + START_TIMEOUT_MS);

    afterAll(async () => {
      if (child && child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      await database?.drop();
      if (keyPrefix) await deleteKeys(keyPrefix);
      if (folder) rmSync(folder, { recursive: true, force: true });
    });

    it('should install only the dependencies the build lists, none of the tooling', () => {
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      const installed = readdirSync(join(folder, 'node_modules'));

      expect(manifest.devDependencies).toBeUndefined();
      expect(installed).toEqual(expect.arrayContaining(['@nestjs', 'typeorm', 'pg']));
      expect(
        installed.filter((name) =>
          ['jest', 'typescript', 'nx', '@nx', 'webpack', 'eslint'].includes(name),
        ),
      ).toEqual([]);
    });

    it('should be live and ready against the real Postgres and Redis', async () => {
      const live = await fetch(`${baseUrl}/health/live`);
      const ready = await fetch(`${baseUrl}/health/ready`);

      expect(live.status).toBe(200);
      expect(ready.status).toBe(200);
    });

    it('should log JSON lines that name the service', () => {
      const lines = output.map((line) => JSON.parse(line) as { service?: string });

      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((line) => line.service !== app.name)).toEqual([]);
    });

    it(
      'should exit 0 on SIGTERM',
      async () => {
        child.kill('SIGTERM');

        await expect(exited).resolves.toBe(0);
      },
      START_TIMEOUT_MS,
    );
  });
});
