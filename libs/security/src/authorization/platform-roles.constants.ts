/** Roles a user can choose at registration; `admin` is only ever granted. */
export const SELF_SERVICE_ROLES = ['msme_owner', 'investor', 'buyer'] as const;

/** Every role of the platform. */
export const ROLES = [...SELF_SERVICE_ROLES, 'admin'] as const;

export type SelfServiceRole = (typeof SELF_SERVICE_ROLES)[number];
export type Role = (typeof ROLES)[number];

const OWNER_PERMISSIONS = [
  'user.read',
  'user.write',
  'msme.read',
  'msme.write',
  'msme.delete',
  'valuation.create',
  'valuation.read',
  'api_token.manage',
];

/** The contract's role table: the permissions each role grants. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly string[]>> = {
  msme_owner: OWNER_PERMISSIONS,
  investor: ['user.read', 'user.write', 'msme.read', 'valuation.create', 'valuation.read'],
  buyer: ['user.read', 'user.write', 'msme.read', 'valuation.read'],
  admin: [...OWNER_PERMISSIONS, 'user.admin', 'audit.read', 'ip_block.manage'],
};

/** The union of the permissions of `roles`, sorted. */
export function permissionsOf(roles: readonly string[]): string[] {
  const permissions = new Set<string>();
  for (const role of roles) {
    for (const permission of ROLE_PERMISSIONS[role as Role] ?? []) permissions.add(permission);
  }
  return [...permissions].sort();
}
