import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AUDIT_MODULE_OPTIONS } from './audit.constants';
import { AuditChainService } from './audit-chain.service';
import type { AuditModuleOptions } from './audit-module-options.interface';

const DEFAULT_SEAL_INTERVAL_MS = 1000;

/**
 * Seals this database's new audit rows every `sealIntervalMs` (default 1 s) while the
 * application runs, and once more at shutdown. Every instance of a service runs one; they
 * take turns through the chain head lock and never queue behind each other. A row is
 * tamper-evident once sealed, so the interval bounds the window in which a database
 * superuser could edit a new row unnoticed.
 */
@Injectable()
export class AuditSealingService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditSealingService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly chain: AuditChainService,
    @Inject(AUDIT_MODULE_OPTIONS) private readonly options: AuditModuleOptions,
  ) {}

  onApplicationBootstrap(): void {
    const intervalMs = this.options.sealIntervalMs ?? DEFAULT_SEAL_INTERVAL_MS;
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => void this.sealNow().catch(() => 0), intervalMs);
    this.timer.unref();
  }

  // Before, not on, shutdown: TypeORM closes the DataSource in its own shutdown hook.
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sealNow().catch(() => 0);
  }

  /** Seals what is committed now; concurrent calls share one run. Answers rows sealed. */
  sealNow(): Promise<number> {
    this.running ??= this.chain
      .seal(this.dataSource)
      .catch((error: Error) => {
        this.logger.warn({ err: error.message }, 'audit rows not sealed; retrying next round');
        throw error;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
