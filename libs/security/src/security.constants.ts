export const IS_PUBLIC_KEY = 'msmebazaar:is-public';
export const ACCEPTED_TOKEN_TYPES_KEY = 'msmebazaar:accepted-token-types';
export const ROLES_KEY = 'msmebazaar:roles';
export const PERMISSIONS_KEY = 'msmebazaar:permissions';
export const OWNER_OF_KEY = 'msmebazaar:owner-of';
export const OWNERSHIP_RESOLVER_KEY = 'msmebazaar:ownership-resolver';
export const RATE_LIMIT_POLICY_KEY = 'msmebazaar:rate-limit-policy';
export const SKIP_RATE_LIMIT_KEY = 'msmebazaar:skip-rate-limit';
export const INFRASTRUCTURE_ROUTE_KEY = 'msmebazaar:infrastructure-route';

/** Paths that are never IP-blocked, rate limited or logged per request. */
export const INFRASTRUCTURE_PATHS = ['/health/live', '/health/ready', '/metrics'] as const;
