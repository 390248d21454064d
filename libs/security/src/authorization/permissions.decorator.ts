import { SetMetadata } from '@nestjs/common';

import { PERMISSIONS_KEY } from '../security.constants';

/** Requires the caller to hold every listed permission. */
export const Permissions = (...permissions: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(PERMISSIONS_KEY, permissions);
