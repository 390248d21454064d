import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Purposes of single-use tokens. */
export type SingleUsePurpose = 'email_verification' | 'password_reset';

/** An email-verification or password-reset token; `id` is the token's `jti`. */
@Entity('single_use_tokens')
export class SingleUseTokenEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 30 })
  purpose: SingleUsePurpose;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}
