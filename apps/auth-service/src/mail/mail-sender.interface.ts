/** One outgoing mail with both bodies. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Delivers mail; the SMTP implementation is the only one allowed in production. */
export interface MailSender {
  send(message: MailMessage): Promise<void>;
}

/** Injection token of the {@link MailSender}. */
export const MAIL_SENDER = Symbol('MAIL_SENDER');
