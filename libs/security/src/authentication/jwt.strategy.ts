import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';

import type { SecurityModuleOptions } from '../config/security-options.interface';
import { SECURITY_OPTIONS } from '../security.tokens';
import { JwksKeyResolver } from './jwks-key.resolver';
import type { Principal } from './principal.interface';
import { TOKEN_TYPES, type TokenClaims } from './token-claims.interface';
import { extractToken } from './token-extractor';

/** The passport strategy name of platform tokens. */
export const PLATFORM_JWT_STRATEGY = 'msmebazaar-jwt';

/** A verified token whose claims do not have the platform's shape. */
export class MalformedClaimsError extends Error {
  constructor() {
    super('token claims are malformed');
    this.name = 'MalformedClaimsError';
  }
}

function decodeHeader(rawJwt: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(rawJwt.split('.')[0], 'base64url').toString('utf8'));
  } catch {
    return {};
  }
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Turns verified claims into the request's {@link Principal}. */
export function principalFromClaims(claims: Partial<TokenClaims>): Principal {
  const valid =
    typeof claims.sub === 'string' &&
    typeof claims.email === 'string' &&
    typeof claims.jti === 'string' &&
    typeof claims.iat === 'number' &&
    typeof claims.exp === 'number' &&
    isStringArray(claims.roles) &&
    isStringArray(claims.permissions) &&
    TOKEN_TYPES.includes(claims.token_type as never) &&
    (claims.sid === undefined || typeof claims.sid === 'string');
  if (!valid) throw new MalformedClaimsError();
  return {
    userId: claims.sub as string,
    email: claims.email as string,
    roles: claims.roles as string[],
    permissions: claims.permissions as string[],
    tokenType: claims.token_type as TokenClaims['token_type'],
    tokenId: claims.jti as string,
    sessionId: claims.sid,
    issuedAtSeconds: claims.iat as number,
    expiresAtSeconds: claims.exp as number,
  };
}

/**
 * Verifies platform JWTs with passport-jwt: signature by the JWKS key of the token's
 * `kid`, algorithm pinned by configuration, issuer, audience, `exp` and `nbf`.
 * Revocation and the per-route token type are checked by the guard.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, PLATFORM_JWT_STRATEGY) {
  constructor(@Inject(SECURITY_OPTIONS) options: SecurityModuleOptions, keys: JwksKeyResolver) {
    super({
      jwtFromRequest: (request: { headers: Record<string, string> }) =>
        extractToken(request.headers)?.token ?? null,
      // passport-jwt hands the key to jsonwebtoken, which takes a KeyObject despite the
      // narrower declared type.
      secretOrKeyProvider: (_request, rawJwt, done) => {
        keys.keyFor(decodeHeader(rawJwt).kid).then(
          (key) => done(null, key as unknown as string),
          (error: unknown) => done(error),
        );
      },
      algorithms: [options.jwt.algorithm],
      issuer: options.jwt.issuer,
      audience: options.jwt.audience,
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: options.jwt.clockToleranceSeconds },
    });
  }

  validate(claims: Partial<TokenClaims>): Principal {
    return principalFromClaims(claims);
  }
}
