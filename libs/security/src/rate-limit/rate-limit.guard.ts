import { createHash } from 'node:crypto';

import {
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
  type OnModuleInit,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { normalizeIp } from '@nestjs/throttler';
import { PinoLogger } from 'nestjs-pino';

import type { Principal } from '../authentication/principal.interface';
import { routePatternOf } from '../authentication/route-pattern';
import { ConfigurationError } from '../config/configuration.error';
import type { SecurityModuleOptions } from '../config/security-options.interface';
import { DependencyUnavailableException } from '../errors/dependency-unavailable.exception';
import { RateLimitExceededException } from '../errors/rate-limit-exceeded.exception';
import { SecurityEventLogger } from '../logging/security-event.logger';
import { SecurityMetrics } from '../metrics/security-metrics.service';
import { clientIp } from '../request-context/client-ip';
import { RequestContext } from '../request-context/request-context';
import { isInfrastructurePath } from '../request-context/request-context.middleware';
import { RouteSettingsCache } from '../routing/route-settings.cache';
import {
  INFRASTRUCTURE_ROUTE_KEY,
  IS_PUBLIC_KEY,
  RATE_LIMIT_POLICY_KEY,
  SKIP_RATE_LIMIT_KEY,
} from '../security.constants';
import { SECURITY_OPTIONS } from '../security.tokens';
import type { RateLimitPolicy } from './rate-limit-policy.interface';
import {
  RATE_LIMIT_STORAGES,
  type RateLimitDecision,
  type RateLimitStorages,
} from './rate-limit-storage.interface';
import type { RateLimitRouteMetadata } from './rate-limit.decorator';

/** The policy of authenticated routes that name none. */
export const DEFAULT_RATE_LIMIT_POLICY = 'api';

/** What a route's decorators say about rate limiting. */
interface RouteRateLimit {
  skipped: boolean;
  /** The policy named by `@RateLimit()`, if any. */
  named?: RateLimitRouteMetadata;
  isPublic: boolean;
}

const DEFAULT_ROUTE_POLICY: RateLimitRouteMetadata = { policy: DEFAULT_RATE_LIMIT_POLICY };

/** What the guard reads of a request on Express or Fastify. */
export interface RateLimitedRequest {
  method?: string;
  url?: string;
  raw?: { url?: string; socket?: { remoteAddress?: string } };
  socket?: { remoteAddress?: string };
  headers: Record<string, string | string[] | undefined>;
  user?: Principal;
  body?: unknown;
  query?: unknown;
  params?: unknown;
  route?: { path?: unknown };
  routeOptions?: { url?: unknown };
}

interface HeaderTarget {
  header?: (name: string, value: string) => unknown;
  setHeader?: (name: string, value: string) => unknown;
}

/** One policy applied to one request: its name, its settings and the keys it counts on. */
export interface AppliedRateLimitPolicy {
  name: string;
  policy: RateLimitPolicy;
  keys: string[];
}

/**
 * The global rate-limit guard; it runs after authentication, so the caller is known.
 *
 * It implements `CanActivate` on the storages rather than extending `ThrottlerGuard`:
 * that guard applies every configured throttler to every route and has no failure path
 * around its storage call, while this one applies one policy chosen per route, limits by
 * a second key for some routes, and fails open or closed per policy. Extending it would
 * replace `canActivate` and `handleRequest` whole and keep none of its logic; its storage
 * interface is what is shared, and every storage here implements it.
 *
 * Subclasses can change who is counted (`trackerOf`), the stored keys (`keysFor`) and
 * the refusal (`refuse`).
 */
@Injectable()
export class RateLimitGuard implements CanActivate, OnModuleInit {
  private readonly routeSettings = new RouteSettingsCache<RouteRateLimit>((context) => {
    const targets = [context.getHandler(), context.getClass()];
    const named = this.reflector.getAllAndOverride<RateLimitRouteMetadata | string | undefined>(
      RATE_LIMIT_POLICY_KEY,
      targets,
    );
    return {
      skipped: Boolean(
        this.reflector.getAllAndOverride<boolean>(SKIP_RATE_LIMIT_KEY, targets) ||
        this.reflector.getAllAndOverride<boolean>(INFRASTRUCTURE_ROUTE_KEY, targets),
      ),
      named: typeof named === 'string' ? { policy: named } : named || undefined,
      isPublic: Boolean(this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)),
    };
  });

  constructor(
    private readonly reflector: Reflector,
    @Inject(SECURITY_OPTIONS) private readonly options: SecurityModuleOptions,
    @Inject(RATE_LIMIT_STORAGES) private readonly storages: RateLimitStorages,
    private readonly events: SecurityEventLogger,
    private readonly metrics: SecurityMetrics,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('RateLimitGuard');
  }

  onModuleInit(): void {
    for (const [name, policy] of Object.entries(this.options.rateLimitPolicies)) {
      assertValidPolicy(name, policy, this.storages);
    }
    if (!this.options.rateLimitPolicies[DEFAULT_RATE_LIMIT_POLICY]) {
      throw new ConfigurationError(
        'rateLimitPolicies',
        `needs an "${DEFAULT_RATE_LIMIT_POLICY}" policy`,
      );
    }
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<RateLimitedRequest>();
    const route = this.routePolicyOf(context, request);
    if (!route) return true;

    const applied = this.apply(route, request, context);
    const decision = await this.decide(applied);
    if (!decision) return true;

    this.setHeaders(context.switchToHttp().getResponse<HeaderTarget>(), decision);
    if (!decision.admitted) await this.refuse(applied, decision, request);
    return true;
  }

  /** Who is counted: the user, else the API token, else the client address. */
  protected trackerOf(request: RateLimitedRequest): string {
    const user = request.user;
    if (user?.tokenType === 'api_token') return `apikey:${user.tokenId}`;
    if (user) return `user:${user.userId}`;
    // One IPv6 client usually holds a whole /64, so counting single addresses would let
    // it rotate around any limit; normalizeIp counts the /64 instead.
    return `ip:${normalizeIp(this.clientAddressOf(request))}`;
  }

  /**
   * The stored keys of one request, in one Redis Cluster hash slot. A lone key is its own
   * hash tag, spreading callers over the cluster; a policy with a second key tags the
   * policy, so both are checked in one atomic call (the cost is one slot per such policy,
   * which suits low-volume routes like OTP sending).
   */
  protected keysFor(policyName: string, tracker: string, alsoByValue?: string): string[] {
    const scope = `${this.options.serviceName}:${policyName}`;
    if (alsoByValue === undefined) return [`{${scope}:${tracker}}`];
    return [`{${scope}}:${tracker}`, `{${scope}}:value:${digest(alsoByValue)}`];
  }

  /** Logs and counts a refusal, then refuses unless the policy is in shadow mode. */
  protected async refuse(
    applied: AppliedRateLimitPolicy,
    decision: RateLimitDecision,
    request: RateLimitedRequest,
  ): Promise<void> {
    const endpoint = routePatternOf(request) ?? 'unmatched';
    const shadow = applied.policy.shadow === true;
    await this.events.logRateLimitExceeded({
      userId: request.user?.userId,
      ipAddress: this.clientAddressOf(request),
      resource: endpoint,
      action: request.method,
      details: {
        policy: applied.name,
        shadow,
        limit: decision.limit,
        window_seconds: applied.policy.windowSeconds,
        retry_after_seconds: decision.retryAfterSeconds,
      },
    });
    this.metrics.rateLimitViolation(endpoint, applied.name);
    if (!shadow) throw new RateLimitExceededException(decision.retryAfterSeconds, applied.name);
  }

  private routePolicyOf(
    context: ExecutionContext,
    request: RateLimitedRequest,
  ): RateLimitRouteMetadata | undefined {
    if (isInfrastructurePath(request.raw?.url ?? request.url)) return undefined;
    const route = this.routeSettings.of(context);
    if (route.skipped) return undefined;
    if (route.named) return route.named;
    return request.user || !route.isPublic ? DEFAULT_ROUTE_POLICY : undefined;
  }

  private apply(
    route: RateLimitRouteMetadata,
    request: RateLimitedRequest,
    context: ExecutionContext,
  ): AppliedRateLimitPolicy {
    const policy = this.options.rateLimitPolicies[route.policy];
    if (!policy) {
      const handler = `${context.getClass().name}.${context.getHandler().name}`;
      throw new Error(`Unknown rate-limit policy "${route.policy}" on ${handler}`);
    }
    const alsoByValue = route.alsoBy ? requestValue(request, route.alsoBy) : undefined;
    return {
      name: route.policy,
      policy,
      keys: this.keysFor(route.policy, this.trackerOf(request), alsoByValue),
    };
  }

  /** Asks the storage; on store trouble applies the policy's fail mode (undefined = admit). */
  private async decide(applied: AppliedRateLimitPolicy): Promise<RateLimitDecision | undefined> {
    const { name, policy, keys } = applied;
    try {
      return await this.storages[policy.algorithm].consume(
        keys,
        policy.limit,
        policy.windowSeconds * 1000,
      );
    } catch (error) {
      this.metrics.rateLimitStoreError(name, policy.failMode);
      this.logger.error(
        { err: error, policy: name, fail_mode: policy.failMode },
        `rate-limit store unavailable; policy ${name} fails ${policy.failMode}`,
      );
      if (policy.failMode === 'closed') throw new DependencyUnavailableException('redis');
      return undefined;
    }
  }

  private setHeaders(response: HeaderTarget, decision: RateLimitDecision): void {
    const headers: [string, number][] = [
      ['RateLimit-Limit', decision.limit],
      ['RateLimit-Remaining', decision.remaining],
      ['RateLimit-Reset', decision.resetSeconds],
    ];
    for (const [name, value] of headers) {
      // Fastify replies and Express responses both have header(); raw Node ones only setHeader().
      if (typeof response.header === 'function') response.header(name, String(value));
      else response.setHeader?.(name, String(value));
    }
  }

  private clientAddressOf(request: RateLimitedRequest): string {
    const known = RequestContext.current()?.clientIp;
    if (known) return known;
    const remote = request.socket?.remoteAddress ?? request.raw?.socket?.remoteAddress;
    return clientIp(request.headers['x-forwarded-for'], remote, this.options.trustProxy);
  }
}

