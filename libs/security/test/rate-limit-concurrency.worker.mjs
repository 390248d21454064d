// One worker process of the concurrency test: it holds its own Redis connection and, on
// each round, fires its callers at once at one key through the library's own storages.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('@swc-node/register');
const { Cluster, Redis } = require('ioredis');
const storages = require('../src/rate-limit/redis-rate-limit.storage.ts');

const connection = JSON.parse(process.argv[2]);
const redis = connection.clusterNodes
  ? new Cluster(connection.clusterNodes, { keyPrefix: connection.keyPrefix })
  : new Redis(connection.url, { keyPrefix: connection.keyPrefix });

const byAlgorithm = {
  'fixed-window': new storages.RedisFixedWindowStorage(redis),
  'sliding-window': new storages.RedisSlidingWindowStorage(redis),
  'token-bucket': new storages.RedisTokenBucketStorage(redis),
};

process.on('message', async (message) => {
  if (message.type === 'stop') {
    redis.disconnect();
    process.disconnect();
    return;
  }
  const { round, algorithm, key, limit, windowMs, callers } = message;
  const storage = byAlgorithm[algorithm];
  const decisions = await Promise.all(
    Array.from({ length: callers }, () => storage.consume([key], limit, windowMs)),
  );
  process.send({ round, admitted: decisions.filter((decision) => decision.admitted).length });
});

await redis.ping();
process.send({ type: 'ready' });
