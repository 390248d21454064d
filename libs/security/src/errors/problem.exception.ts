import { HttpException } from '@nestjs/common';

/** Base URI of the platform's problem types; the slug is appended. */
export const PROBLEM_TYPE_BASE = 'https://msmebazaar.com/problems/';

/**
 * An error answered as RFC 9457 problem details with a specific `type`.
 *
 * @example
 * throw new ProblemException(403, 'email-not-verified', 'Email not verified',
 *   'Verify your email address before logging in.');
 */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly typeSlug: string,
    readonly title: string,
    detail?: string,
    readonly extras: Record<string, unknown> = {},
  ) {
    super(detail ?? title, status);
  }
}
