import type { AddressInfo } from 'node:net';
import { type AddressObject, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface MailAddress {
  name: string;
  address: string;
}

/** A mail as its reader's mail program would show it, with the bytes that came over the wire. */
export interface ParsedMessage {
  subject: string;
  from: MailAddress[];
  to: MailAddress[];
  /** The text/plain part; '' when the mail has none. Over SMTP a single-part mail ends with the line break the transfer adds. */
  text: string;
  /** The text/html part; null when the mail has none. */
  html: string | null;
  raw: string;
}

export interface ReceivedMail extends ParsedMessage {
  /** MAIL FROM; '' for the null sender. */
  envelopeFrom: string;
  /** RCPT TO, in the order the client gave them. */
  envelopeTo: string[];
}

const addressesOf = (field: AddressObject | AddressObject[] | undefined): MailAddress[] =>
  (Array.isArray(field) ? field : field ? [field] : [])
    .flatMap((list) => list.value)
    .flatMap((entry) => entry.group ?? [entry])
    .map((entry) => ({ name: entry.name, address: entry.address ?? '' }));

/** Reads a mail, whether it came by SMTP or was written to an .eml file. */
export async function parseMail(raw: string | Buffer): Promise<ParsedMessage> {
  // Without the skips mailparser would make up a text part from the HTML (and the other way round), and rewrite links;
  // a test must see only what the sender wrote.
  const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  return {
    subject: mail.subject ?? '',
    from: addressesOf(mail.from),
    to: addressesOf(mail.to),
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : null,
    raw: Buffer.isBuffer(raw) ? raw.toString('utf8') : raw,
  };
}

export interface TestSmtpServer {
  port: number;
  received: ReceivedMail[];
  close(): Promise<void>;
}

/**
 * A real SMTP server on a free port of 127.0.0.1 that keeps every mail it accepts. `options` reach smtp-server as they are,
 * so a test can require a login (`onAuth`, `allowInsecureAuth`) or refuse mail; only the handling of the data is the helper's.
 */
export async function startSmtp(options: Omit<SMTPServerOptions, 'onData'> = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    // nodemailer upgrades to TLS whenever it is offered, and would refuse smtp-server's self-signed certificate.
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Senders keep pooled connections open; a test's server closes them at once instead of waiting 30 s.
    closeTimeout: 200,
    ...options,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        // The mail is kept before the server answers, so it is there as soon as the sender's send() resolves.
        parseMail(Buffer.concat(chunks)).then(
          (mail) => {
            const { mailFrom, rcptTo } = session.envelope;
            received.push({ envelopeFrom: mailFrom ? mailFrom.address : '', envelopeTo: rcptTo.map((r) => r.address), ...mail });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
