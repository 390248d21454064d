import { SetMetadata } from '@nestjs/common';

import { OWNER_OF_KEY } from '../security.constants';

/** Options of {@link OwnerOf}. */
export interface OwnerOfOptions {
  /** Whether an `admin` passes the check without owning the resource. Default `true`. */
  adminBypass?: boolean;
}

/** What `@OwnerOf` stores on a route. */
export interface OwnerOfMetadata {
  resource: string;
  param: string;
  adminBypass: boolean;
}

/**
 * Requires the caller to own the resource whose id is in the route parameter `param`.
 *
 * The owner is looked up through the resolver registered for `resource` (see
 * {@link OwnershipResolverFor}); an unknown resource type stops the service at start.
 * A non-UUID id answers 400, a missing resource 404, someone else's 403.
 */
export const OwnerOf = (
  resource: string,
  param: string,
  options: OwnerOfOptions = {},
): MethodDecorator =>
  SetMetadata(OWNER_OF_KEY, {
    resource,
    param,
    adminBypass: options.adminBypass ?? true,
  } satisfies OwnerOfMetadata);
