import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  type ValueTransformer,
} from 'typeorm';

/** Postgres returns bigint as a string; epoch seconds fit a JS number exactly. */
const epochSeconds: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** A registered account. Emails are stored trimmed and lower-cased. */
@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Unique on `lower(email)` (see the migration). */
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column({ name: 'full_name', type: 'varchar', length: 200 })
  fullName: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  phone: string | null;

  @Column({ name: 'phone_verified', type: 'boolean', default: false })
  phoneVerified: boolean;

  @Column({ name: 'user_type', type: 'varchar', length: 20 })
  userType: string;

  @Column({ type: 'text', array: true })
  roles: string[];

  @Column({ name: 'company_name', type: 'varchar', length: 200, nullable: true })
  companyName: string | null;

  @Column({ name: 'gst_number', type: 'varchar', length: 15, nullable: true })
  gstNumber: string | null;

  @Column({ name: 'is_verified', type: 'boolean', default: false })
  isVerified: boolean;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;

  @Column({ name: 'failed_login_attempts', type: 'integer', default: 0 })
  failedLoginAttempts: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  /** Tokens of this user with `iat` below this (epoch seconds) are revoked. */
  @Column({ name: 'tokens_valid_after', type: 'bigint', default: 0, transformer: epochSeconds })
  tokensValidAfter: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_login', type: 'timestamptz', nullable: true })
  lastLogin: Date | null;
}
