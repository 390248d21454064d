import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Permissions, type Principal } from '@msmebazaar/security';

import { ApiTokenService, type ApiTokenView, type CreatedApiToken } from './api-token.service';
import { CreateApiTokenDto } from './dto/api-token.dto';

@ApiTags('api-tokens')
@ApiBearerAuth()
@Controller('api/auth/api-tokens')
export class ApiTokenController {
  constructor(private readonly apiTokens: ApiTokenService) {}

  @Post()
  @Permissions('api_token.manage')
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Create an API token (shown only in this answer)',
    description:
      'Lives 90 days unless expires_in_days (1 to 365) says otherwise. ' +
      'Accepted by msme-service and valuation-service only.',
  })
  @ApiCreatedResponse({ description: '{id, name, token, permissions, expires_at}' })
  @ApiForbiddenResponse({ description: 'Missing api_token.manage' })
  create(
    @CurrentUser() caller: Principal,
    @Body() dto: CreateApiTokenDto,
  ): Promise<CreatedApiToken> {
    return this.apiTokens.create(caller, dto.name, dto.permissions, dto.expires_in_days);
  }

  @Get()
  @Permissions('api_token.manage')
  @ApiOperation({ summary: "The caller's live API tokens (not revoked, not expired)" })
  @ApiOkResponse({
    description: '{items: [{id, name, permissions, created_at, expires_at, last_used_at}]}',
  })
  async list(@CurrentUser() caller: Principal): Promise<{ items: ApiTokenView[] }> {
    return { items: await this.apiTokens.list(caller.userId) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: "Revoke one of the caller's API tokens on every service" })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({
    description: "No such token of the caller (someone else's answers 404 too)",
  })
  async delete(
    @CurrentUser() caller: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    await this.apiTokens.delete(caller.userId, id);
  }
}
