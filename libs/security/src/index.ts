/**
 * @msmebazaar/security — authentication, authorization, rate limiting, security headers,
 * security logging, audit and metrics for every MSMEBazaar service.
 */
export * from './app/bootstrap-service';
export * from './app/create-secure-app';
export * from './audit/audit-sink.interface';
export * from './authentication/accept-api-token.decorator';
export * from './authentication/current-user.decorator';
export * from './authentication/invalid-token.exception';
export * from './authentication/principal.interface';
export * from './authentication/public.decorator';
export * from './authentication/token-claims.interface';
export * from './authorization/access-denied.exception';
export * from './authorization/owner-of.decorator';
export * from './authorization/ownership-resolver-for.decorator';
export * from './authorization/ownership-resolver.interface';
export * from './authorization/permissions.decorator';
export * from './authorization/roles.decorator';
export * from './config/configuration.error';
export * from './config/env-reader';
export * from './config/security-env.config';
export * from './config/security-options.interface';
export * from './errors/dependency-unavailable.exception';
export * from './errors/problem.exception';
export * from './errors/rate-limit-exceeded.exception';
export * from './errors/validation-failed.exception';
export * from './ip-block/ip-block.service';
export * from './logging/security-event.interface';
export * from './logging/security-event.logger';
export * from './metrics/security-metrics.service';
export * from './rate-limit/rate-limit-policy.interface';
export * from './rate-limit/rate-limit.decorator';
export * from './request-context/client-ip';
export * from './request-context/request-context';
export * from './revocation/revocation.service';
export * from './security.module';
export * from './security.tokens';
export type { IpBlock } from './state/security-state.storage';
export * from './validation/is-gstin.decorator';
export * from './http/outbound-http-client.service';
