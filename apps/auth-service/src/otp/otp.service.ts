import { randomInt } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DependencyUnavailableException,
  ProblemException,
  SecurityEventLogger,
} from '@msmebazaar/security';
import type { DataSource } from 'typeorm';

import { LoginService, emailNotVerified } from '../auth/login.service';
import { SecretHasher } from '../crypto/secret-hasher.service';
import type { UserEntity } from '../users/user.entity';
import { MailService } from '../mail/mail.service';
import type { TokenPair } from '../sessions/session.service';
import { SMS_SENDER, type SmsSender } from '../sms/sms-sender.interface';
import { normalizeEmail } from '../users/user-response.dto';
import { UsersService } from '../users/users.service';

export type OtpChannel = 'email' | 'sms';
export type OtpPurpose = 'login' | 'verify_phone';

/** The contract: 6 digits, 5 minutes, 5 wrong guesses. */
const OTP_TTL_SECONDS = 300;
const OTP_MAX_ATTEMPTS = 5;

/** Where a code goes and what it is for. */
export interface OtpTarget {
  channel: OtpChannel;
  destination: string;
  purpose: OtpPurpose;
}

function smsText(code: string): string {
  return `Your MSMEBazaar code is ${code}. It expires in 5 minutes.`;
}

function invalidOtp(): ProblemException {
  return new ProblemException(
    401,
    'invalid-otp',
    'Invalid code',
    'The code is wrong, expired or used up.',
  );
}

/**
 * One-time codes by mail or SMS. A code is stored only as a keyed hash bound to its
 * channel, destination and purpose; a new code replaces the unused ones before it.
 * A destination with no matching account gets the same 202 and no code.
 */
@Injectable()
export class OtpService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: SecretHasher,
    private readonly users: UsersService,
    private readonly login: LoginService,
    private readonly mail: MailService,
    @Inject(SMS_SENDER) private readonly sms: SmsSender,
    private readonly events: SecurityEventLogger,
  ) {}

  async send(target: OtpTarget): Promise<void> {
    const normalized = this.normalize(target);
    if (normalized.channel === 'sms' && !this.sms.configured) {
      throw new DependencyUnavailableException('sms');
    }
    const user = await this.recipientOf(normalized);
    if (!user) return;

    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE otp_codes SET used_at = now()
         WHERE channel = $1 AND destination = $2 AND purpose = $3 AND used_at IS NULL`,
        [normalized.channel, normalized.destination, normalized.purpose],
      );
      await manager.query(
        `INSERT INTO otp_codes (channel, destination, purpose, user_id, code_hash, expires_at)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))`,
        [
          normalized.channel,
          normalized.destination,
          normalized.purpose,
          user.id,
          this.hasher.hash(this.hashContext(normalized), code),
          OTP_TTL_SECONDS,
        ],
      );
    });
    if (normalized.channel === 'email') this.mail.sendOtp(normalized.destination, code);
    else this.mail.defer('sms_otp', () => this.sms.send(normalized.destination, smsText(code)));
  }

  /** Checks a code; a token pair for `login`, `undefined` for `verify_phone`. */
  async verify(target: OtpTarget, code: string): Promise<TokenPair | undefined> {
    const normalized = this.normalize(target);
    const userId = await this.consume(normalized, code);
    const user = userId ? await this.users.findById(userId) : null;
    if (!user || !user.isActive) throw invalidOtp();

    if (normalized.purpose === 'verify_phone') {
      await this.users.markPhoneVerified(user.id);
      return undefined;
    }
    if (this.login.isLocked(user)) throw invalidOtp();
    if (!user.isVerified) throw emailNotVerified();
    return this.login.succeed(user, `otp_${normalized.channel}`);
  }

  /**
   * Spends one guess on the newest live code, under a row lock so parallel guesses queue:
   * the right code consumes it, a wrong one counts, and the fifth wrong guess uses it up.
   */
  private async consume(target: OtpTarget, code: string): Promise<string | undefined> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const rows: { id: string; user_id: string; code_hash: string; attempts: number }[] =
        await manager.query(
          `SELECT id, user_id, code_hash, attempts FROM otp_codes
           WHERE channel = $1 AND destination = $2 AND purpose = $3
             AND used_at IS NULL AND expires_at > now() AND attempts < $4
           ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
          [target.channel, target.destination, target.purpose, OTP_MAX_ATTEMPTS],
        );
      const row = rows[0];
      if (!row) return undefined;
      const matched = this.hasher.matches(this.hashContext(target), code, row.code_hash);
      await manager.query(
        `UPDATE otp_codes SET attempts = attempts + $2,
           used_at = CASE WHEN $3 OR attempts + $2 >= $4 THEN now() ELSE NULL END
         WHERE id = $1`,
        [row.id, matched ? 0 : 1, matched, OTP_MAX_ATTEMPTS],
      );
      return { userId: row.user_id, matched };
    });
    if (outcome && !outcome.matched) {
      await this.events.logAuthFailure({
        userId: outcome.userId,
        action: 'otp_verify',
        details: { channel: target.channel },
      });
    }
    return outcome?.matched ? outcome.userId : undefined;
  }

  private async recipientOf(target: OtpTarget): Promise<UserEntity | null> {
    const user =
      target.channel === 'email'
        ? await this.users.findByEmail(target.destination)
        : await this.users.findByPhone(target.destination);
    return user?.isActive ? user : null;
  }

  private normalize(target: OtpTarget): OtpTarget {
    return {
      ...target,
      destination:
        target.channel === 'email' ? normalizeEmail(target.destination) : target.destination.trim(),
    };
  }

  /** Binds a code's hash to where it was sent and what for. */
  private hashContext(target: OtpTarget): string {
    return `otp:${target.channel}:${target.destination}:${target.purpose}`;
  }
}
