import { Global, Module, Scope } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TerminusModule } from '@nestjs/terminus';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { register } from 'prom-client';

import { JwksKeyResolver } from './authentication/jwks-key.resolver';
import { JwtAuthGuard } from './authentication/jwt-auth.guard';
import { JwtStrategy } from './authentication/jwt.strategy';
import { OwnershipGuard } from './authorization/ownership.guard';
import { OwnershipRegistry } from './authorization/ownership.registry';
import { PermissionsGuard } from './authorization/permissions.guard';
import { RolesGuard } from './authorization/roles.guard';
import type { SecurityModuleOptions } from './config/security-options.interface';
import { ProblemDetailsFilter } from './errors/problem-details.filter';
import { DependencyHealthIndicator } from './health/dependency-health.indicator';
import { HealthController } from './health/health.controller';
import { IpBlockService } from './ip-block/ip-block.service';
import { PLATFORM_LOGGER, createPlatformLogger } from './logging/platform-logger.factory';
import { PlatformPinoLogger, createNestLogger } from './logging/platform-pino.logger';
import { SecurityEventLogger } from './logging/security-event.logger';
import { METRIC_PROVIDERS } from './metrics/metric-providers';
import { SecurityMetrics } from './metrics/security-metrics.service';
import { RATE_LIMIT_PROVIDERS } from './rate-limit/rate-limit.providers';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { REDIS_PROVIDERS } from './redis/redis.providers';
import { RevocationService } from './revocation/revocation.service';
import { ConfigurableSecurityModule } from './security.module-definition';
import { SECURITY_OPTIONS, SECURITY_REDIS } from './security.tokens';
import { SecurityStateStorage } from './state/security-state.storage';
import { SecurityValidationPipe } from './validation/security-validation.pipe';

/** The global guards, in the contract's order of checks (the IP block runs before routing). */
const GUARD_CLASSES = [JwtAuthGuard, RateLimitGuard, RolesGuard, PermissionsGuard, OwnershipGuard];

const DEFAULT_PROCESS_METRIC = 'process_cpu_user_seconds_total';

/**
 * Everything a service needs to be protected, imported once:
 *
 * @example
 * @Module({ imports: [SecurityModule.forRoot(securityOptionsFromEnv())] })
 * export class AppModule {}
 *
 * Every route then requires an access token unless `@Public()`, and gets the contract's
 * headers, problem+json errors, validation, logging, metrics and health routes.
 */
@Global()
@Module({
  imports: [
    DiscoveryModule,
    PassportModule,
    TerminusModule,
    PrometheusModule.registerAsync({
      inject: [SECURITY_OPTIONS],
      useFactory: (options: SecurityModuleOptions) => ({
        path: '/metrics',
        defaultLabels: { service: options.serviceName },
        // Several apps may share a process (tests, benchmarks); default metrics register once.
        defaultMetrics: { enabled: !register.getSingleMetric(DEFAULT_PROCESS_METRIC) },
      }),
    }),
  ],
  controllers: [HealthController],
  providers: [
    { provide: PLATFORM_LOGGER, inject: [SECURITY_OPTIONS], useFactory: createPlatformLogger },
    // Transient: each consumer names its own context with `setContext`.
    {
      provide: PinoLogger,
      scope: Scope.TRANSIENT,
      inject: [PLATFORM_LOGGER],
      useFactory: (logger: Logger) => new PlatformPinoLogger(logger),
    },
    { provide: NestPinoLogger, inject: [PLATFORM_LOGGER], useFactory: createNestLogger },
    ...REDIS_PROVIDERS,
    ...METRIC_PROVIDERS,
    SecurityMetrics,
    SecurityEventLogger,
    SecurityStateStorage,
    RevocationService,
    IpBlockService,
    JwksKeyResolver,
    JwtStrategy,
    OwnershipRegistry,
    DependencyHealthIndicator,
    ...RATE_LIMIT_PROVIDERS,
    ...GUARD_CLASSES,
    ...GUARD_CLASSES.map((guard) => ({ provide: APP_GUARD, useExisting: guard })),
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    { provide: APP_PIPE, useClass: SecurityValidationPipe },
  ],
  exports: [
    SECURITY_OPTIONS,
    PLATFORM_LOGGER,
    PinoLogger,
    NestPinoLogger,
    SECURITY_REDIS,
    SecurityMetrics,
    SecurityEventLogger,
    RevocationService,
    IpBlockService,
  ],
})
export class SecurityModule extends ConfigurableSecurityModule {}
