/**
 * The matched route pattern of a request on Express (`route.path`) or Fastify
 * (`routeOptions.url`); used as the metrics label so cardinality stays bounded.
 */
export function routePatternOf(request: {
  route?: { path?: unknown };
  routeOptions?: { url?: unknown };
}): string | undefined {
  const pattern = request.routeOptions?.url ?? request.route?.path;
  return typeof pattern === 'string' ? pattern : undefined;
}
