import { type DynamicModule, Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { SecurityModuleOptions } from '../config/security-options.interface';
import { AUDIT_SINK, SECURITY_OPTIONS } from '../security.tokens';
import { AUDIT_MODULE_OPTIONS } from './audit.constants';
import type { AuditModuleOptions } from './audit-module-options.interface';
import { AuditSubscriber } from './audit.subscriber';
import { AuditChainService } from './audit-chain.service';
import { AuditChainHead, AuditLog } from './audit-log.entity';
import { AuditLogQueryService } from './audit-log-query.service';
import { AuditSealingService } from './audit-sealing.service';
import { CreateAuditLogs1764720000000 } from './create-audit-logs.migration';
import { TypeOrmAuditSink } from './typeorm-audit.sink';

/** Entities to add to each service's DataSource `entities`. */
export const AUDIT_ENTITIES = [AuditLog, AuditChainHead];

/** Migrations to add to each service's DataSource `migrations`. */
export const AUDIT_MIGRATIONS = [CreateAuditLogs1764720000000];

/**
 * The audit trail for a service with a TypeORM DataSource: provides `AUDIT_SINK` (so the
 * `SecurityEventLogger` persists audited events), {@link AuditLogQueryService}, the
 * {@link AuditSealingService} that chains new rows every second, and, on module init,
 * pushes an {@link AuditSubscriber} into the DataSource's `subscribers`.
 * Global; import it once next to `TypeOrmModule.forRoot()` with {@link AUDIT_ENTITIES}
 * and {@link AUDIT_MIGRATIONS} in the DataSource options.
 *
 * @example
 * ```ts
 * imports: [
 *   TypeOrmModule.forRoot({ ...db, entities: [User, ...AUDIT_ENTITIES],
 *     migrations: [...AUDIT_MIGRATIONS], migrationsRun: true }),
 *   AuditModule.forRoot({ hmacKey: process.env.AUDIT_HMAC_KEY }),
 * ]
 * ```
 */
@Global()
@Module({})
export class AuditModule implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(AuditSubscriber) private readonly subscriber: AuditSubscriber,
  ) {}

  static forRoot(options: AuditModuleOptions = {}): DynamicModule {
    return {
      module: AuditModule,
      global: true,
      providers: [
        { provide: AUDIT_MODULE_OPTIONS, useValue: options },
        {
          provide: AuditChainService,
          useFactory: (resolved: AuditModuleOptions) => new AuditChainService(resolved.hmacKey),
          inject: [AUDIT_MODULE_OPTIONS],
        },
        {
          provide: AuditSubscriber,
          useFactory: (
            chain: AuditChainService,
            resolved: AuditModuleOptions,
            security?: SecurityModuleOptions,
          ) =>
            new AuditSubscriber(chain, resolved.serviceName ?? security?.serviceName ?? 'unknown'),
          inject: [
            AuditChainService,
            AUDIT_MODULE_OPTIONS,
            { token: SECURITY_OPTIONS, optional: true },
          ],
        },
        { provide: AUDIT_SINK, useClass: TypeOrmAuditSink },
        AuditLogQueryService,
        AuditSealingService,
      ],
      exports: [AUDIT_SINK, AuditChainService, AuditLogQueryService, AuditSealingService],
    };
  }

  onModuleInit(): void {
    if (!this.dataSource.subscribers.includes(this.subscriber)) {
      this.dataSource.subscribers.push(this.subscriber);
    }
  }
}
