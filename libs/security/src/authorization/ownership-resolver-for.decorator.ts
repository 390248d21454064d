import { SetMetadata } from '@nestjs/common';

import { OWNERSHIP_RESOLVER_KEY } from '../security.constants';

/**
 * Registers the decorated provider as the {@link OwnershipResolver} of `resource`.
 *
 * @example
 * @Injectable()
 * @OwnershipResolverFor('msme')
 * export class MsmeOwnershipResolver implements OwnershipResolver { ... }
 */
export const OwnershipResolverFor = (resource: string): ClassDecorator =>
  SetMetadata(OWNERSHIP_RESOLVER_KEY, resource);
