import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { Audited, bigintAsNumber } from '@msmebazaar/security';

import type { ValuationResult } from './valuation-method';

/** One valuation of an MSME, with the method and every input that produced it. */
@Audited('valuation')
@Entity({ name: 'valuations' })
export class Valuation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'msme_id', type: 'uuid' })
  msmeId: string;

  /** The MSME's owner, who may read the valuation whoever asked for it. */
  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @Column({ name: 'requested_by', type: 'uuid' })
  requestedBy: string;

  @Column({ type: 'varchar', length: 32 })
  method: ValuationResult['method'];

  @Column({ name: 'value_inr', type: 'bigint', transformer: bigintAsNumber })
  valueInr: number;

  @Column({ name: 'low_inr', type: 'bigint', transformer: bigintAsNumber })
  lowInr: number;

  @Column({ name: 'high_inr', type: 'bigint', transformer: bigintAsNumber })
  highInr: number;

  @Column({ type: 'jsonb' })
  inputs: ValuationResult['inputs'];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
