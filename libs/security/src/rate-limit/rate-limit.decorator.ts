import { SetMetadata } from '@nestjs/common';

import { RATE_LIMIT_POLICY_KEY, SKIP_RATE_LIMIT_KEY } from '../security.constants';

/** Where a request value lives: `body.<field>`, `query.<field>` or `params.<field>`. */
export type RequestValuePath = `${'body' | 'query' | 'params'}.${string}`;

/** Options of {@link RateLimit}. */
export interface RateLimitRouteOptions {
  /**
   * Also limits by one value of the request (trimmed, lower-cased): the request needs room
   * under the caller's key and under this value's key, or it is refused and counts against
   * neither. Meant for a target that many callers could flood together, such as the
   * destination of an OTP. A request without the value is limited by the caller alone.
   */
  alsoBy?: RequestValuePath;
}

/** What {@link RateLimit} stores on a route. */
export interface RateLimitRouteMetadata extends RateLimitRouteOptions {
  policy: string;
}

/**
 * Chooses the rate-limit policy of a route (`auth`, `otp`, `api`, `valuation`, or one
 * declared in the module options). Authenticated routes that name none use `api`;
 * `@Public()` routes that name none are not limited.
 *
 * @example
 * @Public()
 * @RateLimit('otp', { alsoBy: 'body.destination' })
 * @Post('otp/send')
 * send(@Body() body: SendOtpDto) { ... }
 */
export const RateLimit = (
  policy: string,
  options: RateLimitRouteOptions = {},
): MethodDecorator & ClassDecorator =>
  SetMetadata<string, RateLimitRouteMetadata>(RATE_LIMIT_POLICY_KEY, { policy, ...options });

/** Exempts a route from rate limiting. Meant for infrastructure routes only. */
export const SkipRateLimit = (): MethodDecorator & ClassDecorator =>
  SetMetadata(SKIP_RATE_LIMIT_KEY, true);
