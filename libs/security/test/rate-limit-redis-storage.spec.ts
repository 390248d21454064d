import { createServer, type Server, type Socket } from 'node:net';

import Redis from 'ioredis';

import {
  RateLimitStoreTimeoutError,
  RedisFixedWindowStorage,
  RedisSlidingWindowStorage,
  RedisTokenBucketStorage,
} from '../src/rate-limit/redis-rate-limit.storage';
import {
  deleteKeys,
  OwnedRedisServer,
  TEST_REDIS_URL,
  testKeyPrefix,
} from '../../../test/support/redis';
import { describeRateLimitStorages } from './rate-limit-storage.behaviour';

const prefix = testKeyPrefix('rate-limit-storage');
const redis = new Redis(TEST_REDIS_URL, { keyPrefix: prefix });

afterAll(async () => {
  await deleteKeys(prefix);
  redis.disconnect();
});

describeRateLimitStorages('Redis', (clock) => ({
  'fixed-window': new RedisFixedWindowStorage(redis, { clock }),
  'sliding-window': new RedisSlidingWindowStorage(redis, { clock }),
  'token-bucket': new RedisTokenBucketStorage(redis, { clock }),
}));

describe('Redis rate-limit storages on the server clock', () => {
  const storages = {
    'fixed-window': new RedisFixedWindowStorage(redis),
    'sliding-window': new RedisSlidingWindowStorage(redis),
    'token-bucket': new RedisTokenBucketStorage(redis),
  };
  const algorithms = Object.keys(storages) as (keyof typeof storages)[];

  it.each(algorithms)(
    'should admit the limit, then refuse until the window passes (%s)',
    async (algorithm) => {
      const key = `{server-clock:${algorithm}}`;

      const answers = [];
      for (let i = 0; i < 4; i += 1)
        answers.push(await storages[algorithm].consume([key], 3, 300_000));

      expect(answers.map((answer) => answer.admitted)).toEqual([true, true, true, false]);
      expect(answers.map((answer) => answer.remaining)).toEqual([2, 1, 0, 0]);
      expect(answers[3].retryAfterSeconds).toBeGreaterThanOrEqual(
        algorithm === 'token-bucket' ? 99 : 299,
      );
      expect(answers[3].retryAfterSeconds).toBeLessThanOrEqual(300);
    },
  );

  it.each([
    ['fixed-window', 300_000],
    ['sliding-window', 300_000],
    ['token-bucket', 200_000],
  ] as const)('should let no %s key outlive its window or refill', async (algorithm, maxTtlMs) => {
    const key = `{expiry:${algorithm}}`;
    await storages[algorithm].consume([key], 3, 300_000);
    await storages[algorithm].consume([key], 3, 300_000);

    const ttlMs = await redis.pttl(key);

    expect(ttlMs).toBeGreaterThan(0);
    expect(ttlMs).toBeLessThanOrEqual(maxTtlMs);
  });

  it.each([
    ['fixed-window', (key: string) => redis.hset(key, 'start', '1', 'count', '1')],
    ['sliding-window', (key: string) => redis.set(key, 'x'.repeat(16))],
  ] as const)(
    'should start afresh on a %s key left in an earlier layout',
    async (algorithm, writeEarlierLayout) => {
      const key = `{earlier-layout:${algorithm}}`;
      await writeEarlierLayout(key);

      const first = await storages[algorithm].consume([key], 2, 300_000);
      const second = await storages[algorithm].consume([key], 2, 300_000);
      const third = await storages[algorithm].consume([key], 2, 300_000);

      expect([first.admitted, second.admitted, third.admitted]).toEqual([true, true, false]);
      expect(await redis.type(key)).toBe(algorithm === 'fixed-window' ? 'string' : 'list');
    },
  );

  it('should load its script again after the server forgot it', async () => {
    const key = '{noscript}';
    await storages['fixed-window'].consume([key], 3, 300_000);
    await redis.script('FLUSH');

    const second = await storages['fixed-window'].consume([key], 3, 300_000);

    expect(second).toMatchObject({ admitted: true, remaining: 1 });
  });
});

describe('Redis rate-limit storage outage', () => {
  let server: OwnedRedisServer;
  let client: Redis;

  beforeAll(async () => {
    server = await OwnedRedisServer.start();
    client = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    await waitUntilReady(client);
  });

  afterAll(async () => {
    client.disconnect();
    await server.stop();
  });

  it('should reject instead of waiting when the server is gone, and work again after', async () => {
    const storage = new RedisSlidingWindowStorage(client, { timeoutMs: 100 });
    await storage.consume(['{outage}'], 3, 60_000);

    await server.pause();
    const during = storage.consume(['{outage}'], 3, 60_000);
    await expect(during).rejects.toThrow();
    await server.resume();
    await waitUntilReady(client);
    const after = await storage.consume(['{outage}'], 3, 60_000);

    expect(after).toMatchObject({ admitted: true, remaining: 2 });
  });
});

describe('Redis rate-limit storage on a server that never answers', () => {
  let silent: Server;
  let client: Redis;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    // The connection opens but no reply ever comes, as with a frozen server.
    client = new Redis({ port, host: '127.0.0.1' });
  });

  afterAll(async () => {
    client.disconnect();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('should give up after its timeout instead of hanging the request', async () => {
    const storage = new RedisTokenBucketStorage(client, { timeoutMs: 100 });

    const decision = storage.consume(['{silent}'], 3, 60_000);

    await expect(decision).rejects.toBeInstanceOf(RateLimitStoreTimeoutError);
  });
});

async function waitUntilReady(client: Redis): Promise<void> {
  while (client.status !== 'ready') await new Promise((resolve) => setTimeout(resolve, 50));
}
