import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';

import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

import { ROLE_PERMISSIONS } from '@msmebazaar/security';

import { freePort } from './redis';

/** Serves a JWK set over HTTP on a free loopback port, as auth-service publishes its keys. */
export async function serveJwks(keys: JWK[]): Promise<{ server: Server; url: string }> {
  const body = JSON.stringify({ keys });
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(body);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${port}/.well-known/jwks.json` };
}

/** A user as the tokens describe them. */
export interface TestUser {
  userId: string;
  email: string;
  role: string;
  permissions: readonly string[];
}

/** A user of `role` with a fresh id and the role's permissions. */
export function testUser(role: keyof typeof ROLE_PERMISSIONS & string): TestUser {
  const userId = randomUUID();
  return {
    userId,
    email: `${role}.${userId.slice(0, 8)}@example.test`,
    role,
    permissions: ROLE_PERMISSIONS[role],
  };
}

/** What a signed token was made of, for revoking it later. */
export interface IssuedToken {
  token: string;
  jti: string;
  sid?: string;
  expiresAtSeconds: number;
}

/** Claims to override on one token. */
export interface TokenOverrides {
  token_type?: string;
  permissions?: readonly string[];
  roles?: readonly string[];
  sid?: string | null;
  iss?: string;
  aud?: string;
  iat?: number;
  expiresInSeconds?: number;
}

export const TEST_ISSUER = 'msmebazaar.com';
export const TEST_AUDIENCE = 'msmebazaar-api';

/**
 * Stands in for auth-service's signing side: an ES256 key pair and a JWKS served over
 * HTTP on a free port, so services verify tokens exactly as they would in production.
 */
export class TestTokenIssuer {
  private constructor(
    private readonly server: Server,
    private readonly privateKey: CryptoKey,
    readonly kid: string,
    readonly jwksUrl: string,
  ) {}

  static async start(): Promise<TestTokenIssuer> {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = randomUUID();
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
    const { server, url } = await serveJwks([jwk]);
    return new TestTokenIssuer(server, privateKey, kid, url);
  }

  /** An access token of `user`, in a session of its own unless `sid` is given. */
  async accessToken(user: TestUser, overrides: TokenOverrides = {}): Promise<IssuedToken> {
    return this.sign(user, { token_type: 'access', sid: randomUUID(), ...overrides });
  }

  /** An API token of `user` limited to `permissions`. */
  async apiToken(user: TestUser, permissions: readonly string[]): Promise<IssuedToken> {
    return this.sign(user, {
      token_type: 'api_token',
      permissions,
      sid: null,
      expiresInSeconds: 86_400,
    });
  }

  async sign(user: TestUser, overrides: TokenOverrides = {}): Promise<IssuedToken> {
    const iat = overrides.iat ?? Math.floor(Date.now() / 1000);
    const exp = iat + (overrides.expiresInSeconds ?? 900);
    const jti = randomUUID();
    const sid = overrides.sid === null ? undefined : overrides.sid;
    const claims: Record<string, unknown> = {
      email: user.email,
      roles: overrides.roles ?? [user.role],
      permissions: overrides.permissions ?? user.permissions,
      token_type: overrides.token_type ?? 'access',
      ...(sid && { sid }),
    };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: this.kid, typ: 'JWT' })
      .setSubject(user.userId)
      .setJti(jti)
      .setIssuer(overrides.iss ?? TEST_ISSUER)
      .setAudience(overrides.aud ?? TEST_AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.privateKey);
    return { token, jti, sid, expiresAtSeconds: exp };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
