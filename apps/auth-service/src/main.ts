import { bootstrapService } from '@msmebazaar/security';

import { AppModule } from './app/app.module';

void bootstrapService(AppModule, { defaultPort: 8001 });
