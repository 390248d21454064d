import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { SecurityEventLogger } from '../logging/security-event.logger';
import { RouteSettingsCache } from '../routing/route-settings.cache';
import { ROLES_KEY } from '../security.constants';
import { callerOf, denyAccess } from './authorization-request';

/** Enforces `@Roles(...)`: the caller needs at least one of the listed roles. */
@Injectable()
export class RolesGuard implements CanActivate {
  private readonly requiredRoles = new RouteSettingsCache((context) =>
    this.reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, [
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
    const required = this.requiredRoles.of(context);
    if (!required?.length) return true;

    const caller = callerOf(context);
    if (required.some((role) => caller.roles.includes(role))) return true;
    return denyAccess(this.events, context, caller, { required_roles: required });
  }
}
