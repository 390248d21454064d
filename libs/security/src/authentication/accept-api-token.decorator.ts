import { SetMetadata } from '@nestjs/common';

import { ACCEPTED_TOKEN_TYPES_KEY } from '../security.constants';
import type { TokenType } from './token-claims.interface';

/**
 * Lets a route accept API tokens (`Authorization: Bearer` or `X-API-Key`) as well as
 * access tokens. Routes accept access tokens only unless they opt in.
 *
 * @example
 * @AcceptApiToken()
 * @Permissions('msme.read')
 * @Get(':msme_id')
 */
export const AcceptApiToken = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCEPTED_TOKEN_TYPES_KEY, ['access', 'api_token'] satisfies TokenType[]);
