import { Injectable, NotFoundException } from '@nestjs/common';
import { RevocationService, SecurityEventLogger, type Principal } from '@msmebazaar/security';

import type { UserEntity } from '../users/user.entity';
import { UserTokenRevoker } from '../sessions/user-token-revoker.service';
import { toAdminUserView, type AdminUserView } from '../users/user-response.dto';
import { UsersService } from '../users/users.service';

/** A page of users as the admin list answers it. */
export interface UserPage {
  items: AdminUserView[];
  total: number;
  page: number;
  limit: number;
}

/** Admin account management; every change is an `admin_action` event and audit row. */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly users: UsersService,
    private readonly revoker: UserTokenRevoker,
    private readonly revocation: RevocationService,
    private readonly events: SecurityEventLogger,
  ) {}

  async list(page: number, limit: number, email?: string): Promise<UserPage> {
    const [rows, total] = await this.users.page(page, limit, email);
    return { items: rows.map(toAdminUserView), total, page, limit };
  }

  /** Locks the account until unlocked; its tokens stop working on every service. */
  async lock(admin: Principal, userId: string, reason?: string): Promise<void> {
    await this.existing(userId);
    await this.users.setActive(userId, false);
    await this.revocation.lockUser(userId);
    await this.revoker.revokeAll(userId, 'admin_lock');
    await this.events.logAccountLocked({
      userId,
      action: 'admin_lock',
      details: { by: admin.userId, reason: reason ?? null },
    });
    await this.adminAction(admin, userId, 'lock', { reason: reason ?? null });
  }

  async unlock(admin: Principal, userId: string): Promise<void> {
    await this.existing(userId);
    await this.users.setActive(userId, true);
    await this.revocation.unlockUser(userId);
    await this.adminAction(admin, userId, 'unlock', {});
  }

  /** Replaces the roles; tokens carrying the old ones are revoked. */
  async setRoles(admin: Principal, userId: string, roles: string[]): Promise<AdminUserView> {
    const before = await this.existing(userId);
    await this.users.setRoles(userId, roles);
    await this.revoker.revokeAll(userId, 'role_change');
    await this.adminAction(admin, userId, 'set_roles', { from: before.roles, to: roles });
    return toAdminUserView(await this.existing(userId));
  }

  private async existing(userId: string): Promise<UserEntity> {
    const user = await this.users.findById(userId);
    if (!user) throw new NotFoundException('User not found');
    return user;
  }

  private adminAction(
    admin: Principal,
    target: string,
    action: string,
    details: Record<string, unknown>,
  ) {
    return this.events.logAdminAction({
      userId: admin.userId,
      resource: `user:${target}`,
      action,
      details: { target_user_id: target, ...details },
    });
  }
}
