import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseMail, startSmtp, type TestSmtpServer } from '../../test/support/smtp.ts';
import { ConfigError, DEFAULT_MAIL_FROM, loadConfig } from './config.ts';
import { createMailer, type MailLogger } from './mail.ts';

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

  let smtp: TestSmtpServer | undefined;
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
    expect(mail!.envelopeFrom).toBe('mediehus@toender.dk');
    expect(mail!.envelopeTo).toEqual(['soeren@example.dk', 'anne@example.dk']);
    expect(mail!.subject).toBe(SUBJECT);
    expect(mail!.from).toEqual([{ name: 'Mediehus', address: 'mediehus@toender.dk' }]);
    expect(mail!.to).toContainEqual({ name: 'Søren Ærø', address: 'soeren@example.dk' });
    expect(mail!.text).toBe(TEXT);
    expect(mail!.html).toBe(HTML);

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
    expect(smtp.received[0]!.envelopeFrom).toBe('web@toender.dk');
    expect(smtp.received[0]!.from).toEqual([{ name: 'Tønder Kommune', address: 'web@toender.dk' }]);
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
    const mail = await parseMail(fs.readFileSync(sent.file!));
    expect(mail.subject).toBe(SUBJECT);
    expect(mail.to).toEqual([{ name: '', address: 'anne@example.dk' }]);
    expect(mail.text).toBe(TEXT);
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