function assertValidPolicy(
  name: string,
  policy: RateLimitPolicy,
  storages: RateLimitStorages,
): void {
  const where = `rateLimitPolicies.${name}`;
  if (!(policy.algorithm in storages)) {
    throw new ConfigurationError(where, `unknown algorithm "${policy.algorithm}"`);
  }
  if (!Number.isInteger(policy.limit) || policy.limit < 1) {
    throw new ConfigurationError(where, 'limit must be a positive integer');
  }
  if (!Number.isInteger(policy.windowSeconds) || policy.windowSeconds < 1) {
    throw new ConfigurationError(where, 'windowSeconds must be a positive integer');
  }
  if (policy.failMode !== 'open' && policy.failMode !== 'closed') {
    throw new ConfigurationError(where, 'failMode must be "open" or "closed"');
  }
}

/** The normalised value at `body.x`, `query.x` or `params.x`, if it is a non-empty string. */
function requestValue(request: RateLimitedRequest, path: string): string | undefined {
  const [source, field] = path.split('.', 2);
  const container = request[source as 'body' | 'query' | 'params'];
  if (!container || typeof container !== 'object') return undefined;
  const value = (container as Record<string, unknown>)[field];
  if (typeof value !== 'string') return undefined;
  const normalised = value.trim().toLowerCase();
  return normalised.length > 0 ? normalised : undefined;
}

/** Keeps personal data (emails, phone numbers) out of key names and bounds their length. */
function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}
