import type { ThrottlerStorage } from '@nestjs/throttler';

import type { RateLimitDecision } from './rate-limit-storage.interface';

/** `@nestjs/throttler`'s storage record, which its package index does not export. */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Builds a decision from a script or in-process reply in milliseconds. */
export function decisionFromMs(
  admitted: boolean,
  limit: number,
  remaining: number,
  resetMs: number,
  retryAfterMs: number,
): RateLimitDecision {
  return {
    admitted,
    limit,
    remaining,
    resetSeconds: Math.ceil(resetMs / 1000),
    retryAfterSeconds: Math.ceil(retryAfterMs / 1000),
  };
}

/**
 * Maps a decision onto `@nestjs/throttler`'s record. A refusal counts as one hit over the
 * limit there, as in its own storage; `blockDuration` has no meaning here because a
 * refused request waits exactly as long as the algorithm says.
 */
export function toThrottlerRecord(decision: RateLimitDecision): ThrottlerStorageRecord {
  return {
    totalHits: decision.admitted ? decision.limit - decision.remaining : decision.limit + 1,
    timeToExpire: decision.admitted ? decision.resetSeconds : decision.retryAfterSeconds,
    isBlocked: !decision.admitted,
    timeToBlockExpire: decision.retryAfterSeconds,
  };
}
