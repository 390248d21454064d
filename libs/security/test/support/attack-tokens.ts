import { createHmac, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';

import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK } from 'jose';

import { serveJwks } from '../../../../test/support/tokens';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Claims of a well-formed access token for `userId`. */
export function accessClaims(userId: string, overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: userId,
    email: 'attack@example.test',
    roles: ['msme_owner'],
    permissions: ['msme.read'],
    token_type: 'access',
    jti: randomUUID(),
    sid: randomUUID(),
    iss: 'msmebazaar.com',
    aud: 'msmebazaar-api',
    iat: now,
    exp: now + 600,
    ...overrides,
  };
}

/**
 * A signer with its own JWKS server, able to produce the malformed and forged tokens of
 * the JWT attack list as well as good ones.
 */
export class AttackSigner {
  private constructor(
    private readonly server: Server,
    private readonly privateKey: CryptoKey,
    private readonly publicPem: string,
    readonly kid: string,
    readonly jwksUrl: string,
  ) {}

  static async start(): Promise<AttackSigner> {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = `key-${randomUUID()}`;
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
    const { server, url } = await serveJwks([jwk]);
    return new AttackSigner(server, privateKey, await exportSPKI(publicKey), kid, url);
  }

  /** A correctly signed token with these claims and header fields. */
  sign(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: this.kid, typ: 'JWT', ...header })
      .sign(this.privateKey);
  }

  /** A token signed by another key under a `kid` of our choosing. */
  async signWithForeignKey(claims: Record<string, unknown>, kid: string): Promise<string> {
    const { privateKey } = await generateKeyPair('ES256');
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .sign(privateKey);
  }

  /** The classic confusion attack: HS256 with the public key as the HMAC secret. */
  hs256WithPublicKey(claims: Record<string, unknown>): string {
    const signingInput = `${b64({ alg: 'HS256', kid: this.kid, typ: 'JWT' })}.${b64(claims)}`;
    const signature = createHmac('sha256', this.publicPem).update(signingInput).digest('base64url');
    return `${signingInput}.${signature}`;
  }

  unsigned(claims: Record<string, unknown>): string {
    return `${b64({ alg: 'none', kid: this.kid, typ: 'JWT' })}.${b64(claims)}.`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
