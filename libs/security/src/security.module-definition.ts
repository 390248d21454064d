import { ConfigurableModuleBuilder } from '@nestjs/common';

import type { SecurityModuleOptions } from './config/security-options.interface';
import { SECURITY_OPTIONS } from './security.tokens';

export const { ConfigurableModuleClass: ConfigurableSecurityModule } =
  new ConfigurableModuleBuilder<SecurityModuleOptions>({ optionsInjectionToken: SECURITY_OPTIONS })
    .setClassMethodName('forRoot')
    .build();
