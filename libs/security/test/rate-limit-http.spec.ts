import type { INestApplication } from '@nestjs/common';
import Redis from 'ioredis';
import { register } from 'prom-client';
import request from 'supertest';

import {
  deleteKeys,
  OwnedRedisServer,
  TEST_REDIS_URL,
  testKeyPrefix,
} from '../../../test/support/redis';
import { RateLimitGuard } from '../src/rate-limit/rate-limit.guard';
import { startRateLimitTestApp } from './rate-limit-test-app';

async function violations(endpoint: string, policy: string): Promise<number> {
  const metric = await register.getSingleMetric('rate_limit_violations_total')?.get();
  const value = metric?.values.find(
    (sample) => sample.labels.endpoint === endpoint && sample.labels.policy === policy,
  );
  return value?.value ?? 0;
}

async function storeErrors(policy: string): Promise<number> {
  const metric = await register.getSingleMetric('rate_limit_store_errors_total')?.get();
  return metric?.values.find((sample) => sample.labels.policy === policy)?.value ?? 0;
}

describe.each(['fastify', 'express'] as const)(
  `${RateLimitGuard.name} over HTTP on %s`,
  (platform) => {
    const prefix = testKeyPrefix(`rate-limit-http-${platform}`);
    const redis = new Redis(TEST_REDIS_URL, { keyPrefix: prefix });
    let app: INestApplication;
    let logLines: Record<string, unknown>[];
    let clientSeed = 0;
    const freshIp = () => `198.51.100.${(clientSeed += 1)}`;
    const http = () => request(app.getHttpServer());

    beforeAll(async () => {
      ({ app, logLines } = await startRateLimitTestApp(platform, redis, prefix));
    });

    afterAll(async () => {
      await app.close();
      await deleteKeys(prefix);
      redis.disconnect();
    });

    describe('canActivate', () => {
      it('should send the headers, then refuse with 429 problem+json and Retry-After', async () => {
        const ip = freshIp();
        const before = await violations('/login', 'auth');

        const admitted = [];
        for (let i = 0; i < 3; i += 1)
          admitted.push(await http().post('/login').set('X-Forwarded-For', ip));
        const refused = await http().post('/login').set('X-Forwarded-For', ip);

        expect(admitted.map((response) => response.status)).toEqual([200, 200, 200]);
        expect(admitted.map((response) => response.headers['ratelimit-remaining'])).toEqual([
          '2',
          '1',
          '0',
        ]);
        expect(admitted[0].headers['ratelimit-limit']).toBe('3');
        expect(admitted[0].headers['ratelimit-reset']).toBe('300');
        expect(refused.status).toBe(429);
        expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(299);
        expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(300);
        expect(refused.headers['ratelimit-remaining']).toBe('0');
        expect(refused.body).toMatchObject({
          type: 'https://msmebazaar.com/problems/rate-limited',
          status: 429,
          instance: '/login',
        });
        expect(await violations('/login', 'auth')).toBe(before + 1);
        expect(logLines).toContainEqual(
          expect.objectContaining({
            event_type: 'rate_limit_exceeded',
            security_event: true,
            ip_address: ip,
            details: expect.objectContaining({ policy: 'auth', shadow: false }),
          }),
        );
      });

      it('should limit a user alone, leaving other users, API tokens and addresses untouched', async () => {
        for (let i = 0; i < 5; i += 1)
          await http().get('/profile').set('X-Test-Principal', 'user:a');

        const userA = await http().get('/profile').set('X-Test-Principal', 'user:a');
        const userB = await http().get('/profile').set('X-Test-Principal', 'user:b');
        const apiToken = await http().get('/profile').set('X-Test-Principal', 'apikey:a');
        const anonymous = await http().post('/login').set('X-Forwarded-For', freshIp());

        expect(userA.status).toBe(429);
        expect(userB.status).toBe(200);
        expect(userB.headers['ratelimit-remaining']).toBe('4');
        expect(apiToken.headers['ratelimit-remaining']).toBe('4');
        expect(anonymous.headers['ratelimit-remaining']).toBe('2');
      });

      it('should believe only the trusted hop of X-Forwarded-For', async () => {
        const ip = freshIp();
        for (let i = 0; i < 3; i += 1) await http().post('/login').set('X-Forwarded-For', ip);

        const spoofed = await http().post('/login').set('X-Forwarded-For', `203.0.113.99, ${ip}`);

        expect(spoofed.status).toBe(429);
      });

      it('should leave public routes without a policy and infrastructure paths unlimited', async () => {
        const ip = freshIp();

        const responses = [];
        for (let i = 0; i < 5; i += 1) {
          responses.push(await http().get('/open-door').set('X-Forwarded-For', ip));
          responses.push(await http().get('/health/live').set('X-Forwarded-For', ip));
        }

        expect(responses.every((response) => response.status === 200)).toBe(true);
        expect(responses.some((response) => 'ratelimit-limit' in response.headers)).toBe(false);
      });

      it('should limit an OTP destination across clients, without charging refused clients', async () => {
        const [first, second, third] = [freshIp(), freshIp(), freshIp()];
        const send = (ip: string, destination: string) =>
          http().post('/otp/send').set('X-Forwarded-For', ip).send({ destination });

        const one = await send(first, 'Someone@Example.com');
        const two = await send(second, ' someone@example.COM ');
        const three = await send(third, 'someone@example.com');
        const elsewhere = await send(third, 'other@example.com');

        expect([one.status, two.status, three.status, elsewhere.status]).toEqual([
          202, 202, 429, 202,
        ]);
        expect(elsewhere.headers['ratelimit-remaining']).toBe('1');
      });

      it('should count and log a shadow policy but never refuse', async () => {
        const ip = freshIp();
        const before = await violations('/trial', 'trial');

        const responses = [];
        for (let i = 0; i < 3; i += 1)
          responses.push(await http().get('/trial').set('X-Forwarded-For', ip));

        expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
        expect(responses.map((response) => response.headers['ratelimit-remaining'])).toEqual([
          '0',
          '0',
          '0',
        ]);
        expect(Number(responses[2].headers['ratelimit-reset'])).toBeGreaterThan(0);
        expect(await violations('/trial', 'trial')).toBe(before + 2);
        const shadowLines = logLines.filter(
          (line) => line.event_type === 'rate_limit_exceeded' && line.ip_address === ip,
        );
        expect(shadowLines).toHaveLength(2);
        expect(shadowLines[0]).toMatchObject({ details: { policy: 'trial', shadow: true } });
      });
    });
  },
);

