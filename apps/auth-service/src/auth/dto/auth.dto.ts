import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsGstin, SELF_SERVICE_ROLES, type SelfServiceRole } from '@msmebazaar/security';
import { IsEmail, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

import {
  IsAcceptablePassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from '../../passwords/password-policy.decorator';

/** E.164: a plus, a non-zero country digit, at most 15 digits in all. */
export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;

/** Free text without control characters or bidirectional overrides. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
export const PLAIN_TEXT_PATTERN = /^[^\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]*$/;

/** Longest token accepted in a body; real tokens are well under 2 KiB. */
export const MAX_TOKEN_LENGTH = 4096;

/** Longest password accepted where it is only checked, never set. */
const MAX_PRESENTED_PASSWORD_LENGTH = 1024;

const PASSWORD_RULES =
  `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters, not a commonly used password, ` +
  'not containing the local part of the email';

export class RegisterDto {
  @ApiProperty({
    example: 'asha@example.com',
    maxLength: 254,
    description: 'Stored trimmed and lower-cased.',
  })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    description: PASSWORD_RULES,
  })
  @IsString()
  @IsAcceptablePassword('email')
  password: string;

  @ApiProperty({ example: 'Asha Rao', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'full_name must not be blank' })
  @Matches(PLAIN_TEXT_PATTERN, { message: 'full_name must not contain control characters' })
  full_name: string;

  @ApiProperty({ enum: SELF_SERVICE_ROLES, description: "Becomes the user's role." })
  @IsIn(SELF_SERVICE_ROLES)
  user_type: SelfServiceRole;

  @ApiPropertyOptional({ example: '+919812345678', description: 'E.164' })
  @IsOptional()
  @IsString()
  @Matches(E164_PATTERN, { message: 'phone must be an E.164 number such as +919812345678' })
  phone?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(PLAIN_TEXT_PATTERN, { message: 'company_name must not contain control characters' })
  company_name?: string;

  @ApiPropertyOptional({
    example: '27AAPFU0939F1ZV',
    description: '15-character GSTIN with a valid check character',
  })
  @IsOptional()
  @IsGstin()
  gst_number?: string;
}

export class TokenDto {
  @ApiProperty({ description: 'The token from the verification mail.' })
  @IsString()
  @Length(1, MAX_TOKEN_LENGTH)
  token: string;
}

export class EmailDto {
  @ApiProperty({ example: 'asha@example.com' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;
}

export class LoginDto {
  @ApiProperty({ example: 'asha@example.com' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @Length(1, MAX_PRESENTED_PASSWORD_LENGTH)
  password: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @Length(1, MAX_TOKEN_LENGTH)
  refresh_token: string;
}

export class LogoutDto {
  @ApiPropertyOptional({
    description: "Also revokes this refresh token's session when it is the caller's.",
  })
  @IsOptional()
  @IsString()
  @Length(1, MAX_TOKEN_LENGTH)
  refresh_token?: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'The token from the reset mail.' })
  @IsString()
  @Length(1, MAX_TOKEN_LENGTH)
  token: string;

  @ApiProperty({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    description: PASSWORD_RULES,
  })
  @IsString()
  @IsAcceptablePassword()
  new_password: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, MAX_PRESENTED_PASSWORD_LENGTH)
  current_password: string;

  @ApiProperty({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    description: PASSWORD_RULES,
  })
  @IsString()
  @IsAcceptablePassword()
  new_password: string;
}

export class MessageResponse {
  @ApiProperty({ example: 'If the address can register, a verification mail is on its way.' })
  message: string;
}

export class VerifiedResponse {
  @ApiProperty({ example: true })
  verified: true;
}

export class TokenPairResponse {
  @ApiProperty({ description: 'ES256 JWT, token_type access' })
  access_token: string;

  @ApiProperty({ description: 'ES256 JWT, token_type refresh; single use (rotated on refresh)' })
  refresh_token: string;

  @ApiProperty({ example: 'Bearer' })
  token_type: 'Bearer';

  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' })
  expires_in: number;

  @ApiProperty({ example: 604800, description: 'Seconds until the refresh token expires' })
  refresh_expires_in: number;
}
