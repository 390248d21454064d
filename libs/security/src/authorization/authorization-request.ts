import type { ExecutionContext } from '@nestjs/common';

import type { Principal } from '../authentication/principal.interface';
import { InvalidTokenException } from '../authentication/invalid-token.exception';
import type { SecurityEventLogger } from '../logging/security-event.logger';
import { RequestContext } from '../request-context/request-context';
import { AccessDeniedException } from './access-denied.exception';

/** The parts of a request the authorization guards read, on Express and Fastify alike. */
export interface AuthorizationRequest {
  user?: Principal;
  method?: string;
  params?: Record<string, string | undefined>;
}

/** The verified caller; a route with requirements but no caller fails closed with 401. */
export function callerOf(context: ExecutionContext): Principal {
  const user = context.switchToHttp().getRequest<AuthorizationRequest>().user;
  if (!user) throw new InvalidTokenException();
  return user;
}

/** Logs a refusal on the matched route as `permission_denied`, then refuses with 403. */
export async function denyAccess(
  events: SecurityEventLogger,
  context: ExecutionContext,
  caller: Principal,
  details: Record<string, unknown>,
): Promise<never> {
  await events.logPermissionDenied({
    userId: caller.userId,
    resource: RequestContext.current()?.route ?? null,
    action: context.switchToHttp().getRequest<AuthorizationRequest>().method ?? null,
    details,
  });
  throw new AccessDeniedException();
}

/** The role that passes ownership checks unless a route says otherwise. */
export const ADMIN_ROLE = 'admin';
