import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';

import { Public } from '../authentication/public.decorator';
import { ProblemException } from '../errors/problem.exception';
import { DependencyHealthIndicator } from './dependency-health.indicator';

/** Liveness (the process answers) and readiness (its database and Redis answer). */
@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependencies: DependencyHealthIndicator,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.dependencies.databaseCheck(),
        () => this.dependencies.redisCheck(),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      throw new ProblemException(503, 'not-ready', 'Not ready', 'A dependency is unavailable.', {
        checks: result.details,
      });
    }
  }
}
