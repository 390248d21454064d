/** The algorithms a policy can use. */
export type RateLimitAlgorithm = 'fixed-window' | 'sliding-window' | 'token-bucket';

/** What happens to a request when the limiter's store cannot answer in time. */
export type RateLimitFailMode = 'open' | 'closed';

/**
 * One named rate-limit policy.
 *
 * For windows, `limit` requests are admitted per `windowSeconds`. For the token bucket,
 * `limit` is the capacity and `windowSeconds` the time to refill it completely.
 */
export interface RateLimitPolicy {
  algorithm: RateLimitAlgorithm;
  limit: number;
  windowSeconds: number;
  failMode: RateLimitFailMode;
  /** Counts, logs and sets headers but never refuses: for trying a limit on live traffic. */
  shadow?: boolean;
}
