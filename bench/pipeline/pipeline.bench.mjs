// The request pipeline against a bare route and against the way teams usually protect it.
import { load, median, printTable, startServer, stopServer } from '../support/load.mjs';

const TARGETS = ['bare-express', 'bare-fastify', 'typical', 'ours'];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 5);

export async function benchPipeline() {
  const servers = {};
  for (const target of TARGETS)
    servers[target] = await startServer('bench/pipeline/pipeline-server.ts', [target]);
  const samples = Object.fromEntries(TARGETS.map((target) => [target, []]));
  const request = (target, duration) => {
    const { port, token } = servers[target];
    return load({
      url: `http://127.0.0.1:${port}/api/item`,
      headers: { authorization: `Bearer ${token}` },
      duration,
    });
  };
  try {
    // Unmeasured first: the JIT, caches and connection pools settle before any round.
    for (const target of TARGETS) await request(target, WARMUP_S);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const target of TARGETS) {
        samples[target].push(await request(target, DURATION_S));
      }
    }
  } finally {
    await Promise.all(Object.values(servers).map(stopServer));
  }
  const rps = (target) => median(samples[target].map((sample) => sample.rps));
  const rows = TARGETS.map((target) => ({
    target,
    'req/s': Math.round(rps(target)),
    'p99 ms': median(samples[target].map((sample) => sample.p99)),
    'vs bare express': (rps(target) / rps('bare-express')).toFixed(2),
  }));
  printTable(
    `Request pipeline (median of ${ROUNDS} interleaved rounds of ${DURATION_S} s after ${WARMUP_S} s of warm-up, 50 connections)`,
    rows,
  );
  process.stdout.write(
    `ours / typical = ${(rps('ours') / rps('typical')).toFixed(2)} (target >= 2.00); ` +
      `ours / bare fastify = ${(rps('ours') / rps('bare-fastify')).toFixed(2)} (target >= 0.40)\n`,
  );
}
