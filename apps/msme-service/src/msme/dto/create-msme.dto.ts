import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
} from 'class-validator';

import { IsGstin } from '@msmebazaar/security';

/** Whole rupees; ₹1 lakh crore is far above any MSME and far below float precision. */
export const MAX_ANNUAL_REVENUE_INR = 1_000_000_000_000;
export const MAX_EMPLOYEES = 1_000_000;
export const MIN_YEAR_ESTABLISHED = 1800;

/** At least one visible character and no control characters (Postgres refuses NUL). */
const PRINTABLE_TEXT = /^(?=.*\S)[^\p{Cc}]+$/u;

const Text = (maxLength: number) =>
  applyDecorators(
    IsString(),
    MaxLength(maxLength),
    Matches(PRINTABLE_TEXT, {
      message: '$property must be non-blank text without control characters',
    }),
  );

/** Checked on every request rather than at start, so a service running over New Year follows. */
const NotAfterCurrentYear = (): PropertyDecorator =>
  ValidateBy({
    name: 'notAfterCurrentYear',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'number' && value <= new Date().getUTCFullYear(),
      defaultMessage: () => '$property must not be in the future',
    },
  });

/** Body of `POST /api/msme`. */
export class CreateMsmeDto {
  @ApiProperty({ example: 'Shakti Precision Tools', maxLength: 200 })
  @Text(200)
  name: string;

  @ApiProperty({
    example: 'Precision engineering',
    maxLength: 100,
    description: 'Free text; valuation-service maps it to a sector by keyword.',
  })
  @Text(100)
  industry: string;

  @ApiProperty({ example: 'Pune', maxLength: 100 })
  @Text(100)
  city: string;

  @ApiProperty({ example: 'Maharashtra', maxLength: 100 })
  @Text(100)
  state: string;

  @ApiProperty({
    description: 'Annual revenue in whole rupees',
    example: 45_000_000,
    minimum: 0,
    maximum: MAX_ANNUAL_REVENUE_INR,
    type: 'integer',
  })
  @IsInt()
  @Min(0)
  @Max(MAX_ANNUAL_REVENUE_INR)
  annual_revenue: number;

  @ApiProperty({ example: 42, minimum: 0, maximum: MAX_EMPLOYEES, type: 'integer' })
  @IsInt()
  @Min(0)
  @Max(MAX_EMPLOYEES)
  employees: number;

  @ApiProperty({
    example: 2009,
    minimum: MIN_YEAR_ESTABLISHED,
    description: 'Not after the current year',
    type: 'integer',
  })
  @IsInt()
  @Min(MIN_YEAR_ESTABLISHED)
  @NotAfterCurrentYear()
  year_established: number;

  @ApiPropertyOptional({
    example: '27AAPFU0939F1ZV',
    description: '15-character GSTIN with a valid check character; `null` removes it',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @IsGstin()
  gst_number?: string | null;
}
