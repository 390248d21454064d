import { Writable } from 'node:stream';

import {
  Body,
  Controller,
  Get,
  HttpCode,
  Injectable,
  Module,
  Post,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, Reflector } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Cluster, Redis } from 'ioredis';
import { LoggerModule } from 'nestjs-pino';

import type { Principal } from '../src/authentication/principal.interface';
import { Public } from '../src/authentication/public.decorator';
import type { SecurityModuleOptions } from '../src/config/security-options.interface';
import { ProblemDetailsFilter } from '../src/errors/problem-details.filter';
import { SecurityEventLogger } from '../src/logging/security-event.logger';
import { METRIC_PROVIDERS } from '../src/metrics/metric-providers';
import { SecurityMetrics } from '../src/metrics/security-metrics.service';
import type { RateLimitPolicy } from '../src/rate-limit/rate-limit-policy.interface';
import { RateLimit } from '../src/rate-limit/rate-limit.decorator';
import { RateLimitGuard } from '../src/rate-limit/rate-limit.guard';
import { RATE_LIMIT_PROVIDERS } from '../src/rate-limit/rate-limit.providers';
import { IS_PUBLIC_KEY } from '../src/security.constants';
import { SECURITY_OPTIONS, SECURITY_REDIS } from '../src/security.tokens';

/** The policies of the test app: small limits, one of each kind. */
export const TEST_POLICIES: Record<string, RateLimitPolicy> = {
  auth: { algorithm: 'sliding-window', limit: 3, windowSeconds: 300, failMode: 'closed' },
  otp: { algorithm: 'fixed-window', limit: 2, windowSeconds: 300, failMode: 'closed' },
  api: { algorithm: 'sliding-window', limit: 5, windowSeconds: 60, failMode: 'open' },
  valuation: { algorithm: 'token-bucket', limit: 2, windowSeconds: 300, failMode: 'open' },
  trial: {
    algorithm: 'sliding-window',
    limit: 1,
    windowSeconds: 300,
    failMode: 'closed',
    shadow: true,
  },
};

/**
 * Stands in for the JWT guard: `X-Test-Principal: user:<id>` or `apikey:<id>` makes the
 * caller, as the real guard would after verifying a token.
 */
@Injectable()
class HeaderAuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string>; user?: Principal }>();
    const [kind, id] = (request.headers['x-test-principal'] ?? '').split(':');
    if (kind === 'user' || kind === 'apikey') request.user = principal(kind, id);
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!isPublic && !request.user) throw new UnauthorizedException();
    return true;
  }
}

function principal(kind: 'user' | 'apikey', id: string): Principal {
  return {
    userId: kind === 'user' ? id : 'token-owner',
    email: 'someone@example.com',
    roles: [],
    permissions: [],
    tokenType: kind === 'user' ? 'access' : 'api_token',
    tokenId: kind === 'user' ? `jti-${id}` : id,
    issuedAtSeconds: 0,
    expiresAtSeconds: 0,
  };
}

@Controller()
class LimitedController {
  @Public()
  @RateLimit('auth')
  @Post('login')
  @HttpCode(200)
  login(): { ok: true } {
    return { ok: true };
  }

  @Get('profile')
  profile(): { ok: true } {
    return { ok: true };
  }

  @Public()
  @Get('open-door')
  openDoor(): { ok: true } {
    return { ok: true };
  }

  @Public()
  @RateLimit('auth')
  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Public()
  @RateLimit('otp', { alsoBy: 'body.destination' })
  @Post('otp/send')
  @HttpCode(202)
  sendOtp(@Body() _body: unknown): { sent: true } {
    return { sent: true };
  }

  @Public()
  @RateLimit('trial')
  @Get('trial')
  trial(): { ok: true } {
    return { ok: true };
  }
}

/** A running test app and the security log lines it wrote. */
export interface RateLimitTestApp {
  app: INestApplication;
  logLines: Record<string, unknown>[];
}

/**
 * A tiny Nest app with the rate-limit guard behind a header-driven stand-in for the JWT
 * guard, on Express or Fastify, over the given Redis (or in process when `null`).
 */
export async function startRateLimitTestApp(
  platform: 'express' | 'fastify',
  redis: Redis | Cluster | null,
  keyPrefix: string,
): Promise<RateLimitTestApp> {
  const logLines: Record<string, unknown>[] = [];
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logLines.push(JSON.parse(line));
      done();
    },
  });
  const options = {
    serviceName: 'rate-limit-test',
    environment: 'test',
    trustProxy: 1,
    rateLimitPolicies: TEST_POLICIES,
    redis: redis ? { keyPrefix, commandTimeoutMs: 100 } : null,
  } as SecurityModuleOptions;

  @Module({
    imports: [LoggerModule.forRoot({ pinoHttp: [{ level: 'info', autoLogging: false }, capture] })],
    controllers: [LimitedController],
    providers: [
      { provide: SECURITY_OPTIONS, useValue: options },
      { provide: SECURITY_REDIS, useValue: redis },
      ...METRIC_PROVIDERS,
      SecurityMetrics,
      SecurityEventLogger,
      ...RATE_LIMIT_PROVIDERS,
      { provide: APP_GUARD, useClass: HeaderAuthGuard },
      { provide: APP_GUARD, useExisting: RateLimitGuard },
      { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    ],
  })
  class RateLimitTestModule {}

  const moduleRef = await Test.createTestingModule({ imports: [RateLimitTestModule] }).compile();
  const app =
    platform === 'express'
      ? moduleRef.createNestApplication(new ExpressAdapter(), { logger: false })
      : moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
          logger: false,
        });
  await app.init();
  if (platform === 'fastify')
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  return { app, logLines };
}
