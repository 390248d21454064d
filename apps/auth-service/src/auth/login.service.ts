import { Inject, Injectable } from '@nestjs/common';
import {
  ProblemException,
  RequestContext,
  SecurityEventLogger,
  SecurityMetrics,
} from '@msmebazaar/security';

import { AUTH_CONFIG, type AuthConfig } from '../config/auth.config';
import { PasswordHasher } from '../crypto/password-hasher.service';
import type { UserEntity } from '../users/user.entity';
import { MailService } from '../mail/mail.service';
import { SessionService, type TokenPair } from '../sessions/session.service';
import { UsersService } from '../users/users.service';
import { IpAutoBlockService } from './ip-auto-block.service';

/** The one answer for an unknown email, a wrong password and a locked account. */
export function invalidCredentials(): ProblemException {
  return new ProblemException(
    401,
    'invalid-credentials',
    'Invalid credentials',
    'The email or password is incorrect.',
  );
}

/** A correct password on an account whose email is not verified yet. */
export function emailNotVerified(): ProblemException {
  return new ProblemException(
    403,
    'email-not-verified',
    'Email not verified',
    'Verify your email address before logging in.',
  );
}

/**
 * Password login with lockout. Every path runs one argon2 verification, so the answer
 * takes about as long whether the email exists, the password is wrong or the account
 * is locked; all three answer the same 401.
 */
@Injectable()
export class LoginService {
  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly mail: MailService,
    private readonly events: SecurityEventLogger,
    private readonly metrics: SecurityMetrics,
    private readonly ipAutoBlock: IpAutoBlockService,
  ) {}

  async login(email: string, password: string): Promise<TokenPair> {
    const user = await this.users.findByEmail(email);
    if (!user) {
      await this.passwords.verifyDummy(password);
      throw await this.fail(undefined, 'unknown_email');
    }

    const passwordMatches = await this.passwords.verify(user.passwordHash, password);
    if (!user.isActive || this.isLocked(user)) throw await this.fail(user.id, 'account_locked');
    if (!passwordMatches) {
      await this.countFailure(user);
      throw await this.fail(user.id, 'wrong_password');
    }
    if (!user.isVerified) {
      await this.events.logAuthFailure({
        userId: user.id,
        action: 'login',
        details: { reason: 'email_not_verified' },
      });
      this.metrics.authAttempt('failure');
      throw emailNotVerified();
    }
    return this.succeed(user);
  }

  /** Opens a session for a user who proved who they are (password or OTP). */
  async succeed(user: UserEntity, method = 'password'): Promise<TokenPair> {
    await this.users.recordSuccessfulLogin(user.id);
    const pair = await this.sessions.start(user);
    this.metrics.authAttempt('success');
    await this.events.logAuthSuccess({ userId: user.id, action: 'login', details: { method } });
    return pair;
  }

  isLocked(user: UserEntity): boolean {
    return user.lockedUntil !== null && user.lockedUntil.getTime() > Date.now();
  }

  private async countFailure(user: UserEntity): Promise<void> {
    const { maxFailedLogins, lockSeconds } = this.config.lockout;
    const outcome = await this.users.recordFailedLogin(user.id, maxFailedLogins, lockSeconds);
    if (!outcome?.lockedNow) return;
    await this.events.logAccountLocked({
      userId: user.id,
      action: 'lockout',
      details: { failed_logins: outcome.attempts, lock_seconds: lockSeconds },
    });
    this.mail.sendAccountLocked(user.email, user.fullName, lockSeconds);
  }

  private async fail(userId: string | undefined, reason: string): Promise<ProblemException> {
    this.metrics.authAttempt('failure');
    await this.events.logAuthFailure({ userId, action: 'login', details: { reason } });
    await this.ipAutoBlock.recordFailedLogin(RequestContext.current()?.clientIp);
    return invalidCredentials();
  }
}
