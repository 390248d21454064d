import type { MailMessage } from './mail-sender.interface';

type Mail = Omit<MailMessage, 'to'>;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Builds both bodies from paragraphs and an optional call-to-action link. */
function compose(
  subject: string,
  paragraphs: string[],
  link?: { label: string; url: string },
): Mail {
  const text = [...paragraphs, ...(link ? [`${link.label}: ${link.url}`] : [])].join('\n\n');
  const html = [
    ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    ...(link ? [`<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`] : []),
  ].join('\n');
  return { subject, text: `${text}\n\n-- MSMEBazaar`, html: `<!doctype html>\n${html}` };
}

/** The mails the service sends. */
export const MailTemplates = {
  verification(name: string, url: string): Mail {
    return compose(
      'Verify your MSMEBazaar email address',
      [
        `Hello ${name},`,
        'Confirm your email address to finish creating your account. ' +
          'The link is valid for 24 hours.',
      ],
      { label: 'Verify email address', url },
    );
  },

  passwordReset(name: string, url: string): Mail {
    return compose(
      'Reset your MSMEBazaar password',
      [
        `Hello ${name},`,
        'Someone asked to reset the password of your account. ' +
          'The link is valid for 30 minutes and works once.',
        'If it was not you, ignore this mail; your password stays as it is.',
      ],
      { label: 'Choose a new password', url },
    );
  },

  otp(code: string): Mail {
    return compose('Your MSMEBazaar one-time code', [
      `Your one-time code is ${code}.`,
      'It is valid for 5 minutes. ' +
        'Never share it with anyone; MSMEBazaar staff will never ask for it.',
    ]);
  },

  accountLocked(name: string, minutes: number): Mail {
    return compose('Your MSMEBazaar account was locked', [
      `Hello ${name},`,
      `After several failed login attempts your account is locked for ${minutes} minutes.`,
      'If these attempts were not yours, reset your password once the lock ends.',
    ]);
  },

  registrationAttempt(name: string, loginUrl: string, resetUrl: string): Mail {
    return compose(
      'Someone tried to register with your email',
      [
        `Hello ${name},`,
        'Someone tried to create an MSMEBazaar account with your email address, ' +
          'which already has one.',
        `If it was you, log in at ${loginUrl}. If you forgot your password, reset it instead.`,
      ],
      { label: 'Reset your password', url: resetUrl },
    );
  },
};
