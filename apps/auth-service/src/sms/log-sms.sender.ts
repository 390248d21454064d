import { Inject, Injectable } from '@nestjs/common';
import { DependencyUnavailableException } from '@msmebazaar/security';
import { PinoLogger } from 'nestjs-pino';

import { AUTH_CONFIG, type AuthConfig } from '../config/auth.config';
import type { SmsSender } from './sms-sender.interface';

/**
 * The development SMS provider: writes the message to the log. Outside development it
 * logs only the recipient, so a code never reaches a shared log; in production it is
 * not used at all (see {@link UnconfiguredSmsSender}).
 */
@Injectable()
export class LogSmsSender implements SmsSender {
  readonly configured = true;
  private readonly includeText: boolean;

  constructor(
    @Inject(AUTH_CONFIG) config: AuthConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(LogSmsSender.name);
    this.includeText = config.environment === 'development';
  }

  async send(toE164: string, text: string): Promise<void> {
    this.logger.info(
      { sms_to: toE164, ...(this.includeText ? { development_only_text: text } : {}) },
      this.includeText
        ? 'DEVELOPMENT ONLY: SMS not sent, text logged'
        : 'SMS not sent (no provider)',
    );
  }
}

/**
 * Production has no SMS provider until one is bound to `SMS_SENDER`: SMS codes answer
 * 503 (for every destination, so the answer tells nothing about accounts) rather than
 * vanishing silently.
 */
export class UnconfiguredSmsSender implements SmsSender {
  readonly configured = false;

  async send(): Promise<void> {
    throw new DependencyUnavailableException('sms');
  }
}
