import { SMTPServer } from 'smtp-server';

import { freePort } from '../../../../test/support/redis';

/** A received mail, decoded enough for assertions. */
export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

function decodeQuotedPrintable(body: string): string {
  const bytes = body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function decodePart(headers: string, body: string): string {
  if (/content-transfer-encoding:\s*base64/i.test(headers)) {
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  if (/content-transfer-encoding:\s*quoted-printable/i.test(headers))
    return decodeQuotedPrintable(body);
  return body;
}

/** Splits a raw message into its text and HTML parts (single-part and multipart). */
function parse(raw: string, recipients: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const subject = /^subject:\s*(.*)$/im.exec(headers)?.[1]?.trim() ?? '';
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(headers)?.[1];
  const parts = boundary
    ? body
        .split(`--${boundary}`)
        .slice(1, -1)
        .map((part) => {
          const at = part.indexOf('\r\n\r\n');
          return { headers: part.slice(0, at), body: part.slice(at + 4) };
        })
    : [{ headers, body }];
  const find = (type: string) => {
    const part = parts.find((candidate) =>
      new RegExp(`content-type:\\s*${type}`, 'i').test(candidate.headers),
    );
    return part ? decodePart(part.headers, part.body) : '';
  };
  return { to: recipients, subject, text: find('text/plain'), html: find('text/html') };
}

/** An SMTP server that keeps every mail it receives, for tests that read mail. */
export class MailSink {
  readonly mails: ReceivedMail[] = [];
  private readonly waiters = new Set<() => void>();

  private server?: SMTPServer;

  private constructor(readonly port: number) {}

  static async start(): Promise<MailSink> {
    const sink = new MailSink(await freePort());
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address);
          sink.receive(parse(Buffer.concat(chunks).toString('utf8'), recipients));
          callback();
        });
      },
    });
    sink.server = server;
    await new Promise<void>((resolve) => server.listen(sink.port, '127.0.0.1', resolve));
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Waits for a mail to `to` whose subject matches, received after `afterCount` mails. */
  async waitFor(to: string, subject: RegExp, timeoutMs = 10_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.mails.find((mail) => mail.to.includes(to) && subject.test(mail.subject));
      if (found) {
        this.mails.splice(this.mails.indexOf(found), 1);
        return found;
      }
      if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${subject}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Mails to `to` received so far (left in the sink). */
  mailsTo(to: string): ReceivedMail[] {
    return this.mails.filter((mail) => mail.to.includes(to));
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private receive(mail: ReceivedMail): void {
    this.mails.push(mail);
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }
}

/** The token of a link in a mail body. */
export function tokenFromMail(mail: ReceivedMail): string {
  const match = /token=([A-Za-z0-9._~%-]+)/.exec(mail.text);
  if (!match) throw new Error(`no token link in mail "${mail.subject}"`);
  return decodeURIComponent(match[1]);
}

/** The 6-digit code of an OTP mail. */
export function codeFromMail(mail: ReceivedMail): string {
  const match = /code is (\d{6})/.exec(mail.text);
  if (!match) throw new Error(`no code in mail "${mail.subject}"`);
  return match[1];
}
