import { Reflector } from '@nestjs/core';
import Redis from 'ioredis';
import type { PinoLogger } from 'nestjs-pino';

import { ConfigurationError } from '../config/configuration.error';
import type { SecurityModuleOptions } from '../config/security-options.interface';
import { DEFAULT_RATE_LIMIT_POLICIES } from '../config/security-env.config';
import type { SecurityEventLogger } from '../logging/security-event.logger';
import type { SecurityMetrics } from '../metrics/security-metrics.service';
import { MemorySlidingWindowStorage } from './memory-rate-limit.storage';
import type { RateLimitPolicy } from './rate-limit-policy.interface';
import { RateLimitGuard } from './rate-limit.guard';
import { createRateLimitStorages } from './rate-limit.providers';
import { RedisSlidingWindowStorage } from './redis-rate-limit.storage';

const options = (rateLimitPolicies: Record<string, RateLimitPolicy>) =>
  ({ serviceName: 'svc', trustProxy: 0, redis: null, rateLimitPolicies }) as SecurityModuleOptions;

const silentLogger = { setContext: () => undefined } as unknown as PinoLogger;

describe('createRateLimitStorages', () => {
  it('should keep counters in process when there is no Redis', () => {
    const storages = createRateLimitStorages(options(DEFAULT_RATE_LIMIT_POLICIES), null);

    expect(storages['sliding-window']).toBeInstanceOf(MemorySlidingWindowStorage);
  });

  it('should use Redis when the module has a client', () => {
    const redis = new Redis({ lazyConnect: true });

    const storages = createRateLimitStorages(options(DEFAULT_RATE_LIMIT_POLICIES), redis);

    expect(storages['sliding-window']).toBeInstanceOf(RedisSlidingWindowStorage);
    redis.disconnect();
  });
});

describe(RateLimitGuard.name, () => {
  describe('onModuleInit', () => {
    const api = DEFAULT_RATE_LIMIT_POLICIES.api;

    it.each([
      ['an unknown algorithm', { api, bad: { ...api, algorithm: 'leaky' } }],
      ['a zero limit', { api, bad: { ...api, limit: 0 } }],
      ['a fractional window', { api, bad: { ...api, windowSeconds: 1.5 } }],
      ['an unknown fail mode', { api, bad: { ...api, failMode: 'maybe' } }],
      ['no api policy', { auth: DEFAULT_RATE_LIMIT_POLICIES.auth }],
    ])('should refuse to start with %s', (_case, policies) => {
      const settings = options(policies as Record<string, RateLimitPolicy>);
      const guard = new RateLimitGuard(
        new Reflector(),
        settings,
        createRateLimitStorages(settings, null),
        {} as SecurityEventLogger,
        {} as SecurityMetrics,
        silentLogger,
      );

      expect(() => guard.onModuleInit()).toThrow(ConfigurationError);
    });
  });
});
