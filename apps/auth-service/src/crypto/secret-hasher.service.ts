import { createHmac, timingSafeEqual } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import { AUTH_CONFIG, type AuthConfig } from '../config/auth.config';

/**
 * Keyed hashes (HMAC-SHA256 with `SECRET_KEY`) of the secrets the service stores:
 * refresh, API and single-use tokens and OTP codes. A stolen table is useless without
 * the key, and lookups stay exact (unlike a salted password hash). Rows are found by id
 * and the hash is then checked with {@link matches}, in constant time.
 */
@Injectable()
export class SecretHasher {
  constructor(@Inject(AUTH_CONFIG) private readonly config: AuthConfig) {}

  /** Hex HMAC of `secret`, bound to `context` so one kind of secret never matches another. */
  hash(context: string, secret: string): string {
    return createHmac('sha256', this.config.secretKey)
      .update(`${context}\0${secret}`)
      .digest('hex');
  }

  /** Constant-time check of `secret` against a stored hash. */
  matches(context: string, secret: string, storedHash: string): boolean {
    const actual = Buffer.from(this.hash(context, secret), 'hex');
    const expected = Buffer.from(storedHash, 'hex');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}
