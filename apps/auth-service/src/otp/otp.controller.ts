import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { Public, RateLimit } from '@msmebazaar/security';

import { TokenPairResponse, VerifiedResponse } from '../auth/dto/auth.dto';
import type { TokenPair } from '../sessions/session.service';
import { OtpSendDto, OtpVerifyDto } from './dto/otp.dto';
import { OtpService } from './otp.service';

interface HeaderReply {
  header(name: string, value: string): unknown;
}

@ApiTags('otp')
@ApiExtraModels(TokenPairResponse, VerifiedResponse)
@Controller('api/otp')
export class OtpController {
  constructor(private readonly otp: OtpService) {}

  @Post('send')
  @Public()
  @RateLimit('otp', { alsoBy: 'body.destination' })
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a 6-digit code (valid 5 minutes)',
    description:
      'Limited per client and per destination (policy otp). ' +
      'A destination without an account gets the same 202 and no code.',
  })
  @ApiAcceptedResponse({ description: 'Accepted' })
  async send(@Body() dto: OtpSendDto): Promise<{ message: string }> {
    await this.otp.send(dto);
    return { message: 'If the destination belongs to an account, a code is on its way.' };
  }

  @Post('verify')
  @Public()
  @RateLimit('api')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check a code',
    description:
      'A token pair for purpose login, {verified: true} otherwise. ' +
      'The fifth wrong guess uses the code up; a code works once.',
  })
  @ApiOkResponse({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(TokenPairResponse) },
        { $ref: getSchemaPath(VerifiedResponse) },
      ],
    },
  })
  @ApiUnauthorizedResponse({ description: 'Wrong, expired or used-up code (type invalid-otp)' })
  async verify(
    @Body() dto: OtpVerifyDto,
    @Res({ passthrough: true }) reply: HeaderReply,
  ): Promise<TokenPair | { verified: true }> {
    const { code, ...target } = dto;
    const pair = await this.otp.verify(target, code);
    if (!pair) return { verified: true };
    reply.header('Cache-Control', 'no-store');
    return pair;
  }
}
