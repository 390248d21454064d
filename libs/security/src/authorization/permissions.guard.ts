import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { SecurityEventLogger } from '../logging/security-event.logger';
import { RouteSettingsCache } from '../routing/route-settings.cache';
import { PERMISSIONS_KEY } from '../security.constants';
import { callerOf, denyAccess } from './authorization-request';

/** Enforces `@Permissions(...)`: the caller needs every listed permission. */
@Injectable()
export class PermissionsGuard implements CanActivate {
  private readonly requiredPermissions = new RouteSettingsCache((context) =>
    this.reflector.getAllAndOverride<string[] | undefined>(PERMISSIONS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]),
  );

  constructor(
    private readonly reflector: Reflector,
    private readonly events: SecurityEventLogger,
  ) {}

  /** Synchronous when nothing is required or the caller qualifies: no await per request. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const required = this.requiredPermissions.of(context);
    if (!required?.length) return true;

    const caller = callerOf(context);
    const missing = required.filter((permission) => !caller.permissions.includes(permission));
    if (missing.length === 0) return true;
    return denyAccess(this.events, context, caller, { missing_permissions: missing });
  }
}
