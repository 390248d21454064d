import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { SecurityEventLogger } from '../logging/security-event.logger';
import { RequestContext } from '../request-context/request-context';
import { RouteSettingsCache } from '../routing/route-settings.cache';
import { ROLES_KEY } from '../security.constants';
import { AccessDeniedException } from './access-denied.exception';
import type { Principal } from '../authentication/principal.interface';
import { callerOf } from './authorization-request';

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
    return this.deny(context, caller, required);
  }

  private async deny(
    context: ExecutionContext,
    caller: Principal,
    required: string[],
  ): Promise<never> {
    await this.events.logPermissionDenied({
      userId: caller.userId,
      resource: RequestContext.current()?.route ?? null,
      action: context.switchToHttp().getRequest<{ method?: string }>().method ?? null,
      details: { required_roles: required },
    });
    throw new AccessDeniedException();
  }
}
