import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

import { AUTH_CONFIG, type AuthConfig } from '../config/auth.config';
import type { MailMessage, MailSender } from './mail-sender.interface';

/**
 * Writes mail to the log instead of sending it, for development without an SMTP server.
 * The body (with its link or code) is logged in development only; production refuses to
 * start without `SMTP_URL`, and in tests only the recipient and subject are logged.
 */
@Injectable()
export class LogMailSender implements MailSender {
  private readonly includeBody: boolean;

  constructor(
    @Inject(AUTH_CONFIG) config: AuthConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(LogMailSender.name);
    this.includeBody = config.environment === 'development';
  }

  async send(message: MailMessage): Promise<void> {
    this.logger.info(
      {
        mail_to: message.to,
        subject: message.subject,
        ...(this.includeBody ? { development_only_body: message.text } : {}),
      },
      this.includeBody
        ? 'DEVELOPMENT ONLY: mail not sent, body logged'
        : 'mail not sent (no SMTP_URL)',
    );
  }
}
