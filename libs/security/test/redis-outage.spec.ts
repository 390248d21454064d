import { randomUUID } from 'node:crypto';

import type { INestApplication } from '@nestjs/common';

import { OwnedRedisServer, testKeyPrefix } from '../../../test/support/redis';
import { AttackSigner, accessClaims } from './support/attack-tokens';
import { startPipelineApp } from './support/pipeline-app';

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe.each(['fastify', 'express'] as const)('Redis outage on %s', (platform) => {
  let redis: OwnedRedisServer;
  let signer: AttackSigner;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    redis = await OwnedRedisServer.start();
    signer = await AttackSigner.start();
    ({ app, url } = await startPipelineApp({
      jwksUrl: signer.jwksUrl,
      redisUrl: redis.url,
      keyPrefix: testKeyPrefix('outage'),
      platform,
    }));
  });

  afterAll(async () => {
    await app.close();
    await signer.close();
    await redis.stop();
  });

  const get = async (path: string, token?: string) => {
    const response = await fetch(`${url}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: await response.text(),
    };
  };

  it('should fail closed while Redis is down and recover by itself when it returns', async () => {
    const token = await signer.sign(accessClaims(randomUUID()));
    expect((await get('/api/sample/me', token)).status).toBe(200);

    await redis.pause();

    expect(await waitFor(async () => (await get('/api/sample/me', token)).status === 503)).toBe(
      true,
    );
    const refused = await get('/api/sample/me', token);
    expect(refused.type).toMatch(/problem\+json/);
    expect(refused.body).toMatch(/dependency-unavailable/);
    expect((await get('/health/ready')).status).toBe(503);
    expect((await get('/health/live')).status).toBe(200);
    expect((await get('/api/sample/open')).status).toBe(200);

    await redis.resume();

    expect(await waitFor(async () => (await get('/api/sample/me', token)).status === 200)).toBe(
      true,
    );
    expect((await get('/health/ready')).status).toBe(200);
  });
});
