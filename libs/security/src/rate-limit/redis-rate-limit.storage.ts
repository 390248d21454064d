import type { Cluster, Redis } from 'ioredis';

import { FIXED_WINDOW_SCRIPT } from './fixed-window.script';
import {
  decisionFromMs,
  toThrottlerRecord,
  type ThrottlerStorageRecord,
} from './rate-limit-decision';
import type {
  RateLimitClock,
  RateLimitDecision,
  RateLimitStorage,
} from './rate-limit-storage.interface';
import { SLIDING_WINDOW_SCRIPT } from './sliding-window.script';
import { TOKEN_BUCKET_SCRIPT } from './token-bucket.script';

/** Options shared by the Redis storages. */
export interface RedisRateLimitStorageOptions {
  /** Upper bound of one decision; a slower store counts as unavailable. */
  timeoutMs?: number;
  /**
   * For deterministic tests only: makes the script use this time instead of the Redis
   * server's `TIME`. Production never sets it, so skewed application clocks cannot matter.
   */
  clock?: RateLimitClock;
}

/** Raised when a decision takes longer than `timeoutMs`. */
export class RateLimitStoreTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`Rate-limit store did not answer within ${timeoutMs} ms (command timed out)`);
    this.name = 'RateLimitStoreTimeoutError';
  }
}

type ScriptReply = [number, number, number, number];
type ScriptCommand = (numberOfKeys: number, ...args: (string | number)[]) => Promise<ScriptReply>;

/**
 * A Redis rate-limit storage: one Lua script call per decision.
 *
 * The script is registered with ioredis `defineCommand`, which sends `EVALSHA` and falls
 * back to `EVAL` (loading the script) when a server answers `NOSCRIPT`, for instance after
 * a restart or on a new cluster node. Works on `Redis` and `Cluster` clients alike; the
 * client's `keyPrefix` applies to the keys.
 */
export abstract class RedisRateLimitStorage implements RateLimitStorage {
  private readonly command: ScriptCommand;

  protected constructor(
    redis: Redis | Cluster,
    commandName: string,
    script: string,
    private readonly options: RedisRateLimitStorageOptions = {},
  ) {
    redis.defineCommand(commandName, { lua: script });
    const commands = redis as unknown as Record<string, ScriptCommand>;
    this.command = commands[commandName].bind(redis);
  }

  async consume(
    keys: readonly string[],
    limit: number,
    windowMs: number,
  ): Promise<RateLimitDecision> {
    const fixedNow = this.options.clock ? String(this.options.clock()) : '';
    const call = this.command(keys.length, ...keys, limit, Math.ceil(windowMs), fixedNow);
    const [admitted, remaining, resetMs, retryMs] = await this.withTimeout(call);
    return decisionFromMs(admitted === 1, limit, remaining, resetMs, retryMs);
  }

  async increment(key: string, ttlMs: number, limit: number): Promise<ThrottlerStorageRecord> {
    return toThrottlerRecord(await this.consume([key], limit, ttlMs));
  }

  private withTimeout(call: Promise<ScriptReply>): Promise<ScriptReply> {
    const timeoutMs = this.options.timeoutMs;
    if (!timeoutMs) return call;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new RateLimitStoreTimeoutError(timeoutMs)), timeoutMs);
    });
    return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
  }
}

/** Fixed window on Redis (see {@link FIXED_WINDOW_SCRIPT}). */
export class RedisFixedWindowStorage extends RedisRateLimitStorage {
  constructor(redis: Redis | Cluster, options?: RedisRateLimitStorageOptions) {
    super(redis, 'msbRateLimitFixedWindow', FIXED_WINDOW_SCRIPT, options);
  }
}

/** Exact sliding window on Redis (see {@link SLIDING_WINDOW_SCRIPT}). */
export class RedisSlidingWindowStorage extends RedisRateLimitStorage {
  constructor(redis: Redis | Cluster, options?: RedisRateLimitStorageOptions) {
    super(redis, 'msbRateLimitSlidingWindow', SLIDING_WINDOW_SCRIPT, options);
  }
}

/** Token bucket (GCRA) on Redis (see {@link TOKEN_BUCKET_SCRIPT}). */
export class RedisTokenBucketStorage extends RedisRateLimitStorage {
  constructor(redis: Redis | Cluster, options?: RedisRateLimitStorageOptions) {
    super(redis, 'msbRateLimitTokenBucket', TOKEN_BUCKET_SCRIPT, options);
  }
}
