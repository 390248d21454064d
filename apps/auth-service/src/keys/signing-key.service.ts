import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';

import { AUTH_CONFIG, type AuthConfig } from '../config/auth.config';
import { SigningKeyEntity } from './signing-key.entity';
import { loadSigningKey, SIGNING_ALGORITHM, type SigningKeyMaterial } from './signing-key.storage';

/** A published key as served in the JWKS. */
export interface PublicJwk {
  kty: string;
  crv: string;
  x: string;
  y: string;
  kid: string;
  alg: string;
  use: 'sig';
}

/**
 * Headroom added when a key's `signed_until` is pushed forward, so the row is written
 * about once an hour per instance rather than on every token.
 */
const PUBLISH_AHEAD_SECONDS = 3_600;

/**
 * Owns the current signing key and the set of published public keys.
 *
 * Public keys live in `signing_keys`: a key is served in the JWKS while it is the
 * current key of some instance or any token it signed may still be valid
 * (`signed_until`). Private keys never reach the database.
 */
@Injectable()
export class SigningKeyService implements OnModuleInit {
  private material!: SigningKeyMaterial;
  private publishedUntilSeconds = 0;
  private readonly verificationKeys = new Map<string, PublicJwk>();

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @InjectRepository(SigningKeyEntity) private readonly keys: Repository<SigningKeyEntity>,
  ) {}

  async onModuleInit(): Promise<void> {
    this.material = loadSigningKey(this.config.signingKey);
    await this.keys.query(
      `INSERT INTO signing_keys (kid, algorithm, public_jwk, signed_until)
       VALUES ($1, $2, $3, now()) ON CONFLICT (kid) DO NOTHING`,
      [this.material.kid, SIGNING_ALGORITHM, this.material.publicJwk],
    );
  }

  get current(): SigningKeyMaterial {
    return this.material;
  }

  /** Keeps the current key published until at least `expiresAtSeconds`. */
  async publishUntil(expiresAtSeconds: number): Promise<void> {
    if (expiresAtSeconds <= this.publishedUntilSeconds) return;
    const until = expiresAtSeconds + PUBLISH_AHEAD_SECONDS;
    await this.keys.query(
      `UPDATE signing_keys SET signed_until = GREATEST(signed_until, to_timestamp($2))
       WHERE kid = $1`,
      [this.material.kid, until],
    );
    this.publishedUntilSeconds = until;
  }

  /** The JWKS: this instance's key and every key whose tokens may still be valid. */
  async publishedKeys(): Promise<PublicJwk[]> {
    const rows = await this.keys.query(
      `SELECT kid, public_jwk FROM signing_keys
       WHERE kid = $1 OR signed_until > now() ORDER BY created_at DESC`,
      [this.material.kid],
    );
    return (rows as { kid: string; public_jwk: SigningKeyMaterial['publicJwk'] }[]).map((row) =>
      this.toPublicJwk(row.kid, row.public_jwk),
    );
  }

  /** The public key of `kid` for verifying the service's own tokens, or `undefined`. */
  async verificationKey(kid: string): Promise<PublicJwk | undefined> {
    const cached = this.verificationKeys.get(kid);
    if (cached) return cached;
    const row = await this.keys.findOne({ where: { kid } });
    if (!row) return undefined;
    const jwk = this.toPublicJwk(row.kid, row.publicJwk as SigningKeyMaterial['publicJwk']);
    this.verificationKeys.set(kid, jwk);
    return jwk;
  }

  private toPublicJwk(kid: string, jwk: SigningKeyMaterial['publicJwk']): PublicJwk {
    return {
      kty: jwk.kty,
      crv: jwk.crv,
      x: jwk.x,
      y: jwk.y,
      kid,
      alg: SIGNING_ALGORITHM,
      use: 'sig',
    };
  }
}
