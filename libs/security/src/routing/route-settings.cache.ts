import type { ExecutionContext } from '@nestjs/common';

/**
 * What a guard derives from a route's decorators, worked out on the route's first request
 * and kept: decorators never change while the application runs.
 *
 * Kept per controller class and handler together. Two controllers that inherit one handler
 * are two routes, and their class-level decorators (`@Public()`, `@RateLimit()`) may differ;
 * keyed by the handler alone, the first route served would decide for both.
 */
export class RouteSettingsCache<T> {
  private readonly byController = new WeakMap<object, WeakMap<object, T>>();

  constructor(private readonly derive: (context: ExecutionContext) => T) {}

  of(context: ExecutionContext): T {
    const controller = context.getClass();
    const handler = context.getHandler();
    let routes = this.byController.get(controller);
    if (!routes) {
      routes = new WeakMap();
      this.byController.set(controller, routes);
    }
    if (routes.has(handler)) return routes.get(handler) as T;
    const settings = this.derive(context);
    routes.set(handler, settings);
    return settings;
  }
}
