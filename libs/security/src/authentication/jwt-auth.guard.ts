import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { LRUCache } from 'lru-cache';
import { PinoLogger } from 'nestjs-pino';

import { DependencyUnavailableException } from '../errors/dependency-unavailable.exception';
import { SecurityMetrics } from '../metrics/security-metrics.service';
import { RequestContext } from '../request-context/request-context';
import { isInfrastructurePath } from '../request-context/request-context.middleware';
import { RevocationService } from '../revocation/revocation.service';
import { RouteSettingsCache } from '../routing/route-settings.cache';
import {
  ACCEPTED_TOKEN_TYPES_KEY,
  IS_PUBLIC_KEY,
  OWNER_OF_KEY,
  PERMISSIONS_KEY,
  ROLES_KEY,
} from '../security.constants';
import { InvalidTokenException } from './invalid-token.exception';
import { PLATFORM_JWT_STRATEGY } from './jwt.strategy';
import type { Principal } from './principal.interface';
import { routePatternOf } from './route-pattern';
import type { TokenType } from './token-claims.interface';
import { extractToken, type ExtractedToken } from './token-extractor';

interface GuardedRequest {
  url?: string;
  raw?: { url?: string };
  headers: Record<string, string | undefined>;
  user?: Principal;
  route?: { path?: unknown };
  routeOptions?: { url?: unknown };
}

/** What a route's decorators say about authentication. */
interface RouteAuthentication {
  isPublic: boolean;
  acceptedTypes: readonly TokenType[];
}

const DEFAULT_TOKEN_TYPES: readonly TokenType[] = ['access'];
const VERIFIED_CACHE_ENTRIES = 10_000;
const REQUIREMENT_KEYS = [ROLES_KEY, PERMISSIONS_KEY, OWNER_OF_KEY];

/**
 * The global authentication guard: every route needs a valid, unrevoked token of an
 * accepted type unless it is `@Public()`.
 *
 * Signature checks are done once per token by passport-jwt and remembered until the
 * token expires; type and revocation are checked on every request, from local state.
 * A method that declares roles, permissions or ownership requires a caller even under
 * a `@Public()` controller, so a forgotten decorator fails closed.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(PLATFORM_JWT_STRATEGY) {
  private readonly verified = new LRUCache<string, Principal>({ max: VERIFIED_CACHE_ENTRIES });
  private readonly routeSettings = new RouteSettingsCache<RouteAuthentication>((context) => {
    const handler = context.getHandler();
    const targets = [handler, context.getClass()];
    return {
      isPublic:
        Boolean(this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) &&
        !REQUIREMENT_KEYS.some((key) => this.reflector.get(key, handler)),
      acceptedTypes:
        this.reflector.getAllAndOverride<TokenType[]>(ACCEPTED_TOKEN_TYPES_KEY, targets) ??
        DEFAULT_TOKEN_TYPES,
    };
  });

  constructor(
    private readonly reflector: Reflector,
    private readonly revocation: RevocationService,
    private readonly metrics: SecurityMetrics,
    private readonly logger: PinoLogger,
  ) {
    super();
    this.logger.setContext('JwtAuthGuard');
  }

  /** Synchronous for a token already verified: no await on the common path. */
  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const requestContext = RequestContext.current();
    if (requestContext) requestContext.route = routePatternOf(request);
    if (isInfrastructurePath(request.raw?.url ?? request.url)) return true;
    if (this.routeSettings.of(context).isPublic) return true;

    const extracted = extractToken(request.headers);
    if (!extracted) throw new InvalidTokenException();
    const cached = this.verified.get(extracted.token);
    if (cached && cached.expiresAtSeconds * 1000 > Date.now()) {
      return this.admit(context, request, cached, extracted);
    }
    return this.verify(context, extracted).then((principal) =>
      this.admit(context, request, principal, extracted),
    );
  }

  private admit(
    context: ExecutionContext,
    request: GuardedRequest,
    principal: Principal,
    extracted: ExtractedToken,
  ): true {
    this.assertAccepted(context, principal, extracted);
    this.assertNotRevoked(principal);

    this.metrics.tokenValidation('valid');
    request.user = principal;
    const requestContext = RequestContext.current();
    if (requestContext) requestContext.userId = principal.userId;
    return true;
  }

  /** Called by passport with its outcome; turns every failure into a 401 (or a 503). */
  override handleRequest<TUser = Principal>(error: unknown, user: unknown, info: unknown): TUser {
    const failure = error ?? info;
    if (failure instanceof DependencyUnavailableException) throw failure;
    if (!user) {
      const expired = (failure as { name?: string } | undefined)?.name === 'TokenExpiredError';
      this.metrics.tokenValidation(expired ? 'expired' : 'invalid');
      throw new InvalidTokenException(expired ? 'The token has expired.' : undefined);
    }
    return user as TUser;
  }

  private async verify(context: ExecutionContext, extracted: ExtractedToken): Promise<Principal> {
    await super.canActivate(context);
    const principal = context.switchToHttp().getRequest<GuardedRequest>().user as Principal;
    // Expiry is checked on each hit from the token's own `exp`: entries with a TTL would
    // make the cache start a timer every millisecond to refresh its clock.
    if (principal.expiresAtSeconds * 1000 > Date.now()) {
      this.verified.set(extracted.token, principal);
    }
    return principal;
  }

  private assertAccepted(
    context: ExecutionContext,
    principal: Principal,
    extracted: ExtractedToken,
  ) {
    const accepted = this.routeSettings.of(context).acceptedTypes;
    const viaApiKeyHeader = extracted.source === 'api-key' && principal.tokenType !== 'api_token';
    if (!accepted.includes(principal.tokenType) || viaApiKeyHeader) {
      this.metrics.tokenValidation('invalid');
      throw new InvalidTokenException('This kind of token is not accepted here.');
    }
  }

  private assertNotRevoked(principal: Principal): void {
    const reason = this.revocation.revocationOf({
      jti: principal.tokenId,
      sid: principal.sessionId,
      sub: principal.userId,
      iat: principal.issuedAtSeconds,
    });
    if (!reason) return;
    this.metrics.tokenValidation('revoked');
    this.logger.warn(
      { user_id: principal.userId, token_id: principal.tokenId, reason },
      `refused revoked token of user ${principal.userId}`,
    );
    throw new InvalidTokenException('The token has been revoked.');
  }
}
