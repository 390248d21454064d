import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuditModule, SecurityModule } from '@msmebazaar/security';

import { msmeServiceConfigFromEnv, type MsmeServiceConfig } from '../config/msme-service.config';
import { MsmeModule } from '../msme/msme.module';

/** msme-service: MSME profiles behind the platform's security module. */
@Module({})
export class AppModule {
  static register(config: MsmeServiceConfig = msmeServiceConfigFromEnv()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SecurityModule.forRoot(config.security),
        TypeOrmModule.forRoot(config.database),
        AuditModule.forRoot(config.audit),
        MsmeModule,
      ],
    };
  }
}
