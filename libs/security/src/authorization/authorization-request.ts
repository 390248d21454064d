import type { ExecutionContext } from '@nestjs/common';

import type { Principal } from '../authentication/principal.interface';
import { InvalidTokenException } from '../authentication/invalid-token.exception';

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

/** The role that passes ownership checks unless a route says otherwise. */
export const ADMIN_ROLE = 'admin';
