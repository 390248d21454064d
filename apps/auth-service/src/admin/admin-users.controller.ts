import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Permissions, type Principal } from '@msmebazaar/security';

import type { AdminUserView } from '../users/user-response.dto';
import { AdminUsersService, type UserPage } from './admin-users.service';
import { LockUserDto, SetRolesDto, UsersQueryDto } from './dto/admin.dto';

@ApiTags('admin')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'Missing user.admin' })
@Permissions('user.admin')
@Controller('api/admin/users')
export class AdminUsersController {
  constructor(private readonly adminUsers: AdminUsersService) {}

  @Get()
  @ApiOperation({ summary: 'Users, oldest first; email filter exact and case-insensitive' })
  @ApiOkResponse({ description: '{items, total, page, limit}' })
  list(@Query() query: UsersQueryDto): Promise<UserPage> {
    return this.adminUsers.list(query.page, query.limit, query.email);
  }

  @Post(':id/lock')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Lock an account until unlocked; its tokens stop working on every service',
  })
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  async lock(
    @CurrentUser() admin: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: LockUserDto,
  ): Promise<void> {
    await this.adminUsers.lock(admin, id, dto.reason);
  }

  @Post(':id/unlock')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unlock an account (admin lock and failed-login lock)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  async unlock(
    @CurrentUser() admin: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    await this.adminUsers.unlock(admin, id);
  }

  @Put(':id/roles')
  @ApiOperation({ summary: "Replace the roles; the user's earlier tokens are revoked" })
  @ApiOkResponse({
    description:
      '{id, email, full_name, user_type, roles, is_verified, is_active, locked_until, ' +
      'created_at, last_login}',
  })
  @ApiNotFoundResponse()
  setRoles(
    @CurrentUser() admin: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: SetRolesDto,
  ): Promise<AdminUserView> {
    return this.adminUsers.setRoles(admin, id, dto.roles);
  }
}
