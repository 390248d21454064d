import { SetMetadata } from '@nestjs/common';

import { IS_PUBLIC_KEY } from '../security.constants';

/**
 * Opts a route or a whole controller out of authentication.
 *
 * A method-level `@Public()` wins over a protected controller; there is no way to
 * re-protect a method under a public controller, so keep public routes in their own
 * controller when in doubt.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
