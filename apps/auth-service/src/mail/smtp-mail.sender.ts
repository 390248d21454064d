import { createTransport, type Transporter } from 'nodemailer';

import type { MailMessage, MailSender } from './mail-sender.interface';

/** Sends mail through the SMTP server of `SMTP_URL`. */
export class SmtpMailSender implements MailSender {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = createTransport(smtpUrl);
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({ from: this.from, ...message });
  }

  close(): void {
    this.transport.close();
  }
}
