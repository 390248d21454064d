import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ProblemException,
  RevocationService,
  SecurityEventLogger,
  permissionsOf,
} from '@msmebazaar/security';
import type { DataSource, EntityManager } from 'typeorm';

import { AUTH_CONFIG, type AuthConfig } from '../config/auth.config';
import { SecretHasher } from '../crypto/secret-hasher.service';
import { UserEntity } from '../users/user.entity';
import { TokenService } from '../tokens/token.service';

/** The contract's token pair. */
export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_expires_in: number;
}

/** Context of the HMAC of refresh tokens. */
const REFRESH_HASH_CONTEXT = 'refresh_token';

/** Why the presented refresh token cannot be used; all answer the same 401. */
function invalidRefreshToken(): ProblemException {
  return new ProblemException(
    401,
    'invalid-token',
    'Invalid token',
    'The refresh token is invalid.',
  );
}

/**
 * Sessions (refresh-token families) and their token pairs. A refresh consumes its token
 * with one conditional UPDATE, so of concurrent refreshes exactly one gets a new pair;
 * a consumed token presented again revokes the whole session.
 */
@Injectable()
export class SessionService {
  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly hasher: SecretHasher,
    private readonly revocation: RevocationService,
    private readonly events: SecurityEventLogger,
  ) {}

  /** Opens a session for a user who just authenticated and answers its first pair. */
  async start(user: UserEntity): Promise<TokenPair> {
    const sessionId = randomUUID();
    await this.tokens.preparePublication(this.config.refreshTokenTtlSeconds);
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO sessions (id, user_id, expires_at)
         VALUES ($1, $2, now() + make_interval(secs => $3))`,
        [sessionId, user.id, this.config.refreshTokenTtlSeconds],
      );
      return this.issuePair(manager, user, sessionId);
    });
  }

  /** Rotates a refresh token into a new pair. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const claims = await this.tokens.verify(refreshToken, 'refresh');
    if (!claims?.sid) throw invalidRefreshToken();
    await this.tokens.preparePublication(this.config.refreshTokenTtlSeconds);

    const outcome = await this.dataSource.transaction(async (manager) => {
      const consumed = await this.consume(manager, claims.jti, refreshToken);
      if (consumed.state !== 'consumed') return consumed;
      const user = await this.usableSessionUser(manager, consumed.sessionId, claims.iat);
      return {
        state: 'rotated' as const,
        pair: await this.issuePair(manager, user, consumed.sessionId, claims.jti),
      };
    });
    if (outcome.state === 'rotated') return outcome.pair;

    if (outcome.state === 'reused') await this.onReuse(outcome.sessionId, claims.jti, claims.sub);
    throw invalidRefreshToken();
  }

  /** Ends one session everywhere: no refresh, and its access tokens stop within 1 s. */
  async revokeSession(sessionId: string, reason: string, userId?: string): Promise<boolean> {
    const rows: [unknown[], number] = await this.dataSource.query(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
       WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
      [sessionId, reason],
    );
    await this.revocation.revokeSession(sessionId, this.accessTokenHorizon());
    if (rows[1] > 0) {
      await this.events.logTokenRevoked({
        userId,
        resource: 'session',
        details: { sid: sessionId, reason },
      });
    }
    return rows[1] > 0;
  }

  /** Revokes every open session of the user except `keepSessionId`. */
  async revokeOtherSessions(userId: string, keepSessionId: string | undefined, reason: string) {
    const open: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
       AND ($2::uuid IS NULL OR id <> $2::uuid)`,
      [userId, keepSessionId ?? null],
    );
    for (const { id } of open) await this.revokeSession(id, reason, userId);
  }

  /** Marks every session of the user revoked in the database (the cut-off does the rest). */
  async closeAllSessions(userId: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
       WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId, reason],
    );
  }

  /** Whether `sessionId` is an open session of `userId`. */
  async isOpenSessionOf(sessionId: string, userId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM sessions WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`,
      [sessionId, userId],
    );
    return rows.length > 0;
  }

  /** The claims of a refresh token this service issued, if valid. */
  async verifyRefreshToken(refreshToken: string) {
    return this.tokens.verify(refreshToken, 'refresh');
  }

  /**
   * Claims the refresh token row under a row lock, so concurrent refreshes queue and only
   * the first finds it unused; the stored hash is compared in constant time.
   */
  private async consume(
    manager: EntityManager,
    jti: string,
    refreshToken: string,
  ): Promise<
    | { state: 'consumed'; sessionId: string }
    | { state: 'reused'; sessionId: string }
    | { state: 'unknown' }
  > {
    const rows: { session_id: string; token_hash: string; used: boolean; live: boolean }[] =
      await manager.query(
        `SELECT session_id, token_hash, used_at IS NOT NULL AS used, expires_at > now() AS live
         FROM refresh_tokens WHERE id = $1 FOR UPDATE`,
        [jti],
      );
    const row = rows[0];
    if (!row || !this.hasher.matches(REFRESH_HASH_CONTEXT, refreshToken, row.token_hash)) {
      return { state: 'unknown' };
    }
    if (row.used) return { state: 'reused', sessionId: row.session_id };
    if (!row.live) return { state: 'unknown' };
    await manager.query(`UPDATE refresh_tokens SET used_at = now() WHERE id = $1`, [jti]);
    return { state: 'consumed', sessionId: row.session_id };
  }

  /** The session's user, if the session is open and the token predates no user-wide cut-off. */
  private async usableSessionUser(manager: EntityManager, sessionId: string, issuedAt: number) {
    const rows: { user_id: string }[] = await manager.query(
      `SELECT user_id FROM sessions WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()`,
      [sessionId],
    );
    const user =
      rows.length > 0
        ? await manager.findOne(UserEntity, { where: { id: rows[0].user_id } })
        : null;
    if (!user || !user.isActive || issuedAt < user.tokensValidAfter) throw invalidRefreshToken();
    return user;
  }

  /** A consumed token presented again means it leaked: end its session. */
  private async onReuse(sessionId: string, jti: string, userId: string): Promise<void> {
    await this.events.logTokenReuseDetected({
      userId,
      resource: 'session',
      action: 'refresh',
      details: { sid: sessionId, jti },
    });
    await this.revokeSession(sessionId, 'refresh_token_reuse', userId);
  }

  private async issuePair(
    manager: EntityManager,
    user: UserEntity,
    sessionId: string,
    replacesJti?: string,
  ): Promise<TokenPair> {
    const subject = { ...user, permissions: permissionsOf(user.roles) };
    const access = await this.tokens.issue(subject, {
      type: 'access',
      ttlSeconds: this.config.accessTokenTtlSeconds,
      sid: sessionId,
    });
    const refresh = await this.tokens.issue(subject, {
      type: 'refresh',
      ttlSeconds: this.config.refreshTokenTtlSeconds,
      sid: sessionId,
    });
    await manager.query(
      `INSERT INTO refresh_tokens (id, session_id, token_hash, expires_at)
       VALUES ($1, $2, $3, to_timestamp($4))`,
      [
        refresh.jti,
        sessionId,
        this.hasher.hash(REFRESH_HASH_CONTEXT, refresh.token),
        refresh.expiresAtSeconds,
      ],
    );
    await manager.query(`UPDATE sessions SET expires_at = to_timestamp($2) WHERE id = $1`, [
      sessionId,
      refresh.expiresAtSeconds,
    ]);
    if (replacesJti) {
      await manager.query(`UPDATE refresh_tokens SET replaced_by = $2 WHERE id = $1`, [
        replacesJti,
        refresh.jti,
      ]);
    }
    return {
      access_token: access.token,
      refresh_token: refresh.token,
      token_type: 'Bearer',
      expires_in: access.expiresAtSeconds - access.issuedAtSeconds,
      refresh_expires_in: refresh.expiresAtSeconds - refresh.issuedAtSeconds,
    };
  }

  /** How long a revoked session's access tokens could still live. */
  private accessTokenHorizon(): number {
    return Math.floor(Date.now() / 1000) + this.config.accessTokenTtlSeconds + 60;
  }
}
