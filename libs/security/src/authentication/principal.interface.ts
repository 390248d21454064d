import type { TokenType } from './token-claims.interface';

/**
 * The verified caller of a request, as injected by `@CurrentUser()`.
 *
 * Built from a token whose signature, issuer, audience, lifetime, type and revocation
 * state have all been checked.
 */
export interface Principal {
  userId: string;
  email: string;
  roles: readonly string[];
  permissions: readonly string[];
  tokenType: TokenType;
  /** The token's `jti`; for an API token this is also the token's id. */
  tokenId: string;
  sessionId?: string;
  issuedAtSeconds: number;
  expiresAtSeconds: number;
}
