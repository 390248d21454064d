import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';

import { UserEntity } from './user.entity';
import { normalizeEmail } from './user-response.dto';

/** What registration stores. */
export interface NewUser {
  email: string;
  passwordHash: string;
  fullName: string;
  userType: string;
  roles: string[];
  phone?: string | null;
  companyName?: string | null;
  gstNumber?: string | null;
  isVerified?: boolean;
}

/** The outcome of one failed login for an existing account. */
export interface FailedLoginOutcome {
  attempts: number;
  /** True for exactly the attempt that locked the account. */
  lockedNow: boolean;
}

/** Reads and writes `users`; every state change that races is one conditional statement. */
@Injectable()
export class UsersService {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOne({ where: { id } });
  }

  /** Looks up through the unique index on `lower(email)`. */
  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users
      .createQueryBuilder('user')
      .where('lower(user.email) = :email', { email: normalizeEmail(email) })
      .getOne();
  }

  /** The one active account with this phone number, if exactly one has it. */
  async findByPhone(phone: string): Promise<UserEntity | null> {
    const found = await this.users.find({ where: { phone, isActive: true }, take: 2 });
    return found.length === 1 ? found[0] : null;
  }

  /** Inserts the user unless the email is taken; `null` when it was (race-free). */
  async createIfAbsent(user: NewUser): Promise<UserEntity | null> {
    const rows: { id: string }[] = await this.users.query(
      `INSERT INTO users (email, password_hash, full_name, user_type, roles, phone, company_name,
                          gst_number, is_verified)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT ((lower(email))) DO NOTHING RETURNING id`,
      [
        normalizeEmail(user.email),
        user.passwordHash,
        user.fullName,
        user.userType,
        user.roles,
        user.phone ?? null,
        user.companyName ?? null,
        user.gstNumber ?? null,
        user.isVerified ?? false,
      ],
    );
    return rows.length > 0 ? this.findById(rows[0].id) : null;
  }

  /**
   * Counts a failed login and locks the account when the count reaches `maxAttempts`.
   * An account already locked is not counted, so parallel failures lock it exactly once;
   * the count starts again after a lock has run out.
   */
  async recordFailedLogin(
    userId: string,
    maxAttempts: number,
    lockSeconds: number,
  ): Promise<FailedLoginOutcome | null> {
    const [rows]: [{ failed_login_attempts: number; locked: boolean }[], number] =
      await this.users.query(
        `UPDATE users SET
           failed_login_attempts = CASE WHEN locked_until IS NOT NULL THEN 1
                                        ELSE failed_login_attempts + 1 END,
           locked_until = CASE
             WHEN (CASE WHEN locked_until IS NOT NULL THEN 1
                        ELSE failed_login_attempts + 1 END) >= $2
             THEN now() + make_interval(secs => $3) ELSE NULL END
         WHERE id = $1 AND (locked_until IS NULL OR locked_until <= now())
         RETURNING failed_login_attempts, locked_until IS NOT NULL AS locked`,
        [userId, maxAttempts, lockSeconds],
      );
    if (rows.length === 0) return null;
    return { attempts: rows[0].failed_login_attempts, lockedNow: rows[0].locked };
  }

  async recordSuccessfulLogin(userId: string): Promise<void> {
    await this.users.query(
      `UPDATE users SET failed_login_attempts = 0, locked_until = NULL, last_login = now()
       WHERE id = $1`,
      [userId],
    );
  }

  /** Marks the email verified; false when the account no longer exists. */
  async markVerified(userId: string): Promise<boolean> {
    const result = await this.users.update({ id: userId }, { isVerified: true });
    return (result.affected ?? 0) > 0;
  }

  async markPhoneVerified(userId: string): Promise<void> {
    await this.users.update({ id: userId }, { phoneVerified: true });
  }

  /** Sets the password and ends any failed-login lock (the caller proved control). */
  async setPassword(userId: string, passwordHash: string, clearLock: boolean): Promise<void> {
    await this.users.update(
      { id: userId },
      clearLock ? { passwordHash, failedLoginAttempts: 0, lockedUntil: null } : { passwordHash },
    );
  }

  /** Moves the user's revocation cut-off forward (never back). */
  async setTokensValidAfter(userId: string, validAfterSeconds: number): Promise<void> {
    await this.users.query(
      `UPDATE users SET tokens_valid_after = GREATEST(tokens_valid_after, $2) WHERE id = $1`,
      [userId, validAfterSeconds],
    );
  }

  async setActive(userId: string, isActive: boolean): Promise<void> {
    await this.users.update(
      { id: userId },
      isActive ? { isActive, failedLoginAttempts: 0, lockedUntil: null } : { isActive },
    );
  }

  async setRoles(userId: string, roles: string[]): Promise<void> {
    await this.users.update({ id: userId }, { roles });
  }

  /** One page of users, optionally only the one with `email` (exact, case-insensitive). */
  async page(page: number, limit: number, email?: string): Promise<[UserEntity[], number]> {
    const query = this.users
      .createQueryBuilder('user')
      .orderBy('user.createdAt', 'ASC')
      .addOrderBy('user.id', 'ASC')
      .skip((page - 1) * limit)
      .take(limit);
    if (email) query.where('lower(user.email) = :email', { email: normalizeEmail(email) });
    return query.getManyAndCount();
  }
}
