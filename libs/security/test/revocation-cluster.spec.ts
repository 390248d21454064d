import { randomUUID } from 'node:crypto';

import type { INestApplication } from '@nestjs/common';

import { IpBlockService, RevocationService } from '@msmebazaar/security';

import { testKeyPrefix } from '../../../test/support/redis';
import { OwnedRedisCluster } from './rate-limit-redis-cluster';
import { AttackSigner, accessClaims } from './support/attack-tokens';
import { startPipelineApp } from './support/pipeline-app';

async function statusOf(url: string, token?: string): Promise<number> {
  const response = await fetch(`${url}/api/sample/me`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  await response.arrayBuffer();
  return response.status;
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 1_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() <= deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

describe('revocation on a Redis Cluster', () => {
  let cluster: OwnedRedisCluster;
  let signer: AttackSigner;
  let writer: { app: INestApplication; url: string };
  let reader: { app: INestApplication; url: string };

  beforeAll(async () => {
    cluster = await OwnedRedisCluster.start();
    signer = await AttackSigner.start();
    const settings = {
      jwksUrl: signer.jwksUrl,
      redisUrl: null,
      redisClusterNodes: cluster.nodes.map(({ host, port }) => `${host}:${port}`),
      keyPrefix: testKeyPrefix('cluster'),
    };
    writer = await startPipelineApp({ ...settings, platform: 'express' });
    reader = await startPipelineApp(settings);
  }, 60_000);

  afterAll(async () => {
    await writer?.app.close();
    await reader?.app.close();
    await signer?.close();
    await cluster?.stop();
  });

  it('should refuse revoked tokens, sessions and users on every instance without CROSSSLOT errors', async () => {
    const revocation = writer.app.get(RevocationService);
    const [a, b, c] = [0, 1, 2].map(() => accessClaims(randomUUID()));
    const tokens = await Promise.all([a, b, c].map((claims) => signer.sign(claims)));
    for (const token of tokens) expect(await statusOf(reader.url, token)).toBe(200);

    await revocation.revokeToken(a.jti, a.exp);
    await revocation.revokeSession(b.sid, b.exp);
    await revocation.revokeUserTokensBefore(c.sub);

    for (const token of tokens) {
      expect(await eventually(async () => (await statusOf(reader.url, token)) === 401)).toBe(true);
    }
  });

  it('should apply IP blocks from another instance', async () => {
    const block = await writer.app.get(IpBlockService).blockIp('127.0.0.1', 60, 'cluster test');

    expect(await eventually(async () => (await statusOf(reader.url)) === 403)).toBe(true);

    await writer.app.get(IpBlockService).unblockIp(block.id);
    expect(await eventually(async () => (await statusOf(reader.url)) === 401)).toBe(true);
  });
});
