import { Injectable } from '@nestjs/common';
import {
  ProblemException,
  RevocationService,
  SecurityEventLogger,
  ValidationFailedException,
  type Principal,
} from '@msmebazaar/security';

import { PasswordHasher } from '../crypto/password-hasher.service';
import { MailService } from '../mail/mail.service';
import { passwordProblem } from '../passwords/password-policy.decorator';
import { SessionService } from '../sessions/session.service';
import { UserTokenRevoker } from '../sessions/user-token-revoker.service';
import { SingleUseTokenService } from '../tokens/single-use-token.service';
import { UsersService } from '../users/users.service';
import type { RegisterDto } from './dto/auth.dto';

/** An invalid, expired or already used verification or reset token (400). */
function invalidSingleUseToken(): ProblemException {
  return new ProblemException(
    400,
    'invalid-token',
    'Invalid token',
    'The token is invalid, expired or already used.',
  );
}

/**
 * Registration, email verification and the password lifecycle. Answers never depend on
 * whether an email is registered; what differs is only the mail that goes out.
 */
@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly singleUse: SingleUseTokenService,
    private readonly sessions: SessionService,
    private readonly revoker: UserTokenRevoker,
    private readonly revocation: RevocationService,
    private readonly mail: MailService,
    private readonly events: SecurityEventLogger,
  ) {}

  async register(dto: RegisterDto): Promise<void> {
    // Hashing before the lookup makes both outcomes cost the same.
    const passwordHash = await this.passwords.hash(dto.password);
    const created = await this.users.createIfAbsent({
      email: dto.email,
      passwordHash,
      fullName: dto.full_name,
      userType: dto.user_type,
      roles: [dto.user_type],
      phone: dto.phone,
      companyName: dto.company_name,
      gstNumber: dto.gst_number,
    });
    if (created) {
      this.mail.defer('verification', async () => {
        const token = await this.singleUse.issue(created, 'email_verification');
        this.mail.sendVerification(created.email, created.fullName, token);
      });
      return;
    }
    const existing = await this.users.findByEmail(dto.email);
    if (existing) this.mail.sendRegistrationAttempt(existing.email, existing.fullName);
  }

  async verifyEmail(token: string): Promise<void> {
    const userId = await this.singleUse.consume(token, 'email_verification');
    if (!userId || !(await this.users.markVerified(userId))) throw invalidSingleUseToken();
  }

  async resendVerification(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || user.isVerified || !user.isActive) return;
    this.mail.defer('verification', async () => {
      const token = await this.singleUse.issue(user, 'email_verification');
      this.mail.sendVerification(user.email, user.fullName, token);
    });
  }

  async forgotPassword(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || !user.isActive) return;
    this.mail.defer('password_reset', async () => {
      const token = await this.singleUse.issue(user, 'password_reset');
      this.mail.sendPasswordReset(user.email, user.fullName, token);
    });
  }

  /** Sets a new password from a reset token and ends every session of the user. */
  async resetPassword(token: string, newPassword: string): Promise<void> {
    const claims = await this.singleUsePeek(token);
    const problem = passwordProblem(newPassword, claims?.email);
    if (problem)
      throw new ValidationFailedException([
        { field: 'new_password', message: `new_password ${problem}` },
      ]);

    const userId = await this.singleUse.consume(token, 'password_reset');
    const user = userId ? await this.users.findById(userId) : null;
    if (!user) throw invalidSingleUseToken();

    await this.users.setPassword(user.id, await this.passwords.hash(newPassword), true);
    await this.revoker.revokeAll(user.id, 'password_reset');
  }

  /** Changes the caller's password; the current session stays, the others end. */
  async changePassword(
    caller: Principal,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    const user = await this.users.findById(caller.userId);
    if (!user)
      throw new ProblemException(
        401,
        'invalid-token',
        'Invalid token',
        'The account no longer exists.',
      );
    if (!(await this.passwords.verify(user.passwordHash, currentPassword))) {
      throw new ValidationFailedException([
        { field: 'current_password', message: 'current_password is incorrect' },
      ]);
    }
    const problem =
      passwordProblem(newPassword, user.email) ??
      (newPassword === currentPassword ? 'must differ from the current password' : undefined);
    if (problem)
      throw new ValidationFailedException([
        { field: 'new_password', message: `new_password ${problem}` },
      ]);

    await this.users.setPassword(user.id, await this.passwords.hash(newPassword), false);
    await this.sessions.revokeOtherSessions(user.id, caller.sessionId, 'password_change');
  }

  /** Revokes the presented access token and its session, and a refresh token of the caller's. */
  async logout(caller: Principal, refreshToken?: string): Promise<void> {
    await this.revocation.revokeToken(caller.tokenId, caller.expiresAtSeconds);
    await this.events.logTokenRevoked({
      userId: caller.userId,
      resource: 'access_token',
      action: 'logout',
      details: { jti: caller.tokenId },
    });
    if (caller.sessionId)
      await this.sessions.revokeSession(caller.sessionId, 'logout', caller.userId);

    const refreshClaims = refreshToken
      ? await this.sessions.verifyRefreshToken(refreshToken)
      : undefined;
    if (
      refreshClaims?.sid &&
      refreshClaims.sub === caller.userId &&
      refreshClaims.sid !== caller.sessionId
    ) {
      await this.sessions.revokeSession(refreshClaims.sid, 'logout', caller.userId);
    }
  }

  async logoutAll(caller: Principal): Promise<void> {
    await this.revoker.revokeAll(caller.userId, 'logout_all');
  }

  /** The claims of a reset token without consuming it, to check the new password first. */
  private singleUsePeek(token: string) {
    return this.singleUse.peek(token, 'password_reset');
  }
}
