import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import type { TokenClaims, TokenType } from '@msmebazaar/security';
import { decodeProtectedHeader, importJWK, jwtVerify, SignJWT } from 'jose';

import { AUTH_CONFIG, type AuthConfig } from '../config/auth.config';
import { SigningKeyService } from '../keys/signing-key.service';
import { SIGNING_ALGORITHM } from '../keys/signing-key.storage';

/** Who a token is about. */
export interface TokenSubject {
  id: string;
  email: string;
  roles: readonly string[];
  permissions: readonly string[];
  /** Epoch seconds before which the user's tokens are revoked; `iat` never goes below it. */
  tokensValidAfter: number;
}

/** What to sign besides the subject. */
export interface TokenRequest {
  type: TokenType;
  ttlSeconds: number;
  jti?: string;
  sid?: string;
}

/** A signed token and the claims a caller needs to store or answer. */
export interface IssuedToken {
  token: string;
  jti: string;
  issuedAtSeconds: number;
  expiresAtSeconds: number;
}

/** Only access and API tokens carry the user's roles; the others grant nothing by themselves. */
const TYPES_WITH_AUTHORITY: ReadonlySet<TokenType> = new Set(['access', 'api_token']);

/** Signs every token the service issues and verifies the ones it takes back. */
@Injectable()
export class TokenService {
  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly signingKeys: SigningKeyService,
  ) {}

  /**
   * Publishes the current key long enough for tokens of `ttlSeconds` issued now. Call it
   * before a transaction that issues tokens, so the issue never needs a second pooled
   * connection while the transaction holds one.
   */
  async preparePublication(ttlSeconds: number): Promise<void> {
    await this.signingKeys.publishUntil(Math.floor(Date.now() / 1000) + ttlSeconds + 60);
  }

  async issue(subject: TokenSubject, request: TokenRequest): Promise<IssuedToken> {
    const jti = request.jti ?? randomUUID();
    const issuedAtSeconds = Math.max(Math.floor(Date.now() / 1000), subject.tokensValidAfter);
    const expiresAtSeconds = issuedAtSeconds + request.ttlSeconds;
    const withAuthority = TYPES_WITH_AUTHORITY.has(request.type);
    const key = this.signingKeys.current;

    await this.signingKeys.publishUntil(expiresAtSeconds);
    const token = await new SignJWT({
      email: subject.email,
      roles: withAuthority ? [...subject.roles] : [],
      permissions: withAuthority ? [...subject.permissions] : [],
      token_type: request.type,
      ...(request.sid ? { sid: request.sid } : {}),
    })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'JWT' })
      .setSubject(subject.id)
      .setJti(jti)
      .setIssuer(this.config.issuer)
      .setAudience(this.config.audience)
      .setIssuedAt(issuedAtSeconds)
      .setExpirationTime(expiresAtSeconds)
      .sign(key.privateKey);
    return { token, jti, issuedAtSeconds, expiresAtSeconds };
  }

  /**
   * The claims of one of the service's own tokens of type `type`, or `undefined` when the
   * token is malformed, forged, expired, of another type or for another audience.
   */
  async verify(token: string, type: TokenType): Promise<TokenClaims | undefined> {
    try {
      const { kid, alg } = decodeProtectedHeader(token);
      if (alg !== SIGNING_ALGORITHM || !kid) return undefined;
      const jwk = await this.signingKeys.verificationKey(kid);
      if (!jwk) return undefined;
      const { payload } = await jwtVerify(token, await importJWK(jwk, SIGNING_ALGORITHM), {
        algorithms: [SIGNING_ALGORITHM],
        issuer: this.config.issuer,
        audience: this.config.audience,
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
      });
      const claims = payload as unknown as TokenClaims;
      return claims.token_type === type ? claims : undefined;
    } catch {
      return undefined;
    }
  }
}
