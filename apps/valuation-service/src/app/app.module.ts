import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuditModule, SecurityModule } from '@msmebazaar/security';

import {
  valuationServiceConfigFromEnv,
  type ValuationServiceConfig,
} from '../config/valuation-service.config';
import { ValuationModule } from '../valuation/valuation.module';

/** valuation-service: valuations of MSMEs read from msme-service as the caller. */
@Module({})
export class AppModule {
  static register(config: ValuationServiceConfig = valuationServiceConfigFromEnv()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SecurityModule.forRoot(config.security),
        TypeOrmModule.forRoot(config.database),
        AuditModule.forRoot(config.audit),
        ValuationModule.register(config.msmeClient),
      ],
    };
  }
}
