import { Module } from '@nestjs/common';

import { bootstrapService, readConfigOrExit } from '@msmebazaar/security';

import { AppModule } from './app/app.module';
import { msmeServiceConfigFromEnv } from './config/msme-service.config';

const config = readConfigOrExit('msme-service', () => msmeServiceConfigFromEnv());

/** The service as deployed, configured from the environment once at start. */
@Module({ imports: [AppModule.register(config)] })
class MsmeServiceModule {}

void bootstrapService(MsmeServiceModule, { defaultPort: 8002 });
