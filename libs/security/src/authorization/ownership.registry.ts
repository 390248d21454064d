import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';

import { OWNER_OF_KEY, OWNERSHIP_RESOLVER_KEY } from '../security.constants';
import type { OwnerOfMetadata } from './owner-of.decorator';
import type { OwnershipResolver } from './ownership-resolver.interface';

/**
 * The ownership resolvers of the application, found among its providers by their
 * `@OwnershipResolverFor` mark. A route naming a resource type with no resolver stops
 * the application at start, never a request at run time.
 */
@Injectable()
export class OwnershipRegistry implements OnModuleInit {
  private readonly resolvers = new Map<string, OwnershipResolver>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as OwnershipResolver | undefined;
      if (!instance || !wrapper.metatype) continue;
      const resource = this.reflector.get<string | undefined>(
        OWNERSHIP_RESOLVER_KEY,
        wrapper.metatype,
      );
      if (!resource) continue;
      if (this.resolvers.has(resource)) {
        throw new Error(`Two ownership resolvers are registered for resource "${resource}"`);
      }
      this.resolvers.set(resource, instance);
    }
    this.assertEveryRouteResolvable();
  }

  /** The resolver of `resource`; always present for routes that passed the start check. */
  resolverFor(resource: string): OwnershipResolver {
    const resolver = this.resolvers.get(resource);
    if (!resolver) throw new Error(`No ownership resolver for resource "${resource}"`);
    return resolver;
  }

  private assertEveryRouteResolvable(): void {
    for (const wrapper of this.discovery.getControllers()) {
      const prototype = wrapper.metatype?.prototype as Record<string, unknown> | undefined;
      if (!prototype) continue;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[method] as (...args: unknown[]) => unknown;
        const owner = this.reflector.get<OwnerOfMetadata | undefined>(OWNER_OF_KEY, handler);
        if (owner && !this.resolvers.has(owner.resource)) {
          throw new Error(
            `${wrapper.name}.${method} uses @OwnerOf('${owner.resource}') but no provider is marked @OwnershipResolverFor('${owner.resource}')`,
          );
        }
      }
    }
  }
}
