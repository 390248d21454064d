import { Controller, Get, NotFoundException } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentUser, type Principal } from '@msmebazaar/security';

import { toProfileView, type ProfileView } from '../users/user-response.dto';
import { UsersService } from '../users/users.service';

@ApiTags('profile')
@ApiBearerAuth()
@Controller('api/profile')
export class ProfileController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: "The caller's profile; permissions follow the current roles" })
  @ApiOkResponse({
    description:
      '{user_id, email, full_name, user_type, roles, permissions, phone, company_name, ' +
      'gst_number, is_verified}',
  })
  @ApiUnauthorizedResponse()
  async profile(@CurrentUser() caller: Principal): Promise<ProfileView> {
    const user = await this.users.findById(caller.userId);
    if (!user) throw new NotFoundException('User not found');
    return toProfileView(user);
  }
}
