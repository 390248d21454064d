import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

import { SecretHasher } from '../crypto/secret-hasher.service';
import type { UserEntity } from '../users/user.entity';
import type { SingleUsePurpose } from './single-use-token.entity';
import { TokenService } from './token.service';

/** The contract's lifetimes: verification 24 h, reset 30 min. */
const LIFETIME_SECONDS: Record<SingleUsePurpose, number> = {
  email_verification: 86_400,
  password_reset: 1_800,
};

/**
 * Email-verification and password-reset tokens: JWTs whose `jti` is a row holding the
 * token's keyed hash, consumed by one conditional UPDATE so a token works once.
 */
@Injectable()
export class SingleUseTokenService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly hasher: SecretHasher,
  ) {}

  /** Issues a token and retires the user's earlier unused ones of the same purpose. */
  async issue(user: UserEntity, purpose: SingleUsePurpose): Promise<string> {
    const issued = await this.tokens.issue(
      { ...user, permissions: [] },
      { type: purpose, ttlSeconds: LIFETIME_SECONDS[purpose] },
    );
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE single_use_tokens SET used_at = now()
         WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
        [user.id, purpose],
      );
      await manager.query(
        `INSERT INTO single_use_tokens (id, user_id, purpose, token_hash, expires_at)
         VALUES ($1, $2, $3, $4, to_timestamp($5))`,
        [
          issued.jti,
          user.id,
          purpose,
          this.hasher.hash(purpose, issued.token),
          issued.expiresAtSeconds,
        ],
      );
    });
    return issued.token;
  }

  /** The claims of a well-signed token of `purpose`, without consuming it. */
  peek(token: string, purpose: SingleUsePurpose) {
    return this.tokens.verify(token, purpose);
  }

  /** The user id of a valid, unused token of `purpose`, consuming it; else `undefined`. */
  async consume(token: string, purpose: SingleUsePurpose): Promise<string | undefined> {
    const claims = await this.tokens.verify(token, purpose);
    if (!claims) return undefined;
    return this.dataSource.transaction(async (manager) => {
      const rows: { user_id: string; token_hash: string }[] = await manager.query(
        `SELECT user_id, token_hash FROM single_use_tokens
         WHERE id = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
         FOR UPDATE`,
        [claims.jti, purpose],
      );
      const row = rows[0];
      if (
        !row ||
        row.user_id !== claims.sub ||
        !this.hasher.matches(purpose, token, row.token_hash)
      ) {
        return undefined;
      }
      await manager.query(`UPDATE single_use_tokens SET used_at = now() WHERE id = $1`, [
        claims.jti,
      ]);
      return row.user_id;
    });
  }
}
