import { Injectable } from '@nestjs/common';

import type { TokenClaims } from '../authentication/token-claims.interface';
import { SecurityStateStorage } from '../state/security-state.storage';

/** Why a verified token is no longer accepted. */
export type RevocationReason = 'token' | 'session' | 'user_tokens' | 'user_locked';

/**
 * Revokes tokens, sessions and users' tokens on every service at once, and answers
 * whether a token is revoked (from the local mirror: no Redis round trip).
 */
@Injectable()
export class RevocationService {
  constructor(private readonly state: SecurityStateStorage) {}

  /** Revokes one token until it would have expired anyway. */
  async revokeToken(jti: string, expiresAtSeconds: number): Promise<void> {
    await this.state.write('revoke-jti', jti, String(expiresAtSeconds * 1000));
  }

  /** Revokes every token of a session (refresh-token family) until `expiresAtSeconds`. */
  async revokeSession(sid: string, expiresAtSeconds: number): Promise<void> {
    await this.state.write('revoke-sid', sid, String(expiresAtSeconds * 1000));
  }

  /**
   * Revokes every token of `userId` issued so far.
   *
   * @returns the first `iat` (seconds) accepted from now on; the issuer must sign the
   * user's new tokens with an `iat` at least this, which may be up to a second ahead.
   */
  async revokeUserTokensBefore(userId: string): Promise<number> {
    return Number(await this.state.write('valid-after', userId));
  }

  /** Refuses every token of `userId` until {@link unlockUser}. */
  async lockUser(userId: string): Promise<void> {
    await this.state.write('lock', userId);
  }

  async unlockUser(userId: string): Promise<void> {
    await this.state.write('unlock', userId);
  }

  /**
   * Why the token is revoked, or `null` when it is not.
   *
   * @throws DependencyUnavailableException while the shared state cannot be trusted.
   */
  revocationOf(claims: Pick<TokenClaims, 'jti' | 'sid' | 'sub' | 'iat'>): RevocationReason | null {
    this.state.assertReady();
    if (this.state.isTokenRevoked(claims.jti)) return 'token';
    if (claims.sid && this.state.isSessionRevoked(claims.sid)) return 'session';
    if (claims.iat < this.state.validAfterOf(claims.sub)) return 'user_tokens';
    if (this.state.isUserLocked(claims.sub)) return 'user_locked';
    return null;
  }
}
