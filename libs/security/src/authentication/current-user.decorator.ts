import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

import type { Principal } from './principal.interface';

/**
 * Injects the verified {@link Principal} of the request.
 *
 * @example
 * @Get('me') me(@CurrentUser() user: Principal) { return user.userId; }
 */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<{ user?: Principal }>().user,
);
