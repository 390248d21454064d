import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

import { AUTH_CONFIG, type AuthConfig } from '../config/auth.config';
import { MAIL_SENDER, type MailSender } from './mail-sender.interface';
import { MailTemplates } from './mail-templates.constants';

/**
 * The mails of the account lifecycle. Sending happens after the response: answers must
 * not take longer for a known email than for an unknown one, and an SMTP hiccup must not
 * turn into an error that tells the caller the account exists.
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @Inject(MAIL_SENDER) private readonly sender: MailSender,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(MailService.name);
  }

  sendVerification(to: string, name: string, token: string): void {
    const url = `${this.config.publicBaseUrl}/verify-email?token=${encodeURIComponent(token)}`;
    this.deliver(to, 'verification', MailTemplates.verification(name, url));
  }

  sendPasswordReset(to: string, name: string, token: string): void {
    const url = `${this.config.publicBaseUrl}/reset-password?token=${encodeURIComponent(token)}`;
    this.deliver(to, 'password_reset', MailTemplates.passwordReset(name, url));
  }

  sendOtp(to: string, code: string): void {
    this.deliver(to, 'otp', MailTemplates.otp(code));
  }

  sendAccountLocked(to: string, name: string, lockSeconds: number): void {
    this.deliver(
      to,
      'account_locked',
      MailTemplates.accountLocked(name, Math.ceil(lockSeconds / 60)),
    );
  }

  sendRegistrationAttempt(to: string, name: string): void {
    const base = this.config.publicBaseUrl;
    this.deliver(
      to,
      'registration_attempt',
      MailTemplates.registrationAttempt(name, `${base}/login`, `${base}/forgot-password`),
    );
  }

  /**
   * Runs `work` (issue a token and mail it, or send an SMS) after the response, so a
   * known destination is answered as fast as an unknown one.
   */
  defer(kind: string, work: () => Promise<void>): void {
    this.track(
      work().catch((error: unknown) => {
        this.logger.error({ err: error, mail_kind: kind }, 'deferred mail work failed');
      }),
    );
  }

  /** Resolves once every mail handed over so far has been sent or has failed. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private deliver(to: string, kind: string, mail: { subject: string; text: string; html: string }) {
    this.track(
      this.sender.send({ to, ...mail }).catch((error: unknown) => {
        this.logger.error({ err: error, mail_kind: kind }, 'mail could not be sent');
      }),
    );
  }

  private track(work: Promise<void>): void {
    const tracked = work.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }
}
