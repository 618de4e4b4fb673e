import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_MAIL_FROM, loadConfig } from './config.ts';
import { createMailer, type MailLogger } from './mail.ts';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on a free local port that keeps what it is given. */
async function startSmtp(options: SMTPServerOptions = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

// ---- just enough MIME reading to see what a person's mail program would show ----

const qpBytes = (s: string): Buffer => {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(s.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(s.charCodeAt(i));
  }
  return Buffer.from(bytes);
};

function decodeHeader(value: string): string {
  const word = /=\?[^?]+\?([QqBb])\?([^?]*)\?=/g;
  // Whitespace between two encoded words is not part of the text (RFC 2047), and a character may be split across them.
  return value.replace(/(?:=\?[^?]+\?[QqBb]\?[^?]*\?=\s*)+/g, (run) => {
    const trailing = /\s*$/.exec(run)![0];
    const bytes = [...run.matchAll(word)].map(([, enc, data]) => (enc!.toUpperCase() === 'B' ? Buffer.from(data!, 'base64') : qpBytes(data!.replace(/_/g, ' '))));
    return Buffer.concat(bytes).toString('utf8') + trailing;
  });
}

interface Part {
  headers: Record<string, string>;
  body: string;
}

function parseHead(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = decodeHeader(line.slice(colon + 1).trim());
  }
  return headers;
}

// Files may be written with Unix line ends; SMTP always has CRLF.
const crlf = (message: string) => message.replace(/\r?\n/g, '\r\n');

function parseMessage(raw: string): Part[] {
  const split = raw.indexOf('\r\n\r\n');
  const headers = parseHead(raw.slice(0, split));
  const body = raw.slice(split + 4);
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (boundary) {
    return body
      .split(`--${boundary}`)
      .slice(1, -1)
      .flatMap((p) => parseMessage(p.replace(/^\r\n/, '').replace(/\r\n$/, '')));
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const decoded =
    encoding === 'quoted-printable' ? qpBytes(body.replace(/=\r\n/g, '')).toString('utf8') : encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
  return [{ headers, body: decoded.replace(/\r\n/g, '\n') }];
}

const headersOf = (raw: string) => parseHead(crlf(raw).split('\r\n\r\n')[0]!);
const partOf = (raw: string, type: string) => parseMessage(crlf(raw)).find((p) => (p.headers['content-type'] ?? '').startsWith(type))?.body;

function memoryLogger(): MailLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (obj, msg) => void lines.push(JSON.stringify({ ...obj, msg })) };
}

const SUBJECT = 'Påmindelse: Gennemgå siden om blåbær – ÆØÅ';
const TEXT = 'Kære Søren\n\nSiden »Blåbærgrød og rødgrød med fløde« skal gennemgås.\nÆble, øl og ål: æøå ÆØÅ.\n';
const HTML = '<p>Kære Søren</p><p>Siden »Blåbærgrød og rødgrød med fløde« skal gennemgås.</p>';

