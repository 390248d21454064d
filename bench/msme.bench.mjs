// GET /api/msme/:msme_id end to end (token verification, revocation check, rate limit,
// permission and ownership checks, database read, data-access event) against the same
// route, entity and database read with no security module, in the same run; then
// valuation create, whose call to msme-service dominates, for its p50 and p99.
// Run: `npm run bench -- msme` or `node bench/msme.bench.mjs`.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

import { SignJWT, exportJWK, generateKeyPair } from 'jose';

import { load, median, printTable, startServer, stopServer } from './support/load.mjs';
import { POSTGRES_URL, REDIS_URL, deleteKeys, withAdmin } from './support/stores.mjs';

const SERVER = 'bench/msme-bench.server.ts';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const READ_CONNECTIONS = 50;
const VALUATION_CONNECTIONS = 10;
const TARGET_SHARE = 0.6;

/** An ES256 key and a JWKS server standing in for auth-service. */
async function startIssuer() {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const sign = (userId, roles, permissions) =>
    new SignJWT({
      email: `${userId}@bench.test`,
      roles,
      permissions,
      token_type: 'access',
      sid: randomUUID(),
    })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject(userId)
      .setJti(randomUUID())
      .setIssuer('msmebazaar.com')
      .setAudience('msmebazaar-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
  return {
    jwksUrl: `http://127.0.0.1:${server.address().port}/.well-known/jwks.json`,
    sign,
    close: () => server.close(),
  };
}

function databaseUrl(name) {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function createMsme(url, headers) {
  const response = await fetch(`${url}/api/msme`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: 'Bench Works',
      industry: 'Manufacturing',
      city: 'Pune',
      state: 'Maharashtra',
      annual_revenue: 45_000_000,
      employees: 42,
      year_established: 2009,
    }),
  });
  if (response.status !== 201) throw new Error(`MSME create answered ${response.status}`);
  return (await response.json()).id;
}

export async function benchMsme() {
  const tag = randomBytes(4).toString('hex');
  const databases = [`bench_msme_${tag}`, `bench_valuation_${tag}`];
  const issuer = await startIssuer();
  const env = {
    ENVIRONMENT: 'production',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    SERVICE_VERSION: 'bench',
    DOCS_ENABLED: 'false',
    JWKS_URL: issuer.jwksUrl,
    REDIS_URL,
    REDIS_KEY_PREFIX: `bench:msme:${tag}:`,
    DB_MIGRATE_ON_START: 'true',
    // The limiter runs and counts every request; the limits only sit above the load.
    RATE_LIMIT_API: '1000000000/60',
    RATE_LIMIT_VALUATION: '1000000000/1',
  };
  const servers = [];
  const samples = { unprotected: [], protected: [] };
  let valuation;
  try {
    await withAdmin(async (client) => {
      for (const name of databases) await client.query(`CREATE DATABASE "${name}"`);
    });
    const msmeEnv = { ...env, DATABASE_URL: databaseUrl(databases[0]) };
    const secured = await startServer(SERVER, [], { ...msmeEnv, BENCH_SERVER: 'msme' });
    servers.push(secured);
    const bare = await startServer(SERVER, [], { ...msmeEnv, BENCH_SERVER: 'msme-unprotected' });
    servers.push(bare);
    const securedUrl = `http://127.0.0.1:${secured.port}`;
    const valuationServer = await startServer(SERVER, [], {
      ...env,
      BENCH_SERVER: 'valuation',
      DATABASE_URL: databaseUrl(databases[1]),
      MSME_SERVICE_URL: securedUrl,
    });
    servers.push(valuationServer);

    const token = await issuer.sign(
      randomUUID(),
      ['msme_owner'],
      ['msme.read', 'msme.write', 'valuation.create'],
    );
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const msmeId = await createMsme(securedUrl, headers);
    const read = (server) =>
      load({
        url: `http://127.0.0.1:${server.port}/api/msme/${msmeId}`,
        headers,
        connections: READ_CONNECTIONS,
        duration: DURATION_S,
      });

    await read(bare);
    await read(secured);
    // Interleaved rounds, median of each: a shared machine's noise hits both alike.
    for (let round = 0; round < ROUNDS; round += 1) {
      samples.unprotected.push(await read(bare));
      samples.protected.push(await read(secured));
    }
    valuation = await load({
      url: `http://127.0.0.1:${valuationServer.port}/api/valuation`,
      method: 'POST',
      headers,
      body: JSON.stringify({ msme_id: msmeId, ebitda: 6_500_000, growth_rate: 12.5 }),
      connections: VALUATION_CONNECTIONS,
      duration: DURATION_S,
    });
  } finally {
    await Promise.all(servers.map(stopServer));
    issuer.close();
    await withAdmin(async (client) => {
      for (const name of databases)
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    });
    await deleteKeys(env.REDIS_KEY_PREFIX);
  }

  const rps = (name) => median(samples[name].map((sample) => sample.rps));
  const p = (name, key) => median(samples[name].map((sample) => sample[key]));
  const share = rps('protected') / rps('unprotected');
  printTable(
    `msme-service and valuation-service end to end (reads: median of ${ROUNDS} interleaved rounds of ${DURATION_S} s)`,
    [
      ['GET /api/msme/:msme_id, no security module', 'unprotected', READ_CONNECTIONS],
      ['GET /api/msme/:msme_id, security module', 'protected', READ_CONNECTIONS],
    ]
      .map(([route, name, connections]) => ({
        route,
        connections,
        'req/s': Math.round(rps(name)),
        'p50 ms': p(name, 'p50'),
        'p99 ms': p(name, 'p99'),
        'vs unprotected': (rps(name) / rps('unprotected')).toFixed(2),
      }))
      .concat({
        route: 'POST /api/valuation (calls msme-service)',
        connections: VALUATION_CONNECTIONS,
        'req/s': Math.round(valuation.rps),
        'p50 ms': valuation.p50,
        'p99 ms': valuation.p99,
        'vs unprotected': '',
      }),
  );
  process.stdout.write(
    `protected / unprotected = ${share.toFixed(2)} (target >= ${TARGET_SHARE.toFixed(2)})\n`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await benchMsme();
}
