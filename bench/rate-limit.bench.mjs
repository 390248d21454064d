// Rate-limit decisions per second at concurrency 50, per algorithm, on one hot key and on
// 10,000 keys, beside rate-limiter-flexible's RateLimiterRedis (same Redis, same limits)
// and a raw EVALSHA of a trivial script (the round-trip ceiling), plus Redis memory per
// tracked key. Run: `node bench/rate-limit.bench.mjs` (REDIS_URL, BENCH_SECONDS optional).
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// The storages are TypeScript; swc-node compiles them on load so the bench runs the real code.
require('@swc-node/register');
const Redis = require('ioredis');
const { RateLimiterRedis } = require('rate-limiter-flexible');
const storages = require('../libs/security/src/rate-limit/redis-rate-limit.storage.ts');

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 3);
const CONCURRENCY = 50;
const LIMIT = 100;
const WINDOW_MS = 60_000;
const SPREAD_KEYS = 10_000;

/** Runs `decide(key)` from CONCURRENCY loops for SECONDS; answers rate, admitted share, latency. */
async function measure(decide, keyFor) {
  const latenciesMs = [];
  let admitted = 0;
  let sequence = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const key = keyFor((sequence += 1));
      const started = performance.now();
      if (await decide(key)) admitted += 1;
      latenciesMs.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  const elapsedSeconds = (performance.now() - started) / 1000;
  latenciesMs.sort((a, b) => a - b);
  const at = (share) =>
    latenciesMs[Math.min(latenciesMs.length - 1, Math.floor(latenciesMs.length * share))];
  return {
    perSecond: Math.round(latenciesMs.length / elapsedSeconds),
    admittedShare: admitted / latenciesMs.length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}

function median(results) {
  const sorted = [...results].sort((a, b) => a.perSecond - b.perSecond);
  return sorted[Math.floor(sorted.length / 2)];
}

async function memoryPerKey(inspector, fullKey) {
  return inspector.call('MEMORY', 'USAGE', fullKey, 'SAMPLES', '0');
}

export async function runRateLimitBench() {
  const prefix = `bench:rl:${randomBytes(4).toString('hex')}:`;
  const redis = new Redis(REDIS_URL, { keyPrefix: prefix });
  const inspector = new Redis(REDIS_URL);
  redis.defineCommand('benchTrivial', { numberOfKeys: 1, lua: 'return 1' });
  const ours = {
    'fixed-window': new storages.RedisFixedWindowStorage(redis),
    'sliding-window': new storages.RedisSlidingWindowStorage(redis),
    'token-bucket': new storages.RedisTokenBucketStorage(redis),
  };
  const flexible = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: 'rlflx',
    points: LIMIT,
    duration: WINDOW_MS / 1000,
  });
  const contenders = [
    ...Object.entries(ours).map(([name, storage]) => [
      name,
      async (key) => (await storage.consume([key], LIMIT, WINDOW_MS)).admitted,
      (key) => `${prefix}${key}`,
    ]),
    [
      'rate-limiter-flexible',
      (key) =>
        flexible.consume(key).then(
          () => true,
          (refusal) => {
            if (refusal instanceof Error) throw refusal;
            return false;
          },
        ),
      (key) => `${prefix}rlflx:${key}`,
    ],
    ['raw EVALSHA (return 1)', async (key) => (await redis.benchTrivial(key)) === 1, undefined],
  ];

  const rows = [];
  const runs = new Map(contenders.map(([name]) => [name, { hot: [], spread: [] }]));
  try {
    for (const [name, decide] of contenders)
      await measure(decide, (n) => `{warm:${name}:${n % 100}}`);
    // Round-robin repetitions, each contender in a rotated order, and the median of each:
    // a shared machine's noise then hits every contender alike.
    for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
      const order = contenders.map(
        (_entry, index) => contenders[(index + repetition) % contenders.length],
      );
      for (const [name, decide] of order) {
        runs.get(name).hot.push(await measure(decide, () => `{hot:${name}}`));
        runs
          .get(name)
          .spread.push(await measure(decide, (n) => `{spread:${name}:${n % SPREAD_KEYS}}`));
      }
    }
    for (const [name, decide, fullKeyOf] of contenders) {
      let bytesOneHit = '';
      let bytesFull = '';
      if (fullKeyOf) {
        await decide(`{mem1:${name}}`);
        for (let i = 0; i < LIMIT; i += 1) await decide(`{memfull:${name}}`);
        bytesOneHit = await memoryPerKey(inspector, fullKeyOf(`{mem1:${name}}`));
        bytesFull = await memoryPerKey(inspector, fullKeyOf(`{memfull:${name}}`));
      }
      const { hot, spread } = runs.get(name);
      rows.push({ name, hot: median(hot), spread: median(spread), bytesOneHit, bytesFull });
    }
  } finally {
    let cursor = '0';
    do {
      const [next, keys] = await inspector.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await inspector.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
    inspector.disconnect();
  }
  printTable(rows);
  return rows;
}

function printTable(rows) {
  const ceiling = rows.find((row) => row.name.startsWith('raw'));
  const flexible = rows.find((row) => row.name === 'rate-limiter-flexible');
  const header = [
    'contender',
    'hot key/s',
    'hot admitted',
    'hot p99 ms',
    '10k keys/s',
    '10k p99 ms',
    'vs flexible (hot/10k)',
    'vs raw (hot/10k)',
    'bytes/key 1 hit',
    `bytes/key ${LIMIT} hits`,
  ];
  const ratio = (a, b) => `${Math.round((a / b) * 100)}%`;
  const lines = rows.map((row) => [
    row.name,
    String(row.hot.perSecond),
    `${Math.round(row.hot.admittedShare * 1000) / 10}%`,
    row.hot.p99Ms.toFixed(2),
    String(row.spread.perSecond),
    row.spread.p99Ms.toFixed(2),
    `${ratio(row.hot.perSecond, flexible.hot.perSecond)} / ${ratio(row.spread.perSecond, flexible.spread.perSecond)}`,
    `${ratio(row.hot.perSecond, ceiling.hot.perSecond)} / ${ratio(row.spread.perSecond, ceiling.spread.perSecond)}`,
    String(row.bytesOneHit),
    String(row.bytesFull),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column].length)),
  );
  const format = (cells) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  const output = [
    `Rate-limit decisions, concurrency ${CONCURRENCY}, limit ${LIMIT}/${WINDOW_MS / 1000} s, median of ${REPETITIONS} runs of ${SECONDS} s, ${REDIS_URL}`,
    format(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...lines.map(format),
  ];
  process.stdout.write(`${output.join('\n')}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runRateLimitBench();
}
