import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';

import type { RedisClient } from '../redis/redis-client.factory';
import { SECURITY_REDIS } from '../security.tokens';
import { SecurityStateStorage } from '../state/security-state.storage';

const DATABASE_CHECK_TIMEOUT_MS = 1_000;

/** Readiness of the service's dependencies: Redis (and the state mirror) and its database. */
@Injectable()
export class DependencyHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
    private readonly state: SecurityStateStorage,
    @Inject(SECURITY_REDIS) private readonly redis: RedisClient | null,
  ) {}

  async redisCheck(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('redis');
    if (!this.redis) return indicator.up({ mode: 'in-process' });
    try {
      await this.redis.ping();
    } catch {
      return indicator.down({ message: 'redis does not answer' });
    }
    return this.state.ready
      ? indicator.up()
      : indicator.down({ message: 'security state not in sync' });
  }

  /** Checks the application's TypeORM DataSource when it has one. */
  async databaseCheck(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('database');
    const dataSource = this.dataSource();
    if (!dataSource) return indicator.up({ mode: 'none' });
    try {
      await withTimeout(dataSource.query('SELECT 1'), DATABASE_CHECK_TIMEOUT_MS);
      return indicator.up();
    } catch {
      return indicator.down({ message: 'database does not answer' });
    }
  }

  private dataSource(): DataSource | undefined {
    try {
      return this.moduleRef.get(DataSource, { strict: false });
    } catch {
      return undefined;
    }
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
