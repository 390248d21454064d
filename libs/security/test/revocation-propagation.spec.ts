import { randomUUID } from 'node:crypto';

import type { INestApplication } from '@nestjs/common';

import { RevocationService } from '@msmebazaar/security';

import { TEST_REDIS_URL, deleteKeys, testKeyPrefix } from '../../../test/support/redis';
import { AttackSigner, accessClaims } from './support/attack-tokens';
import { startPipelineApp } from './support/pipeline-app';

/** The contract's bound for a revocation to reach every service. */
const PROPAGATION_BOUND_MS = 1_000;

async function statusOf(url: string, token: string): Promise<number> {
  const response = await fetch(`${url}/api/sample/me`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await response.arrayBuffer();
  return response.status;
}

/** Polls until the token is refused; resolves with whether that happened within the bound. */
async function refusedWithinBound(url: string, token: string): Promise<boolean> {
  const deadline = Date.now() + PROPAGATION_BOUND_MS;
  while (Date.now() <= deadline) {
    if ((await statusOf(url, token)) === 401) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

describe('revocation across instances', () => {
  let signer: AttackSigner;
  let writer: { app: INestApplication; url: string };
  let reader: { app: INestApplication; url: string };
  let prefix: string;

  beforeAll(async () => {
    signer = await AttackSigner.start();
    prefix = testKeyPrefix('revocation');
    const settings = { jwksUrl: signer.jwksUrl, redisUrl: TEST_REDIS_URL, keyPrefix: prefix };
    writer = await startPipelineApp({ ...settings, platform: 'express' });
    reader = await startPipelineApp({ ...settings, platform: 'fastify' });
  });

  afterAll(async () => {
    await writer.app.close();
    await reader.app.close();
    await signer.close();
    await deleteKeys(prefix);
  });

  const revocations: [
    string,
    (service: RevocationService, claims: ReturnType<typeof accessClaims>) => Promise<unknown>,
  ][] = [
    ['a token', (service, claims) => service.revokeToken(claims.jti, claims.exp)],
    ['a session', (service, claims) => service.revokeSession(claims.sid, claims.exp)],
    ["a user's earlier tokens", (service, claims) => service.revokeUserTokensBefore(claims.sub)],
    ['a locked user', (service, claims) => service.lockUser(claims.sub)],
  ];

  it.each(revocations)(
    'should refuse %s on the other instance within one second',
    async (_kind, revoke) => {
      const claims = accessClaims(randomUUID());
      const token = await signer.sign(claims);
      expect(await statusOf(reader.url, token)).toBe(200);

      await revoke(writer.app.get(RevocationService), claims);

      expect(await refusedWithinBound(reader.url, token)).toBe(true);
      expect(await statusOf(writer.url, token)).toBe(401);
    },
  );

  it('should accept tokens issued at or after the valid-after time it returns', async () => {
    const userId = randomUUID();
    const validAfter = await writer.app.get(RevocationService).revokeUserTokensBefore(userId);
    const fresh = await signer.sign(accessClaims(userId, { iat: validAfter }));

    expect(await statusOf(reader.url, fresh)).toBe(200);
  });

  it('should let an unlocked user in again', async () => {
    const claims = accessClaims(randomUUID());
    const token = await signer.sign(claims);
    const service = writer.app.get(RevocationService);
    await service.lockUser(claims.sub);
    expect(await refusedWithinBound(reader.url, token)).toBe(true);

    await service.unlockUser(claims.sub);

    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await statusOf(reader.url, token)).toBe(200);
  });

  it('should pick up revocations made while it was not running', async () => {
    const claims = accessClaims(randomUUID());
    await writer.app.get(RevocationService).revokeToken(claims.jti, claims.exp);

    const late = await startPipelineApp({
      jwksUrl: signer.jwksUrl,
      redisUrl: TEST_REDIS_URL,
      keyPrefix: prefix,
    });
    try {
      expect(await statusOf(late.url, await signer.sign(claims))).toBe(401);
    } finally {
      await late.app.close();
    }
  });
});
