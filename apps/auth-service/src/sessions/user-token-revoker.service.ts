import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RevocationService, SecurityEventLogger } from '@msmebazaar/security';
import type { DataSource } from 'typeorm';

import { UsersService } from '../users/users.service';
import { SessionService } from './session.service';

/**
 * Ends every token a user holds: the library's per-user cut-off (effective on all
 * services within a second), the same cut-off stored on the user so new tokens are
 * signed after it, and every session and API token closed in the database.
 */
@Injectable()
export class UserTokenRevoker {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly revocation: RevocationService,
    private readonly sessions: SessionService,
    private readonly users: UsersService,
    private readonly events: SecurityEventLogger,
  ) {}

  async revokeAll(userId: string, reason: string): Promise<void> {
    const validAfterSeconds = await this.revocation.revokeUserTokensBefore(userId);
    await this.users.setTokensValidAfter(userId, validAfterSeconds);
    await this.sessions.closeAllSessions(userId, reason);
    await this.dataSource.query(
      `UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId],
    );
    await this.events.logTokenRevoked({
      userId,
      resource: 'user_tokens',
      action: reason,
      details: { valid_after: new Date(validAfterSeconds * 1000).toISOString() },
    });
  }
}
