import { ApiProperty } from '@nestjs/swagger';

import type { Valuation } from '../valuation.entity';

/** The figures a valuation was computed from. */
export class ValuationInputsDto {
  @ApiProperty({ example: 'multiples-v1' })
  method_version: string;

  @ApiProperty()
  industry: string;

  @ApiProperty({ description: 'Sector the industry was mapped to', example: 'manufacturing' })
  sector: string;

  @ApiProperty({ type: 'integer', description: 'Whole rupees, as read from msme-service' })
  annual_revenue: number;

  @ApiProperty({ type: 'integer', nullable: true })
  ebitda: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Percent' })
  growth_rate: number | null;

  @ApiProperty({ description: 'The EBITDA or revenue multiple applied', example: 6 })
  multiple: number;

  @ApiProperty({ description: 'Growth adjustment applied to the base', example: 1.0625 })
  growth_factor: number;

  @ApiProperty({ description: 'Half-width of the low/high range in percent', example: 15 })
  range_percent: number;
}

/** A valuation as the API answers it. */
export class ValuationResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  msme_id: string;

  @ApiProperty({ format: 'uuid', description: "The MSME's owner" })
  owner_id: string;

  @ApiProperty({ enum: ['ebitda_multiple', 'revenue_multiple'] })
  method: string;

  @ApiProperty({ type: 'integer', description: 'Whole rupees' })
  value_inr: number;

  @ApiProperty({ type: 'integer', description: 'Whole rupees, <= value_inr' })
  low_inr: number;

  @ApiProperty({ type: 'integer', description: 'Whole rupees, >= value_inr' })
  high_inr: number;

  @ApiProperty({ type: ValuationInputsDto })
  inputs: ValuationInputsDto;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  static from(valuation: Valuation): ValuationResponseDto {
    return {
      id: valuation.id,
      msme_id: valuation.msmeId,
      owner_id: valuation.ownerId,
      method: valuation.method,
      value_inr: valuation.valueInr,
      low_inr: valuation.lowInr,
      high_inr: valuation.highInr,
      inputs: valuation.inputs,
      created_at: valuation.createdAt.toISOString(),
    };
  }
}