describe('mail', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-mail-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  let smtp: Awaited<ReturnType<typeof startSmtp>> | undefined;
  afterEach(async () => {
    await smtp?.close();
    smtp = undefined;
  });

  it('a mail sent by SMTP arrives with its Danish subject and UTF-8 body intact, and the password never reaches the log', async () => {
    const logins: { username?: string; password?: string | null }[] = [];
    smtp = await startSmtp({
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        logins.push({ username: auth.username, password: auth.password });
        callback(null, { user: auth.username });
      },
    });
    const logger = memoryLogger();
    const config = loadConfig({ MEDIEHUS_SMTP_URL: `smtp://mediehus:hemmeligt-kodeord@127.0.0.1:${smtp.port}`, MEDIEHUS_DATA_DIR: tempDir() });
    const mailer = createMailer(config, logger);

    const sent = await mailer.send({ to: [{ name: 'Søren Ærø', address: 'soeren@example.dk' }, 'anne@example.dk'], subject: SUBJECT, text: TEXT, html: HTML });

    expect(sent.file).toBeNull();
    expect(logins).toEqual([{ username: 'mediehus', password: 'hemmeligt-kodeord' }]);
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail!.from).toBe('mediehus@toender.dk');
    expect(mail!.to).toEqual(['soeren@example.dk', 'anne@example.dk']);
    const headers = headersOf(mail!.raw);
    expect(headers.subject).toBe(SUBJECT);
    expect(headers.from).toBe(DEFAULT_MAIL_FROM);
    expect(headers.to).toContain('Søren Ærø');
    expect(partOf(mail!.raw, 'text/plain')).toBe(TEXT);
    expect(partOf(mail!.raw, 'text/html')).toBe(HTML);

    const log = logger.lines.join('\n');
    expect(log).toContain('smtp://mediehus:***@127.0.0.1');
    expect(log).toContain(sent.messageId);
    expect(log).not.toContain('hemmeligt-kodeord');
    expect(log).not.toMatch(/Blåbær|Påmindelse|soeren@example\.dk/);
  });

  it('MEDIEHUS_MAIL_FROM sets the sender', async () => {
    smtp = await startSmtp();
    const config = loadConfig({ MEDIEHUS_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MEDIEHUS_MAIL_FROM: 'Tønder Kommune <web@toender.dk>' });
    await createMailer(config, memoryLogger()).send({ to: 'anne@example.dk', subject: 'Hej', text: 'Hej' });
    expect(smtp.received[0]!.from).toBe('web@toender.dk');
    expect(headersOf(smtp.received[0]!.raw).from).toBe('Tønder Kommune <web@toender.dk>');
  });

  it('without SMTP configured an .eml file lands in the data folder, and the log names the file but not the content', async () => {
    const dataDir = tempDir();
    const config = loadConfig({ MEDIEHUS_DATA_DIR: dataDir });
    expect(config.smtp).toBeNull();
    const logger = memoryLogger();

    const sent = await createMailer(config, logger).send({ to: 'anne@example.dk', subject: SUBJECT, text: TEXT, html: HTML });

    const files = fs.readdirSync(path.join(dataDir, 'mail'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}T[\d-]+Z-[0-9a-f]{8}\.eml$/);
    expect(sent.file).toBe(path.join(dataDir, 'mail', files[0]!));
    const raw = fs.readFileSync(sent.file!, 'utf8');
    expect(headersOf(raw).subject).toBe(SUBJECT);
    expect(headersOf(raw).to).toBe('anne@example.dk');
    expect(partOf(raw, 'text/plain')).toBe(TEXT);
    if (process.platform !== 'win32') expect(fs.statSync(sent.file!).mode & 0o777).toBe(0o600);

    const log = logger.lines.join('\n');
    expect(log).toContain(files[0]);
    expect(log).not.toMatch(/Blåbær|Påmindelse|anne@example\.dk/);
  });

  it('a mail with no recipient is refused before anything is sent', async () => {
    const dataDir = tempDir();
    const mailer = createMailer(loadConfig({ MEDIEHUS_DATA_DIR: dataDir }), memoryLogger());
    await expect(mailer.send({ to: [' '], subject: 'x', text: 'x' })).rejects.toThrow(/recipient/);
    expect(fs.existsSync(path.join(dataDir, 'mail'))).toBe(false);
  });

  it('SMTP settings are read from the environment', () => {
    expect(loadConfig({}).smtp).toBeNull();
    expect(loadConfig({ MEDIEHUS_SMTP_URL: 'smtps://u:p@mail.toender.dk:465' }).smtp).toEqual({ url: 'smtps://u:p@mail.toender.dk:465', from: DEFAULT_MAIL_FROM });
  });

  it.each([
    ['MEDIEHUS_SMTP_URL', 'http://mediehus:hemmeligt-kodeord@mail.toender.dk'],
    ['MEDIEHUS_SMTP_URL', 'mediehus:hemmeligt-kodeord@mail.toender.dk'],
    ['MEDIEHUS_SMTP_URL', 'smtp://mediehus:hemmeligt-kodeord@mail.toender.dk:99999'],
    ['MEDIEHUS_MAIL_FROM', 'Mediehus'],
  ])('a bad %s (%s) stops config loading naming the variable, and never repeats a password', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(name);
    expect((error as Error).message).toMatch(new RegExp(`^${name}: ugyldig værdi`));
    expect((error as Error).message).not.toContain('hemmeligt-kodeord');
  });
});
