import nodemailer, { type Transporter } from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { CarelineConfig } from '../config/config.js';

/** One outgoing mail. Bodies may hold single-use links; they are never logged. */
export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** E.g. a calendar invitation (text/calendar; method=REQUEST). */
  readonly attachments?: readonly { readonly filename: string; readonly content: string; readonly contentType: string }[];
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/**
 * SMTP through nodemailer, from CARELINE_SMTP_URL (smtp:// with STARTTLS when the server offers
 * it, or smtps://). Without a URL, mail is dropped with a warning that names no address.
 */
export function createMailer(config: Pick<CarelineConfig, 'mail'>, log: FastifyBaseLogger): Mailer {
  const { smtpUrl, from } = config.mail;
  if (!smtpUrl) {
    return {
      send: (mail) => {
        log.warn({ subject: mail.subject }, 'mail not sent: CARELINE_SMTP_URL is not set');
        return Promise.resolve();
      },
      close: () => undefined,
    };
  }
  const transport: Transporter = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, attachments: mail.attachments?.map((a) => ({ ...a })) });
    },
    close: () => transport.close(),
  };
}
