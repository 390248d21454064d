import { ApiProperty } from '@nestjs/swagger';
import {
  IsIn,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  isEmail,
  type ValidationArguments,
} from 'class-validator';

import { E164_PATTERN } from '../../auth/dto/auth.dto';
import type { OtpChannel, OtpPurpose } from '../otp.service';

const CHANNELS: OtpChannel[] = ['email', 'sms'];
const PURPOSES: OtpPurpose[] = ['login', 'verify_phone'];

function channelOf(args: ValidationArguments): unknown {
  return (args.object as { channel?: unknown }).channel;
}

/** An email address for channel `email`, an E.164 number otherwise. */
function IsOtpDestination(): PropertyDecorator {
  return ValidateBy({
    name: 'isOtpDestination',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        typeof value === 'string' &&
        (args && channelOf(args) === 'email' ? isEmail(value) : E164_PATTERN.test(value)),
      defaultMessage: (args?: ValidationArguments) =>
        args && channelOf(args) === 'email'
          ? 'destination must be an email address for channel email'
          : 'destination must be an E.164 number for channel sms',
    },
  });
}

/** `verify_phone` only makes sense by SMS. */
function FitsChannel(): PropertyDecorator {
  return ValidateBy({
    name: 'fitsChannel',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        value !== 'verify_phone' || (args !== undefined && channelOf(args) === 'sms'),
      defaultMessage: () => 'purpose verify_phone needs channel sms',
    },
  });
}

export class OtpSendDto {
  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS)
  channel: OtpChannel;

  @ApiProperty({ description: 'An email address for channel email, an E.164 number for sms' })
  @IsString()
  @MaxLength(254)
  @IsOtpDestination()
  destination: string;

  @ApiProperty({ enum: PURPOSES, description: 'verify_phone needs channel sms' })
  @IsIn(PURPOSES)
  @FitsChannel()
  purpose: OtpPurpose;
}

export class OtpVerifyDto extends OtpSendDto {
  @ApiProperty({ example: '042917', description: '6 digits' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code: string;
}
