/**
 * Answers who owns a resource of one type.
 *
 * Register an implementation as a provider and mark it with
 * `@OwnershipResolverFor('<resource>')`.
 */
export interface OwnershipResolver {
  /** The owner's user id, or `null` when the resource does not exist. */
  ownerOf(resourceId: string): Promise<string | null>;
}
