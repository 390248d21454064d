import { ProblemException } from './problem.exception';

/** 429 refused by a rate-limit policy; the filter turns `retryAfterSeconds` into `Retry-After`. */
export class RateLimitExceededException extends ProblemException {
  constructor(
    readonly retryAfterSeconds: number,
    readonly policy: string,
  ) {
    super(
      429,
      'rate-limited',
      'Too many requests',
      `Rate limit of policy "${policy}" exceeded; retry in ${retryAfterSeconds} s.`,
    );
  }
}
