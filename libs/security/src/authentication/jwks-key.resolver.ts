import { KeyObject } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, errors as joseErrors } from 'jose';

import type { SecurityModuleOptions } from '../config/security-options.interface';
import { DependencyUnavailableException } from '../errors/dependency-unavailable.exception';
import { SECURITY_OPTIONS } from '../security.tokens';

const WELL_FORMED_KID = /^[A-Za-z0-9_-]{1,128}$/;
const REFETCH_COOLDOWN_MS = 30_000;
const JWKS_TIMEOUT_MS = 2_000;
const JWKS_MAX_AGE_MS = 10 * 60_000;

/** A key the token cannot be verified with: answered as 401. */
export class UnknownSigningKeyError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UnknownSigningKeyError';
  }
}

/**
 * Finds the public key of a token's `kid` in auth-service's JWKS.
 *
 * The set is cached; an unknown `kid` makes it refetch at most once per 30 s (so forged
 * ids cannot turn into a request flood), and the algorithm always comes from
 * configuration, never from the token header.
 */
@Injectable()
export class JwksKeyResolver {
  private readonly keySet: ReturnType<typeof createRemoteJWKSet>;
  private readonly keys = new Map<string, KeyObject>();

  constructor(@Inject(SECURITY_OPTIONS) private readonly options: SecurityModuleOptions) {
    this.keySet = createRemoteJWKSet(new URL(options.jwt.jwksUrl), {
      cooldownDuration: REFETCH_COOLDOWN_MS,
      cacheMaxAge: JWKS_MAX_AGE_MS,
      timeoutDuration: JWKS_TIMEOUT_MS,
    });
  }

  /**
   * @throws UnknownSigningKeyError when the token names no usable key (401).
   * @throws DependencyUnavailableException when the JWKS cannot be fetched (503).
   */
  async keyFor(kid: unknown): Promise<KeyObject> {
    if (typeof kid !== 'string' || !WELL_FORMED_KID.test(kid)) {
      throw new UnknownSigningKeyError('token has no well-formed kid');
    }
    const cached = this.keys.get(kid);
    if (cached && this.keySet.fresh) return cached;
    try {
      const key = await this.keySet({ alg: this.options.jwt.algorithm, kid });
      const keyObject =
        key instanceof KeyObject
          ? key
          : KeyObject.from(key as Parameters<typeof KeyObject.from>[0]);
      this.keys.set(kid, keyObject);
      return keyObject;
    } catch (error) {
      if (
        error instanceof joseErrors.JWKSNoMatchingKey ||
        error instanceof joseErrors.JWKSMultipleMatchingKeys
      ) {
        throw new UnknownSigningKeyError('no key matches the token kid');
      }
      throw new DependencyUnavailableException('jwks');
    }
  }
}
