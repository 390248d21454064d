import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

import { PageQueryDto, ROLES, type Role } from '@msmebazaar/security';

import { PLAIN_TEXT_PATTERN } from '../../auth/dto/auth.dto';

export class UsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Exact, case-insensitive' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email?: string;
}

export class LockUserDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @Matches(PLAIN_TEXT_PATTERN, { message: 'reason must not contain control characters' })
  reason?: string;
}

export class SetRolesDto {
  @ApiProperty({ enum: ROLES, isArray: true, example: ['msme_owner'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: Role[];
}

export class CreateIpBlockDto {
  @ApiProperty({ example: '203.0.113.7', description: 'An IPv4/IPv6 address or CIDR range' })
  @IsString()
  @Length(2, 64)
  ip: string;

  @ApiProperty({ minimum: 1, maximum: 31_536_000, example: 3600 })
  @IsInt()
  @Min(1)
  @Max(31_536_000)
  ttl_seconds: number;

  @ApiProperty({ maxLength: 500 })
  @IsString()
  @Length(1, 500)
  @Matches(PLAIN_TEXT_PATTERN, { message: 'reason must not contain control characters' })
  reason: string;
}
