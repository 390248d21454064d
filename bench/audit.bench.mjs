// Audited write throughput with and without the audit trail, in the same run, on the same
// database, at two levels:
// - route: POST /orders of a Fastify Nest app (validation, save of an @Audited entity), with
//   and without AuditModule (its subscriber and its sealer), driven by autocannon;
// - database: repository.save() alone from CONCURRENCY loops, the worst case, where the audit
//   row is most of the work; a sealer chains new rows every SEAL_INTERVAL_MS meanwhile.
// Target: the audited route keeps at least 70% of the plain one.
// Run: `node bench/audit.bench.mjs` (TEST_POSTGRES_URL, BENCH_SECONDS, BENCH_REPETITIONS).
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';

import { load, median, startServer, stopServer } from './support/load.mjs';

const require = createRequire(import.meta.url);
// The audit code is TypeScript with decorators; swc-node compiles it on load with the
// workspace's compiler options, so the bench runs the real code.
process.env.SWC_NODE_PROJECT ??= fileURLToPath(new URL('../tsconfig.base.json', import.meta.url));
require('@swc-node/register');
const { Client } = require('pg');
const { DataSource, EntitySchema } = require('typeorm');
const { AUDIT_ENTITIES, AUDIT_MIGRATIONS } = require('../libs/security/src/audit/audit.module.ts');
const { AuditChainService } = require('../libs/security/src/audit/audit-chain.service.ts');
const { AuditSubscriber } = require('../libs/security/src/audit/audit.subscriber.ts');
const { Audited } = require('../libs/security/src/audit/audited.decorator.ts');
const { verifyAuditChain } = require('../libs/security/src/audit/audit-chain.verifier.ts');

const SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 3);
const CONCURRENCY = 16;
const TARGET_SHARE = 0.7;
const SEAL_INTERVAL_MS = 250;
const ROUTE_CONNECTIONS = 20;

class BenchOrder {}
Audited('bench_order')(BenchOrder);
const BenchOrderSchema = new EntitySchema({
  name: 'BenchOrder',
  target: BenchOrder,
  tableName: 'bench_orders',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    name: { type: 'varchar' },
    amount: { type: 'int' },
    status: { type: 'varchar' },
  },
});

async function withServer(work) {
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Saves from CONCURRENCY loops for SECONDS; answers saves per second and p99 latency. */
async function measure(dataSource) {
  const repository = dataSource.getRepository(BenchOrder);
  const latenciesMs = [];
  const deadline = performance.now() + SECONDS * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      await repository.save({ name: 'order', amount: latenciesMs.length, status: 'new' });
      latenciesMs.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  const elapsedSeconds = (performance.now() - started) / 1000;
  latenciesMs.sort((a, b) => a - b);
  return {
    perSecond: Math.round(latenciesMs.length / elapsedSeconds),
    p99Ms: latenciesMs[Math.floor(latenciesMs.length * 0.99)],
  };
}

async function benchRoute(databaseUrl) {
  const modes = ['plain', 'audited'];
  const servers = {};
  for (const mode of modes) {
    servers[mode] = await startServer('bench/audit-bench.server.ts', [mode, databaseUrl]);
  }
  const samples = { plain: [], audited: [] };
  const body = JSON.stringify({ name: 'order', amount: 42, status: 'new' });
  try {
    for (let i = 0; i <= REPETITIONS; i += 1) {
      for (const mode of modes) {
        const sample = await load({
          url: `http://127.0.0.1:${servers[mode].port}/orders`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          connections: ROUTE_CONNECTIONS,
          duration: SECONDS,
        });
        // The first round warms both servers up and is not counted.
        if (i > 0) samples[mode].push(sample);
      }
    }
  } finally {
    await Promise.all(Object.values(servers).map(stopServer));
  }
  const row = (mode) => ({
    'requests/s': Math.round(median(samples[mode].map((sample) => sample.rps))),
    'p99 ms': median(samples[mode].map((sample) => sample.p99)),
  });
  return { plain: row('plain'), audited: row('audited') };
}

/** The audit benchmark of `npm run bench`. */
export async function benchAudit() {
  const name = `bench_audit_${randomBytes(4).toString('hex')}`;
  await withServer((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const dataSource = new DataSource({
    type: 'postgres',
    url: url.toString(),
    entities: [BenchOrderSchema, ...AUDIT_ENTITIES],
    migrations: AUDIT_MIGRATIONS,
    extra: { max: CONCURRENCY },
  });

  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    await dataSource.query(`CREATE TABLE bench_orders (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name varchar NOT NULL, amount int NOT NULL, status varchar NOT NULL)`);
    const chain = new AuditChainService('bench-hmac-key');
    const subscriber = new AuditSubscriber(chain, 'bench');
    const withSealer = async (work) => {
      const timer = setInterval(() => void chain.seal(dataSource).catch(() => 0), SEAL_INTERVAL_MS);
      try {
        return await work();
      } finally {
        clearInterval(timer);
      }
    };

    const plain = [];
    const audited = [];
    await measure(dataSource); // warm-up: connections, statement cache, JIT
    for (let i = 0; i < REPETITIONS; i += 1) {
      plain.push(await measure(dataSource));
      dataSource.subscribers.push(subscriber);
      audited.push(await withSealer(() => measure(dataSource)));
      dataSource.subscribers.splice(dataSource.subscribers.indexOf(subscriber), 1);
    }

    const route = await benchRoute(url.toString());
    const routeShare = route.audited['requests/s'] / route.plain['requests/s'];
    console.log(
      `audit: POST /orders at ${ROUTE_CONNECTIONS} connections, ${REPETITIONS}x${SECONDS}s each`,
    );
    console.table({ 'without AuditModule': route.plain, 'with AuditModule': route.audited });
    console.log(
      `audited route keeps ${(routeShare * 100).toFixed(0)}% (target ${TARGET_SHARE * 100}%)`,
    );

    const plainRate = median(plain.map((run) => run.perSecond));
    const auditedRate = median(audited.map((run) => run.perSecond));
    await chain.seal(dataSource, { wait: true });
    const report = await verifyAuditChain(dataSource, { hmacKey: 'bench-hmac-key' });
    const share = auditedRate / plainRate;
    console.log(
      `audit: repository.save() at concurrency ${CONCURRENCY}, ${REPETITIONS}x${SECONDS}s each`,
    );
    console.table({
      'without subscriber': {
        'saves/s': plainRate,
        'p99 ms': median(plain.map((r) => r.p99Ms)).toFixed(1),
      },
      'with subscriber': {
        'saves/s': auditedRate,
        'p99 ms': median(audited.map((r) => r.p99Ms)).toFixed(1),
      },
    });
    console.log(
      `audited save keeps ${(share * 100).toFixed(0)}% (no target: the worst case); ` +
        `${report.rowsChecked} audit rows sealed, chain ${report.ok ? 'valid' : 'BROKEN'}`,
    );
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await withServer((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchAudit();
