import type { INestApplication } from '@nestjs/common';
import { Cluster } from 'ioredis';
import request from 'supertest';

import type { RateLimitStorages } from '../src/rate-limit/rate-limit-storage.interface';
import {
  RedisFixedWindowStorage,
  RedisSlidingWindowStorage,
  RedisTokenBucketStorage,
} from '../src/rate-limit/redis-rate-limit.storage';
import { ConcurrencyHarness } from './rate-limit-concurrency';
import { OwnedRedisCluster } from './rate-limit-redis-cluster';
import { describeRateLimitStorages } from './rate-limit-storage.behaviour';
import { startRateLimitTestApp } from './rate-limit-test-app';

const ALGORITHMS: (keyof RateLimitStorages)[] = ['fixed-window', 'sliding-window', 'token-bucket'];
const KEY_PREFIX = 'msb-cluster-test:';

let redisCluster: OwnedRedisCluster;
let client: Cluster;

beforeAll(async () => {
  redisCluster = await OwnedRedisCluster.start();
  client = new Cluster(redisCluster.nodes, { keyPrefix: KEY_PREFIX });
  await client.ping();
}, 60_000);

afterAll(async () => {
  client.disconnect();
  await redisCluster.stop();
});

describeRateLimitStorages('Redis Cluster', (clock) => ({
  'fixed-window': new RedisFixedWindowStorage(client, { clock }),
  'sliding-window': new RedisSlidingWindowStorage(client, { clock }),
  'token-bucket': new RedisTokenBucketStorage(client, { clock }),
}));

describe('Redis Cluster rate-limit storages under concurrency', () => {
  let harness: ConcurrencyHarness;

  beforeAll(async () => {
    harness = await ConcurrencyHarness.start(4, {
      clusterNodes: redisCluster.nodes,
      keyPrefix: KEY_PREFIX,
    });
  }, 30_000);

  afterAll(() => harness.stop());

  describe.each(ALGORITHMS)('%s', (algorithm) => {
    it.each([1, 2, 3, 4, 5])(
      'should admit exactly 100 of 4 workers × 50 concurrent callers (round %i)',
      async (repetition) => {
        const admitted = await harness.round(
          algorithm,
          `{cluster-hot:${algorithm}:${repetition}}`,
          100,
          50,
        );

        expect(admitted).toBe(100);
      },
    );
  });

  it('should spread single keys over the cluster nodes', async () => {
    const keys = Array.from({ length: 30 }, (_unused, index) => `{spread:${index}}`);
    for (const key of keys) await harness.round('fixed-window', key, 10, 1);

    const perNode = await Promise.all(client.nodes('master').map((node) => node.dbsize()));

    expect(perNode.filter((count) => count > 0)).toHaveLength(3);
  });
});

describe('RateLimitGuard on Redis Cluster', () => {
  let app: INestApplication;

  beforeAll(async () => {
    ({ app } = await startRateLimitTestApp('fastify', client, KEY_PREFIX));
  });

  afterAll(() => app.close());

  it('should check the client and the OTP destination in one call without CROSSSLOT', async () => {
    const send = (ip: string) =>
      request(app.getHttpServer())
        .post('/otp/send')
        .set('X-Forwarded-For', ip)
        .send({ destination: '+919800000001' });

    const statuses = [
      (await send('192.0.2.10')).status,
      (await send('192.0.2.11')).status,
      (await send('192.0.2.12')).status,
    ];

    expect(statuses).toEqual([202, 202, 429]);
  });
});
