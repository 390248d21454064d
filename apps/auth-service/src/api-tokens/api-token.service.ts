import { randomUUID } from 'node:crypto';

import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  RevocationService,
  SecurityEventLogger,
  ValidationFailedException,
  type Principal,
} from '@msmebazaar/security';
import { IsNull, MoreThan, type Repository } from 'typeorm';

import { SecretHasher } from '../crypto/secret-hasher.service';
import { ApiTokenEntity } from './api-token.entity';
import { TokenService } from '../tokens/token.service';
import { UsersService } from '../users/users.service';

/** The contract: 90 days unless asked, at most 365. */
export const DEFAULT_API_TOKEN_DAYS = 90;

/** An API token as listed. */
export interface ApiTokenView {
  id: string;
  name: string;
  permissions: string[];
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
}

/** The answer of a creation: the only time the token itself is shown. */
export interface CreatedApiToken {
  id: string;
  name: string;
  token: string;
  permissions: string[];
  expires_at: string;
}

/**
 * API tokens: JWTs of type `api_token` carrying a subset of the owner's permissions,
 * stored as a keyed hash. Deleting one revokes its `jti` on every service.
 */
@Injectable()
export class ApiTokenService {
  constructor(
    @InjectRepository(ApiTokenEntity) private readonly apiTokens: Repository<ApiTokenEntity>,
    private readonly tokens: TokenService,
    private readonly hasher: SecretHasher,
    private readonly users: UsersService,
    private readonly revocation: RevocationService,
    private readonly events: SecurityEventLogger,
  ) {}

  async create(
    caller: Principal,
    name: string,
    permissions: string[],
    expiresInDays = DEFAULT_API_TOKEN_DAYS,
  ): Promise<CreatedApiToken> {
    const outside = permissions.filter((permission) => !caller.permissions.includes(permission));
    if (outside.length > 0) {
      throw new ValidationFailedException([
        {
          field: 'permissions',
          message: `permissions not held by the caller: ${outside.join(', ')}`,
        },
      ]);
    }
    const user = await this.users.findById(caller.userId);
    if (!user) throw new NotFoundException('User not found');

    const unique = [...new Set(permissions)].sort();
    const issued = await this.tokens.issue(
      { ...user, permissions: unique },
      { type: 'api_token', ttlSeconds: expiresInDays * 86_400, jti: randomUUID() },
    );
    const expiresAt = new Date(issued.expiresAtSeconds * 1000);
    await this.apiTokens.insert({
      id: issued.jti,
      userId: user.id,
      name,
      permissions: unique,
      tokenHash: this.hasher.hash('api_token', issued.token),
      expiresAt,
    });
    return {
      id: issued.jti,
      name,
      token: issued.token,
      permissions: unique,
      expires_at: expiresAt.toISOString(),
    };
  }

  async list(userId: string): Promise<ApiTokenView[]> {
    const rows = await this.apiTokens.find({
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { createdAt: 'DESC' },
    });
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      permissions: row.permissions,
      created_at: row.createdAt.toISOString(),
      expires_at: row.expiresAt.toISOString(),
      last_used_at: row.lastUsedAt?.toISOString() ?? null,
    }));
  }

  /** Revokes one of the caller's tokens; someone else's answers 404 like a missing one. */
  async delete(userId: string, id: string): Promise<void> {
    const [rows]: [{ expires_at: Date }[], number] = await this.apiTokens.query(
      `UPDATE api_tokens SET revoked_at = now()
       WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING expires_at`,
      [id, userId],
    );
    if (rows.length === 0) throw new NotFoundException('API token not found');
    await this.revocation.revokeToken(id, Math.ceil(new Date(rows[0].expires_at).getTime() / 1000));
    await this.events.logTokenRevoked({
      userId,
      resource: 'api_token',
      action: 'delete',
      details: { api_token_id: id },
    });
  }
}
