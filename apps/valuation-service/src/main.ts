import { Module } from '@nestjs/common';

import { bootstrapService, readConfigOrExit } from '@msmebazaar/security';

import { AppModule } from './app/app.module';
import { valuationServiceConfigFromEnv } from './config/valuation-service.config';

const config = readConfigOrExit('valuation-service', () => valuationServiceConfigFromEnv());

/** The service as deployed, configured from the environment once at start. */
@Module({ imports: [AppModule.register(config)] })
class ValuationServiceModule {}

void bootstrapService(ValuationServiceModule, { defaultPort: 8003 });
