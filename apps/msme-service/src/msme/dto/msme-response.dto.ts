import { ApiProperty } from '@nestjs/swagger';

import type { Msme } from '../msme.entity';

/** An MSME as the API answers it. */
export class MsmeResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  owner_id: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  industry: string;

  @ApiProperty()
  city: string;

  @ApiProperty()
  state: string;

  @ApiProperty({ type: 'integer', description: 'Whole rupees' })
  annual_revenue: number;

  @ApiProperty({ type: 'integer' })
  employees: number;

  @ApiProperty({ type: 'integer' })
  year_established: number;

  @ApiProperty({ type: String, nullable: true })
  gst_number: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  updated_at: string;

  static from(msme: Msme): MsmeResponseDto {
    return {
      id: msme.id,
      owner_id: msme.ownerId,
      name: msme.name,
      industry: msme.industry,
      city: msme.city,
      state: msme.state,
      annual_revenue: msme.annualRevenue,
      employees: msme.employees,
      year_established: msme.yearEstablished,
      gst_number: msme.gstNumber,
      created_at: msme.createdAt.toISOString(),
      updated_at: msme.updatedAt.toISOString(),
    };
  }
}

/** One page of MSMEs. */
export class MsmePageDto {
  @ApiProperty({ type: [MsmeResponseDto] })
  items: MsmeResponseDto[];

  @ApiProperty({ type: 'integer' })
  total: number;

  @ApiProperty({ type: 'integer' })
  page: number;

  @ApiProperty({ type: 'integer' })
  limit: number;
}
