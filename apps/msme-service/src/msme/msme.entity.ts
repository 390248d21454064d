import {
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

import { Audited, bigintAsNumber } from '@msmebazaar/security';

/** An MSME business profile, owned by the user who created it. */
@Audited('msme')
@Entity({ name: 'msmes' })
export class Msme {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 100 })
  industry: string;

  @Column({ type: 'varchar', length: 100 })
  city: string;

  @Column({ type: 'varchar', length: 100 })
  state: string;

  /** Whole rupees. */
  @Column({ name: 'annual_revenue', type: 'bigint', transformer: bigintAsNumber })
  annualRevenue: number;

  @Column({ type: 'integer' })
  employees: number;

  @Column({ name: 'year_established', type: 'smallint' })
  yearEstablished: number;

  @Column({ name: 'gst_number', type: 'varchar', length: 15, nullable: true })
  gstNumber: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
