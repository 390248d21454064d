import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
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
import {
  CurrentUser,
  IpBlockService,
  Permissions,
  SecurityEventLogger,
  type IpBlock,
  type Principal,
} from '@msmebazaar/security';

import { CreateIpBlockDto } from './dto/admin.dto';

@ApiTags('admin')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'Missing ip_block.manage' })
@Permissions('ip_block.manage')
@Controller('api/admin/ip-blocks')
export class AdminIpBlocksController {
  constructor(
    private readonly ipBlocks: IpBlockService,
    private readonly events: SecurityEventLogger,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Block an address or CIDR range on every service for ttl_seconds' })
  @ApiCreatedResponse({ description: '{id, ip, reason, created_at, expires_at}' })
  async create(@CurrentUser() admin: Principal, @Body() dto: CreateIpBlockDto): Promise<IpBlock> {
    const block = await this.ipBlocks.blockIp(dto.ip, dto.ttl_seconds, dto.reason);
    await this.events.logIpBlocked({
      userId: admin.userId,
      action: 'admin_block',
      details: {
        blocked: block.ip,
        block_id: block.id,
        reason: dto.reason,
        ttl_seconds: dto.ttl_seconds,
      },
    });
    await this.events.logAdminAction({
      userId: admin.userId,
      resource: `ip_block:${block.id}`,
      action: 'block_ip',
      details: { ip: block.ip },
    });
    return block;
  }

  @Get()
  @ApiOperation({ summary: 'The active blocks' })
  @ApiOkResponse({ description: '{items: [{id, ip, reason, created_at, expires_at}]}' })
  list(): { items: IpBlock[] } {
    return { items: this.ipBlocks.listActive() };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Lift a block' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No active block with that id' })
  async remove(
    @CurrentUser() admin: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    if (!(await this.ipBlocks.unblockIp(id))) throw new NotFoundException('IP block not found');
    await this.events.logAdminAction({
      userId: admin.userId,
      resource: `ip_block:${id}`,
      action: 'unblock_ip',
    });
  }
}
