import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentUser, Public, RateLimit, type Principal } from '@msmebazaar/security';

import { SessionService, type TokenPair } from '../sessions/session.service';
import { AccountService } from './account.service';
import {
  ChangePasswordDto,
  EmailDto,
  LoginDto,
  LogoutDto,
  MessageResponse,
  RefreshDto,
  RegisterDto,
  ResetPasswordDto,
  TokenDto,
  TokenPairResponse,
  VerifiedResponse,
} from './dto/auth.dto';
import { LoginService } from './login.service';

const REGISTER_MESSAGE = 'If the address can register, a verification mail is on its way.';

@ApiTags('auth')
@ApiTooManyRequestsResponse({ description: 'Rate limited; see Retry-After' })
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly accounts: AccountService,
    private readonly login: LoginService,
    private readonly sessions: SessionService,
  ) {}

  @Post('register')
  @Public()
  @RateLimit('auth')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Register an account',
    description:
      'Answers the same 202 for a new and an already-registered email; the owner of a ' +
      'registered email gets a mail saying someone tried.',
  })
  @ApiAcceptedResponse({ type: MessageResponse })
  @ApiBadRequestResponse({ description: 'Invalid body (problem+json with errors)' })
  async register(@Body() dto: RegisterDto): Promise<MessageResponse> {
    await this.accounts.register(dto);
    return { message: REGISTER_MESSAGE };
  }

  @Post('verify-email')
  @Public()
  @RateLimit('api')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Verify an email address with the token from the mail (single use, 24 h)',
  })
  @ApiOkResponse({ type: VerifiedResponse })
  @ApiBadRequestResponse({ description: 'Invalid, expired or already used token' })
  async verifyEmail(@Body() dto: TokenDto): Promise<VerifiedResponse> {
    await this.accounts.verifyEmail(dto.token);
    return { verified: true };
  }

  @Post('verify-email/resend')
  @Public()
  @RateLimit('auth')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a new verification mail; 202 whatever the email' })
  @ApiAcceptedResponse({ type: MessageResponse })
  async resendVerification(@Body() dto: EmailDto): Promise<MessageResponse> {
    await this.accounts.resendVerification(dto.email);
    return { message: 'If the address has an unverified account, a new mail is on its way.' };
  }

  @Post('login')
  @Public()
  @RateLimit('auth')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Log in with email and password',
    description:
      'Unknown email, wrong password and locked account all answer the same 401 ' +
      'after the same argon2 work.',
  })
  @ApiOkResponse({ type: TokenPairResponse })
  @ApiUnauthorizedResponse({ description: 'Invalid credentials (type invalid-credentials)' })
  @ApiForbiddenResponse({
    description: 'Correct password, email not verified (type email-not-verified)',
  })
  loginWithPassword(@Body() dto: LoginDto): Promise<TokenPair> {
    return this.login.login(dto.email, dto.password);
  }

  @Post('refresh')
  @Public()
  @RateLimit('auth')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Rotate a refresh token into a new pair',
    description:
      'The presented token stops working. Presenting an already-rotated token revokes ' +
      'its whole session; of concurrent refreshes with one token, one succeeds and the ' +
      'others count as reuse.',
  })
  @ApiOkResponse({ type: TokenPairResponse })
  @ApiUnauthorizedResponse({ description: 'Invalid, expired, rotated or revoked refresh token' })
  refresh(@Body() dto: RefreshDto): Promise<TokenPair> {
    return this.sessions.refresh(dto.refresh_token);
  }

  @Post('logout')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke the presented access token and its session on all services' })
  @ApiNoContentResponse()
  @ApiUnauthorizedResponse()
  async logout(@CurrentUser() caller: Principal, @Body() dto: LogoutDto): Promise<void> {
    await this.accounts.logout(caller, dto.refresh_token);
  }

  @Post('logout-all')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke every token of the caller (sessions and API tokens)' })
  @ApiNoContentResponse()
  async logoutAll(@CurrentUser() caller: Principal): Promise<void> {
    await this.accounts.logoutAll(caller);
  }

  @Post('password/forgot')
  @Public()
  @RateLimit('auth')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Mail a password-reset link (30 min, single use); 202 whatever the email',
  })
  @ApiAcceptedResponse({ type: MessageResponse })
  async forgotPassword(@Body() dto: EmailDto): Promise<MessageResponse> {
    await this.accounts.forgotPassword(dto.email);
    return { message: 'If the address has an account, a reset mail is on its way.' };
  }

  @Post('password/reset')
  @Public()
  @RateLimit('auth')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a new password with a reset token; ends every session of the user',
  })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({
    description: 'Invalid, expired or used token, or an unacceptable password',
  })
  async resetPassword(@Body() dto: ResetPasswordDto): Promise<void> {
    await this.accounts.resetPassword(dto.token, dto.new_password);
  }

  @Post('password/change')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Change the password; the current session stays, the others are revoked',
  })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({
    description: 'Wrong current_password (errors entry for it) or unacceptable new_password',
  })
  async changePassword(
    @CurrentUser() caller: Principal,
    @Body() dto: ChangePasswordDto,
  ): Promise<void> {
    await this.accounts.changePassword(caller, dto.current_password, dto.new_password);
  }
}
