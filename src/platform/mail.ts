import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { type Config, DEFAULT_MAIL_FROM, withoutPassword } from './config.ts';
import { newId } from './ids.ts';

/** An address, or a name and an address; the name is quoted as the header needs. */
export type Recipient = string | { name: string; address: string };

export interface MailMessage {
  to: Recipient | Recipient[];
  subject: string;
  text: string;
  html?: string;
}

export interface SentMail {
  messageId: string;
  /** The .eml file under the data folder when there is no SMTP server; null when sent. */
  file: string | null;
}

export interface MailLogger {
  info(obj: object, msg: string): void;
}

export interface Mailer {
  send(message: MailMessage): Promise<SentMail>;
  /** Closes kept SMTP connections; sending after it opens new ones. */
  close?(): void;
}

/** The folder a mailer without SMTP writes to. */
export const mailFolder = (dataDir: string): string => path.join(dataDir, 'mail');

const recipientsOf = (to: Recipient | Recipient[]): Recipient[] =>
  (Array.isArray(to) ? to : [to]).filter((r) => (typeof r === 'string' ? r.trim() : r.address.trim()) !== '');

/**
 * Sends through MEDIEHUS_SMTP_URL when it is set; otherwise writes each mail as an .eml file to
 * `<dataDir>/mail/`, so the demo needs no mail server and a newcomer can open what would have been sent.
 * Logs say where a mail went, never what it said or the SMTP password.
 */
export function createMailer(config: Pick<Config, 'smtp' | 'dataDir'>, logger: MailLogger): Mailer {
  if (config.smtp) {
    const { url, from } = config.smtp;
    // A mail server that hangs must not hold a job past its lease (5 minutes).
    // A pool keeps a few connections open, so a digest to 20,000 people is not 20,000 SMTP handshakes.
    const transport = nodemailer.createTransport({ url, pool: true, maxConnections: 4, maxMessages: 500, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
    logger.info({ smtp: withoutPassword(url) }, 'mail is sent by SMTP');
    return {
      async send(message) {
        const to = recipientsOf(message.to);
        if (to.length === 0) throw new Error('A mail needs at least one recipient');
        const info = await transport.sendMail({ from, to, subject: message.subject, text: message.text, html: message.html });
        logger.info({ messageId: info.messageId, recipients: to.length }, 'mail sent');
        return { messageId: info.messageId, file: null };
      },
      close: () => transport.close(),
    };
  }

  const folder = mailFolder(config.dataDir);
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  logger.info({ folder }, 'no SMTP server is set: mail is written to files');
  return {
    async send(message) {
      const to = recipientsOf(message.to);
      if (to.length === 0) throw new Error('A mail needs at least one recipient');
      const info = await transport.sendMail({ from: DEFAULT_MAIL_FROM, to, subject: message.subject, text: message.text, html: message.html });
      await fs.mkdir(folder, { recursive: true, mode: 0o700 });
      // Named by time first, so the folder lists in the order the mails were written.
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${newId().slice(0, 8)}.eml`;
      const file = path.join(folder, name);
      // Mails name people and their work: readable by the service's own user only.
      await fs.writeFile(file, info.message as Buffer, { mode: 0o600, flag: 'wx' });
      logger.info({ file: name, recipients: to.length }, 'mail written to file');
      return { messageId: info.messageId, file };
    },
  };
}
