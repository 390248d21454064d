// auth-service: password logins per second and p99 at concurrency 16 (argon2id-bound),
// refresh rotations per second at the same concurrency, and how fast a second service
// verifies an ES256 access token against the JWKS (keys fetched once, then cached).
// UV_THREADPOOL_SIZE is the thread pool argon2 runs on; BENCH_THREADPOOL lists the sizes
// to compare (default "2,4": the core count of this machine and Node's default).
// Run: `npm run bench -- auth` or `node bench/auth.bench.mjs`.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';

import { createRemoteJWKSet, jwtVerify } from 'jose';
import pg from 'pg';

import { printTable, startServer, stopServer } from './support/load.mjs';
import { POSTGRES_URL, REDIS_URL, deleteKeys, withAdmin } from './support/stores.mjs';

const SERVER = 'bench/auth-bench.server.ts';
const CONCURRENCY = 16;
const DURATION_MS = Number(process.env.BENCH_DURATION_S ?? 5) * 1000;
const THREADPOOL_SIZES = (process.env.BENCH_THREADPOOL ?? '2,4').split(',').map(Number);
const PASSWORD = 'Bench-Tangerine-Violin-42';

function freePort() {
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

function percentile(sorted, share) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))];
}

/** Runs `step(state)` from `CONCURRENCY` workers for the duration; counts and times each. */
async function closedLoop(initialStates, step) {
  const latencies = [];
  let failures = 0;
  const deadline = Date.now() + DURATION_MS;
  const started = Date.now();
  await Promise.all(
    initialStates.map(async (initial) => {
      let state = initial;
      while (Date.now() < deadline) {
        const begin = performance.now();
        try {
          state = await step(state);
          latencies.push(performance.now() - begin);
        } catch {
          failures += 1;
        }
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    per_s: Math.round(latencies.length / seconds),
    p50_ms: percentile(latencies, 0.5)?.toFixed(1),
    p99_ms: percentile(latencies, 0.99)?.toFixed(1),
    failures,
  };
}

async function post(base, path, body) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`${path} answered ${response.status}`);
  return response.json();
}

async function benchOne(threadpoolSize) {
  const name = `bench_auth_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const databaseUrl = new URL(POSTGRES_URL);
  databaseUrl.pathname = `/${name}`;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer(SERVER, [], {
    UV_THREADPOOL_SIZE: String(threadpoolSize),
    ENVIRONMENT: 'test',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL,
    REDIS_KEY_PREFIX: `${name}:`,
    SIGNING_KEYS_DIR: `tmp/${name}-keys`,
    JWKS_URL: `${base}/.well-known/jwks.json`,
    DOCS_ENABLED: 'false',
    RATE_LIMIT_AUTH: '100000000/300',
    RATE_LIMIT_API: '100000000/60',
  });
  try {
    const email = `bench-${name}@example.com`;
    await post(base, '/api/auth/register', {
      email,
      password: PASSWORD,
      full_name: 'Bench',
      user_type: 'msme_owner',
    });
    await withAdmin(async () => {
      const client = new pg.Client({ connectionString: databaseUrl.toString() });
      await client.connect();
      await client.query('UPDATE users SET is_verified = true WHERE email = $1', [email]);
      await client.end();
    });

    const logins = await closedLoop(Array(CONCURRENCY).fill(null), () =>
      post(base, '/api/auth/login', { email, password: PASSWORD }),
    );
    const pairs = await Promise.all(
      Array.from({ length: CONCURRENCY }, () =>
        post(base, '/api/auth/login', { email, password: PASSWORD }),
      ),
    );
    const refreshes = await closedLoop(pairs, (pair) =>
      post(base, '/api/auth/refresh', { refresh_token: pair.refresh_token }),
    );
    const keySet = createRemoteJWKSet(new URL(`${base}/.well-known/jwks.json`));
    const token = pairs[0].access_token;
    const verifications = await closedLoop(Array(CONCURRENCY).fill(null), () =>
      jwtVerify(token, keySet, {
        algorithms: ['ES256'],
        issuer: 'msmebazaar.com',
        audience: 'msmebazaar-api',
      }),
    );
    return [
      { measure: 'login (argon2id m=19 MiB t=2)', uv_threadpool: threadpoolSize, ...logins },
      { measure: 'refresh rotation', uv_threadpool: threadpoolSize, ...refreshes },
      {
        measure: 'ES256 verify via JWKS (consumer)',
        uv_threadpool: threadpoolSize,
        ...verifications,
      },
    ];
  } finally {
    await stopServer(server);
    await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    await deleteKeys(`${name}:`);
    rmSync(`tmp/${name}-keys`, { recursive: true, force: true });
  }
}

export async function runAuthBench() {
  const rows = [];
  for (const size of THREADPOOL_SIZES) rows.push(...(await benchOne(size)));
  printTable(`auth-service at concurrency ${CONCURRENCY}, ${DURATION_MS / 1000} s each`, rows);
}

if (import.meta.url === `file://${process.argv[1]}`) await runAuthBench();
