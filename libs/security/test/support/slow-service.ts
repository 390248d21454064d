// A service started by the graceful-shutdown test: one public route that answers slowly.
import { Controller, Get, Module } from '@nestjs/common';

import {
  Public,
  SecurityModule,
  bootstrapService,
  securityOptionsFromEnv,
} from '@msmebazaar/security';

@Controller('api/slow')
class SlowController {
  @Public()
  @Get()
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.SLOW_MS ?? 500)));
    return { done: true };
  }
}

@Module({
  imports: [SecurityModule.forRoot(securityOptionsFromEnv())],
  controllers: [SlowController],
})
class SlowServiceModule {}

void bootstrapService(SlowServiceModule).then(() => process.send?.('ready'));
