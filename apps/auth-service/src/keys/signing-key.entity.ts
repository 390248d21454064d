import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A public signing key; the private half never leaves the key source. */
@Entity('signing_keys')
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid: string;

  @Column({ type: 'varchar', length: 10 })
  algorithm: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** The latest `exp` of any token signed with the key; it stays published until then. */
  @Column({ name: 'signed_until', type: 'timestamptz' })
  signedUntil: Date;
}
