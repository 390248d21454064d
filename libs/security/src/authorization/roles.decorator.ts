import { SetMetadata } from '@nestjs/common';

import { ROLES_KEY } from '../security.constants';

/** Requires the caller to hold at least one of the listed roles. */
export const Roles = (...roles: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);
