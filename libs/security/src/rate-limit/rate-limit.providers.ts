import type { Provider } from '@nestjs/common';
import { Cluster } from 'ioredis';

import type { SecurityModuleOptions } from '../config/security-options.interface';
import type { RedisClient } from '../redis/redis-client.factory';
import { SECURITY_OPTIONS, SECURITY_REDIS } from '../security.tokens';
import {
  MemoryFixedWindowStorage,
  MemorySlidingWindowStorage,
  MemoryTokenBucketStorage,
} from './memory-rate-limit.storage';
import { RATE_LIMIT_STORAGES, type RateLimitStorages } from './rate-limit-storage.interface';
import { RateLimitGuard } from './rate-limit.guard';
import {
  RedisFixedWindowStorage,
  RedisSlidingWindowStorage,
  RedisTokenBucketStorage,
} from './redis-rate-limit.storage';

/** Upper bound of one rate-limit decision when the options name none. */
export const DEFAULT_RATE_LIMIT_TIMEOUT_MS = 100;

/**
 * The three storages of a deployment: on the shared Redis when there is one, otherwise in
 * process memory (one instance only: each instance would count on its own).
 */
export function createRateLimitStorages(
  options: SecurityModuleOptions,
  redis: RedisClient | null | undefined,
): RateLimitStorages {
  if (!redis) {
    return {
      'fixed-window': new MemoryFixedWindowStorage(),
      'sliding-window': new MemorySlidingWindowStorage(),
      'token-bucket': new MemoryTokenBucketStorage(),
    };
  }
  // A client with its own commandTimeout (the library's) already bounds every call; a
  // second timer per decision would only cost time.
  const storageOptions = hasCommandTimeout(redis)
    ? {}
    : { timeoutMs: options.redis?.commandTimeoutMs ?? DEFAULT_RATE_LIMIT_TIMEOUT_MS };
  return {
    'fixed-window': new RedisFixedWindowStorage(redis, storageOptions),
    'sliding-window': new RedisSlidingWindowStorage(redis, storageOptions),
    'token-bucket': new RedisTokenBucketStorage(redis, storageOptions),
  };
}

function hasCommandTimeout(redis: RedisClient): boolean {
  const clientOptions = redis instanceof Cluster ? redis.options.redisOptions : redis.options;
  return Boolean(clientOptions?.commandTimeout);
}

/**
 * Providers of the rate limiter: the storages behind {@link RATE_LIMIT_STORAGES} (built
 * from `SECURITY_OPTIONS` and `SECURITY_REDIS`) and the {@link RateLimitGuard}, which the
 * module registers as a global guard after authentication.
 */
export const RATE_LIMIT_PROVIDERS: Provider[] = [
  {
    provide: RATE_LIMIT_STORAGES,
    useFactory: createRateLimitStorages,
    inject: [SECURITY_OPTIONS, { token: SECURITY_REDIS, optional: true }],
  },
  RateLimitGuard,
];
