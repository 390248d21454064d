import {
  Injectable,
  NotFoundException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { isUUID } from 'class-validator';

import { ValidationFailedException } from '../errors/validation-failed.exception';
import { SecurityEventLogger } from '../logging/security-event.logger';
import { RouteSettingsCache } from '../routing/route-settings.cache';
import { OWNER_OF_KEY } from '../security.constants';
import { AccessDeniedException } from './access-denied.exception';
import { ADMIN_ROLE, callerOf, type AuthorizationRequest } from './authorization-request';
import type { OwnerOfMetadata } from './owner-of.decorator';
import { OwnershipRegistry } from './ownership.registry';

/**
 * Enforces `@OwnerOf(resource, param)`. Runs after roles and permissions, so a caller
 * lacking those never learns whether a resource exists; a non-UUID id answers 400
 * because no owner can be looked up for it.
 */
@Injectable()
export class OwnershipGuard implements CanActivate {
  private readonly ownerOf = new RouteSettingsCache((context) =>
    this.reflector.get<OwnerOfMetadata | undefined>(OWNER_OF_KEY, context.getHandler()),
  );

  constructor(
    private readonly reflector: Reflector,
    private readonly registry: OwnershipRegistry,
    private readonly events: SecurityEventLogger,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const owner = this.ownerOf.of(context);
    return owner ? this.checkOwnership(context, owner) : true;
  }

  private async checkOwnership(
    context: ExecutionContext,
    owner: OwnerOfMetadata,
  ): Promise<boolean> {
    const caller = callerOf(context);
    const request = context.switchToHttp().getRequest<AuthorizationRequest>();
    const id = request.params?.[owner.param];
    if (!id || !isUUID(id)) {
      throw new ValidationFailedException([
        { field: owner.param, message: `${owner.param} must be a UUID` },
      ]);
    }
    if (owner.adminBypass && caller.roles.includes(ADMIN_ROLE)) return true;

    const ownerId = await this.registry.resolverFor(owner.resource).ownerOf(id);
    if (ownerId === null) throw new NotFoundException(`${owner.resource} not found`);
    if (ownerId === caller.userId) return true;

    await this.events.logPermissionDenied({
      userId: caller.userId,
      resource: `${owner.resource}:${id}`,
      action: request.method ?? null,
      details: { reason: 'not_owner' },
    });
    throw new AccessDeniedException();
  }
}
