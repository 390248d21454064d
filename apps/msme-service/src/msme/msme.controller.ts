import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

import {
  AcceptApiToken,
  CurrentUser,
  OwnerOf,
  PageQueryDto,
  Permissions,
  type Principal,
} from '@msmebazaar/security';

import { CreateMsmeDto } from './dto/create-msme.dto';
import { MsmePageDto, MsmeResponseDto } from './dto/msme-response.dto';
import { UpdateMsmeDto } from './dto/update-msme.dto';
import { MsmeService } from './msme.service';

/**
 * MSME profiles. Every check (token, rate limit, permission, ownership) is declared by
 * decorators and run by the library's guards before a handler is reached.
 */
@ApiTags('msme')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiUnauthorizedResponse({ description: 'Missing, invalid, expired or revoked token' })
@ApiTooManyRequestsResponse({ description: 'Policy `api` exceeded; see Retry-After' })
@AcceptApiToken()
@Controller('api/msme')
export class MsmeController {
  constructor(private readonly msmes: MsmeService) {}

  @Post()
  @Permissions('msme.write')
  @ApiOperation({ summary: 'Register an MSME owned by the caller' })
  @ApiCreatedResponse({ type: MsmeResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid or unknown fields' })
  @ApiForbiddenResponse({ description: 'Missing msme.write' })
  create(@CurrentUser() caller: Principal, @Body() body: CreateMsmeDto): Promise<MsmeResponseDto> {
    return this.msmes.create(caller, body);
  }

  @Get()
  @Permissions('msme.read')
  @ApiOperation({ summary: "List the caller's MSMEs (every MSME for an admin)" })
  @ApiOkResponse({ type: MsmePageDto })
  @ApiBadRequestResponse({ description: 'page below 1, or limit outside 1 to 100' })
  @ApiForbiddenResponse({ description: 'Missing msme.read' })
  list(@CurrentUser() caller: Principal, @Query() query: PageQueryDto): Promise<MsmePageDto> {
    return this.msmes.list(caller, query.page, query.limit);
  }

  @Get(':msme_id')
  @Permissions('msme.read')
  @OwnerOf('msme', 'msme_id')
  @ApiOperation({ summary: 'Read one MSME (owner or admin); logged as data access' })
  @ApiOkResponse({ type: MsmeResponseDto })
  @ApiBadRequestResponse({ description: 'msme_id is not a UUID' })
  @ApiForbiddenResponse({ description: "Missing msme.read, or someone else's MSME" })
  @ApiNotFoundResponse({ description: 'No such MSME' })
  get(@CurrentUser() caller: Principal, @Param('msme_id') id: string): Promise<MsmeResponseDto> {
    return this.msmes.get(caller, id);
  }

  @Patch(':msme_id')
  @Permissions('msme.write')
  @OwnerOf('msme', 'msme_id', { adminBypass: false })
  @ApiOperation({ summary: 'Change any of the fields of an MSME (owner only)' })
  @ApiOkResponse({ type: MsmeResponseDto })
  @ApiBadRequestResponse({ description: 'msme_id is not a UUID, or invalid or unknown fields' })
  @ApiForbiddenResponse({ description: "Missing msme.write, or someone else's MSME" })
  @ApiNotFoundResponse({ description: 'No such MSME' })
  update(@Param('msme_id') id: string, @Body() body: UpdateMsmeDto): Promise<MsmeResponseDto> {
    return this.msmes.update(id, body);
  }

  @Delete(':msme_id')
  @HttpCode(204)
  @Permissions('msme.delete')
  @OwnerOf('msme', 'msme_id')
  @ApiOperation({ summary: 'Delete an MSME (owner with msme.delete, or admin)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiBadRequestResponse({ description: 'msme_id is not a UUID' })
  @ApiForbiddenResponse({ description: "Missing msme.delete, or someone else's MSME" })
  @ApiNotFoundResponse({ description: 'No such MSME' })
  remove(@Param('msme_id') id: string): Promise<void> {
    return this.msmes.remove(id);
  }
}
