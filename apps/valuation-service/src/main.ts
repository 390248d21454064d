import { Module } from '@nestjs/common';

import { bootstrapService, ConfigurationError, EnvReader } from '@msmebazaar/security';

import { AppModule } from './app/app.module';
import { valuationServiceConfigFromEnv } from './config/valuation-service.config';

const DEFAULT_PORT = 8003;

/** Reads configuration; on an invalid value, one line naming the variable, then exit 1. */
function configured<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    // No logger exists before the configuration does: a plain line on stderr.
    process.stderr.write(`valuation-service: configuration error: ${error.message}\n`);
    process.exit(1);
  }
}

const config = configured(() => valuationServiceConfigFromEnv());
const port = configured(() =>
  new EnvReader().integer('PORT', DEFAULT_PORT, { min: 0, max: 65_535 }),
);

/** The service as deployed, configured from the environment once at start. */
@Module({ imports: [AppModule.register(config)] })
class ValuationServiceModule {}

void bootstrapService(ValuationServiceModule, { port });