describe(`${RateLimitGuard.name} when Redis stops`, () => {
  let server: OwnedRedisServer;
  let redis: Redis;
  let app: INestApplication;
  let logLines: Record<string, unknown>[];
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    server = await OwnedRedisServer.start();
    redis = new Redis(server.url, {
      keyPrefix: 'outage:',
      commandTimeout: 100,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 50,
    });
    redis.on('error', () => undefined);
    while (redis.status !== 'ready') await new Promise((resolve) => setTimeout(resolve, 20));
    ({ app, logLines } = await startRateLimitTestApp('fastify', redis, 'outage:'));
  });

  afterAll(async () => {
    await app.close();
    redis.disconnect();
    await server.stop();
  });

  it('should fail closed or open per policy, and limit again once Redis is back', async () => {
    const closedErrorsBefore = await storeErrors('auth');
    const openErrorsBefore = await storeErrors('api');

    await server.pause();
    const closed = await http().post('/login').set('X-Forwarded-For', '192.0.2.1');
    const open = await http().get('/profile').set('X-Test-Principal', 'user:outage');
    await server.resume();
    while (redis.status !== 'ready') await new Promise((resolve) => setTimeout(resolve, 20));
    const recovered = await http().post('/login').set('X-Forwarded-For', '192.0.2.1');

    expect(closed.status).toBe(503);
    expect(closed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(open.status).toBe(200);
    expect(open.headers['ratelimit-limit']).toBeUndefined();
    expect(await storeErrors('auth')).toBe(closedErrorsBefore + 1);
    expect(await storeErrors('api')).toBe(openErrorsBefore + 1);
    expect(logLines).toContainEqual(
      expect.objectContaining({ policy: 'auth', fail_mode: 'closed' }),
    );
    expect(recovered.status).toBe(200);
    expect(recovered.headers['ratelimit-remaining']).toBe('2');
  });
});
