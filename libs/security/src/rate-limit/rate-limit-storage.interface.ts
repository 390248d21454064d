import type { ThrottlerStorage } from '@nestjs/throttler';

/** Milliseconds since the epoch; storages take one only so tests can control time. */
export type RateLimitClock = () => number;

/** What a storage answers for one request. */
export interface RateLimitDecision {
  admitted: boolean;
  limit: number;
  /** Requests (or tokens) still available after this one; 0 when refused. */
  remaining: number;
  /**
   * Seconds until the quota next grows: the window's end (fixed window), the oldest
   * counted request leaving the window (sliding window), the next token (token bucket).
   */
  resetSeconds: number;
  /** Seconds until a refused request would be admitted; 0 when admitted. */
  retryAfterSeconds: number;
}

/**
 * A rate-limit algorithm over some store, usable by the library's guard and, through
 * `increment`, as a `@nestjs/throttler` storage.
 *
 * Each decision is atomic: concurrent callers on any number of instances never admit more
 * than `limit` requests, and a refused request uses up no quota.
 */
export interface RateLimitStorage extends ThrottlerStorage {
  /**
   * Admits one request against every key, or against none of them.
   *
   * @param keys counters that must all have room; on Redis Cluster they must share a hash slot
   * @param limit requests per window, or the bucket's capacity
   * @param windowMs the window, or the time to refill the bucket completely
   */
  consume(keys: readonly string[], limit: number, windowMs: number): Promise<RateLimitDecision>;
}

/** The three storages of one deployment, one per algorithm, behind {@link RATE_LIMIT_STORAGES}. */
export interface RateLimitStorages {
  'fixed-window': RateLimitStorage;
  'sliding-window': RateLimitStorage;
  'token-bucket': RateLimitStorage;
}

/** Injection token of the {@link RateLimitStorages}; override it to plug in another store. */
export const RATE_LIMIT_STORAGES = Symbol('RATE_LIMIT_STORAGES');
