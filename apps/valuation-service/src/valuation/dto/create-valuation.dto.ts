import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsOptional, IsUUID, Max, Min } from 'class-validator';

/** Bound of EBITDA either way, in whole rupees (₹1 lakh crore). */
export const MAX_ABS_EBITDA_INR = 1_000_000_000_000;
export const MIN_GROWTH_RATE_PERCENT = -100;
export const MAX_GROWTH_RATE_PERCENT = 1000;

/** Body of `POST /api/valuation`. */
export class CreateValuationDto {
  @ApiProperty({ format: 'uuid', description: 'An MSME the caller owns (any MSME for an admin)' })
  @IsUUID()
  msme_id: string;

  @ApiPropertyOptional({
    type: 'integer',
    description:
      'Yearly EBITDA in whole rupees. When positive the EBITDA multiple is used, else the revenue multiple.',
    minimum: -MAX_ABS_EBITDA_INR,
    maximum: MAX_ABS_EBITDA_INR,
    example: 6_500_000,
  })
  @IsOptional()
  @IsInt()
  @Min(-MAX_ABS_EBITDA_INR)
  @Max(MAX_ABS_EBITDA_INR)
  ebitda?: number;

  @ApiPropertyOptional({
    description:
      'Yearly revenue growth in percent (12.5 means 12.5 %), at most two decimals. The value moves by half of it, clamped to ±50 %.',
    minimum: MIN_GROWTH_RATE_PERCENT,
    maximum: MAX_GROWTH_RATE_PERCENT,
    example: 12.5,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(MIN_GROWTH_RATE_PERCENT)
  @Max(MAX_GROWTH_RATE_PERCENT)
  growth_rate?: number;
}
