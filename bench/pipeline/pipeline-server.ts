// One benchmark target per process, chosen by argv[2]; reports {port, token} over IPC.
import { createSecretKey, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Controller, Get, Injectable, Module, UnauthorizedException } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import helmet from 'helmet';
import Redis from 'ioredis';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { ExtractJwt, Strategy } from 'passport-jwt';

import {
  DEFAULT_RATE_LIMIT_POLICIES,
  SecurityModule,
  createSecureApp,
  type SecurityModuleOptions,
} from '@msmebazaar/security';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `bench:${randomUUID()}:`;
const USER_ID = randomUUID();
const payload = { status: 'ok', items: [1, 2, 3] };

@Controller('api/item')
class ItemController {
  @Get()
  item() {
    return payload;
  }
}

async function bare(platform: 'express' | 'fastify') {
  @Module({ controllers: [ItemController] })
  class BareModule {}
  const adapter = platform === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  const app = await NestFactory.create(BareModule, adapter, { logger: false });
  return { app, token: 'unused' };
}

async function typical() {
  const secret = createSecretKey(Buffer.from('a-benchmark-secret-of-thirty-two-bytes!!'));
  const redis = new Redis(REDIS_URL, { keyPrefix: PREFIX });

  @Injectable()
  class HsJwtStrategy extends PassportStrategy(Strategy, 'hs-jwt') {
    constructor() {
      super({
        jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
        secretOrKey: secret as unknown as string,
        algorithms: ['HS256'],
      });
    }

    async validate(claims: { sub: string; jti: string }) {
      if (await redis.get(`blacklist:${claims.jti}`)) throw new UnauthorizedException();
      return claims;
    }
  }

  @Injectable()
  class UserThrottlerGuard extends ThrottlerGuard {
    protected override async getTracker(request: { user?: { sub: string } }): Promise<string> {
      return request.user?.sub ?? 'anonymous';
    }
  }

  @Module({
    imports: [
      PassportModule,
      ThrottlerModule.forRoot({
        throttlers: [{ limit: 1_000_000_000, ttl: 60_000 }],
        storage: new ThrottlerStorageRedisService(redis),
      }),
    ],
    controllers: [ItemController],
    providers: [
      HsJwtStrategy,
      { provide: APP_GUARD, useClass: AuthGuard('hs-jwt') },
      { provide: APP_GUARD, useClass: UserThrottlerGuard },
    ],
  })
  class TypicalModule {}

  const app = await NestFactory.create(TypicalModule, new ExpressAdapter(), { logger: false });
  app.use(helmet());
  const token = await new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(USER_ID)
    .setExpirationTime('1h')
    .sign(secret);
  return { app, token };
}

async function ours() {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const kid = 'bench';
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256' }] });
  const jwksServer = createServer((_request, response) => response.end(jwks));
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const jwksPort = (jwksServer.address() as { port: number }).port;

  const options: SecurityModuleOptions = {
    serviceName: 'bench-service',
    serviceVersion: '0.0.0',
    environment: 'production',
    logLevel: 'info',
    jwt: {
      issuer: 'msmebazaar.com',
      audience: 'msmebazaar-api',
      algorithm: 'ES256',
      jwksUrl: `http://127.0.0.1:${jwksPort}/jwks.json`,
      clockToleranceSeconds: 5,
    },
    redis: { url: REDIS_URL, keyPrefix: PREFIX, commandTimeoutMs: 100 },
    trustProxy: 0,
    rateLimitPolicies: {
      ...DEFAULT_RATE_LIMIT_POLICIES,
      api: { ...DEFAULT_RATE_LIMIT_POLICIES.api, limit: 1_000_000_000 },
    },
    docsEnabled: false,
  };

  @Module({ imports: [SecurityModule.forRoot(options)], controllers: [ItemController] })
  class OursModule {}

  const app = await createSecureApp(OursModule);
  const token = await new SignJWT({
    email: 'bench@example.test',
    roles: ['msme_owner'],
    permissions: ['msme.read'],
    token_type: 'access',
    sid: randomUUID(),
  })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setSubject(USER_ID)
    .setJti(randomUUID())
    .setIssuer('msmebazaar.com')
    .setAudience('msmebazaar-api')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  return { app, token };
}

const targets = {
  'bare-express': () => bare('express'),
  'bare-fastify': () => bare('fastify'),
  typical,
  ours,
} as const;

async function main() {
  const target = process.argv[2] as keyof typeof targets;
  const { app, token } = await targets[target]();
  await app.listen(0, '127.0.0.1');
  const port = Number(new URL(await app.getUrl()).port);
  process.send?.({ port, token });
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
}

void main();
