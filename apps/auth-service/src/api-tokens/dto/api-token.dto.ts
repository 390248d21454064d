import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';

import { ROLE_PERMISSIONS } from '@msmebazaar/security';

import { PLAIN_TEXT_PATTERN } from '../../auth/dto/auth.dto';

/** Every permission of the platform. */
export const ALL_PERMISSIONS = ROLE_PERMISSIONS.admin;

export class CreateApiTokenDto {
  @ApiProperty({ example: 'ERP sync', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'name must not be blank' })
  @Matches(PLAIN_TEXT_PATTERN, { message: 'name must not contain control characters' })
  name: string;

  @ApiProperty({
    type: [String],
    example: ['msme.read'],
    description: "A subset of the caller's permissions",
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ALL_PERMISSIONS.length)
  @IsIn(ALL_PERMISSIONS, { each: true })
  permissions: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 365, default: 90 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  expires_in_days?: number;
}
