import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { DEMO } from '../../test/support/app.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/support/databases.ts';
import { startSmtp, type ReceivedMail, type TestSmtpServer } from '../../test/support/smtp.ts';
import { createItem, saveItem, transition } from '../content/service.ts';
import type { Placement } from '../content/types.ts';
import { seedDemo } from '../demo/seed.ts';
import { keysOf, peopleInAudience } from '../intranet/audience.ts';
import type { Actor } from '../org/actor.ts';
import { DEFAULT_MAIL_FROM } from '../platform/config.ts';
import { enqueue } from '../platform/jobs/enqueue.ts';
import { JobRunner } from '../platform/jobs/runner.ts';
import { createMailer, type Mailer } from '../platform/mail.ts';
import { dispatchEvents, Subscriptions } from '../platform/outbox/dispatcher.ts';
import { localDate } from '../platform/time.ts';
import { DIGEST_JOB, isoWeekday, runDigest, runScheduledDigests } from './digest.ts';
import { registerNotificationJobs } from './jobs.ts';
import type { Frequency, NotificationKind } from './model.ts';
import { NEWS_PUBLISHED_JOB } from './news.ts';
import { notify } from './notify.ts';
import * as store from './store.ts';

const BASE_URL = 'https://intra.toender.dk';
const PREFERENCES_LINK = `${BASE_URL}/intranet/indstillinger/notifikationer`;
const DAY = 24 * 60 * 60 * 1000;

/** A logger that keeps its lines, so a test can see that nothing was logged as an error. */
function keptLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  return Object.assign(logger, { errors: () => lines.filter((l) => l.level >= 50).map((l) => l.msg) });
}

const addressesOf = (mails: ReceivedMail[]) => mails.flatMap((m) => m.envelopeTo).sort();

describe.each(dialects)('notification mails (%s)', (dialect) => {
  let t: TestDatabase;
  let smtp: TestSmtpServer;
  let mailer: Mailer;
  let runner: JobRunner;
  let subscriptions: Subscriptions;
  let dataDir: string;
  const logger = keptLogger();
  /** Demo people by key: their id and address. */
  const people: Record<string, { id: string; email: string }> = {};

  const runJobs = async () => {
    while ((await runner.runDue()) > 0);
  };
  const choose = (who: keyof typeof DEMO, choice: Partial<Record<NotificationKind, Frequency>>) => store.savePreferences(t.db, people[who]!.id, choice, new Date().toISOString());
  const tell = (who: (keyof typeof DEMO)[], kind: NotificationKind, sourceKey: string, title: string, text = 'Læs mere på TønderPortalen.', url = `/intranet/opslag/${sourceKey}`) =>
    notify(t.db, { personIds: who.map((w) => people[w]!.id), kind, sourceKey, title, text, url });
  const mailTo = (who: keyof typeof DEMO) => {
    const mails = smtp.received.filter((m) => m.envelopeTo.includes(people[who]!.email));
    expect(mails).toHaveLength(1);
    return mails[0]!;
  };
  const mailedAt = async (who: keyof typeof DEMO, sourceKey: string) =>
    (await t.db.selectFrom('notifications').select('mailed_at').where('person_id', '=', people[who]!.id).where('source_key', '=', sourceKey).executeTakeFirstOrThrow()).mailed_at;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedDemo(t.db);
    smtp = await startSmtp();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-notifications-'));
    mailer = createMailer({ smtp: { url: `smtp://127.0.0.1:${smtp.port}`, from: DEFAULT_MAIL_FROM }, dataDir }, logger);
    subscriptions = new Subscriptions();
    runner = new JobRunner({ db: t.db, logger, subscriptions });
    registerNotificationJobs(runner, subscriptions, { mailer, baseUrl: BASE_URL, logger });
    for (const [key, email] of Object.entries(DEMO)) {
      people[key] = { id: (await t.db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id, email };
    }
  });
  afterAll(async () => {
    mailer?.close?.();
    await smtp?.close();
    await t?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    // Each test starts from no notifications, no choices (everyone on the defaults) and no mail.
    await t.db.deleteFrom('notifications').execute();
    await t.db.deleteFrom('notification_preferences').execute();
    await t.db.deleteFrom('jobs').execute();
    await dispatchEvents(t.db, new Subscriptions());
    smtp.received.length = 0;
  });

  it('a mention is mailed at once only to those who want mentions at once, and a repeated call mails nobody again', async () => {
    await choose('employee', { mention: 'now' });
    await choose('manager', { mention: 'daily' });
    await choose('school', { mention: 'off' });
    // The politician has chosen nothing: mentions are mailed at once by default.
    const who = ['employee', 'manager', 'politician', 'school'] as const;
    await tell([...who], 'mention', 'comment:c1', 'Line Kjær har nævnt dig i en kommentar', 'Kan I tage det op på næste personalemøde?', '/intranet/opslag/p1#kommentar-c1');
    await runJobs();

    expect(addressesOf(smtp.received)).toEqual([people.employee!.email, people.politician!.email].sort());
    const mail = mailTo('employee');
    expect(mail.subject).toBe('TønderPortalen: Line Kjær har nævnt dig i en kommentar');
    expect(mail.to).toEqual([{ name: 'Anne Jensen', address: people.employee!.email }]);
    expect(mail.text).toContain('Goddag Anne Jensen');
    expect(mail.text).toContain('Når nogen nævner dig (1)');
    expect(mail.text).toContain('Kan I tage det op på næste personalemøde?');
    expect(mail.text).toContain(`${BASE_URL}/intranet/opslag/p1#kommentar-c1`);
    expect(mail.text).toContain(PREFERENCES_LINK);
    expect(mail.html).toContain(`href="${PREFERENCES_LINK}"`);

    expect(await mailedAt('employee', 'comment:c1')).not.toBeNull();
    expect(await mailedAt('politician', 'comment:c1')).not.toBeNull();
    expect(await mailedAt('manager', 'comment:c1')).toBeNull();
    expect(await mailedAt('school', 'comment:c1')).toBeNull();

    await tell([...who], 'mention', 'comment:c1', 'Line Kjær har nævnt dig i en kommentar');
    await runJobs();
    expect(smtp.received).toHaveLength(2);
  });

  it('the daily digest sends one mail per person, grouped by kind, and skips “off”, weekly choices and people with nothing new', async () => {
    await choose('manager', { news: 'daily', mention: 'daily', must_read: 'daily', social: 'now' });
    await choose('employee', { news: 'weekly' });
    await choose('school', { news: 'off' });
    await tell(['manager', 'employee', 'school', 'politician'], 'news', 'news:n1', 'Vejarbejde på <b>Østergade</b> & omkørsel', 'Kør ad Vestergade fra mandag.', '/intranet/nyheder/vejarbejde');
    await tell(['manager'], 'news', 'news:n2', 'Ny kantineordning fra januar');
    await tell(['manager', 'politician'], 'mention', 'comment:m1', 'Mette Sørensen har nævnt dig i et opslag');
    await tell(['manager'], 'must_read', 'must_read:r1', 'Ny politik for brug af sociale medier');
    // What the politician has already read on the intranet is not mailed again.
    await tell(['politician'], 'news', 'news:n3', 'Kommunen får ny hjemmeside');
    const read = await t.db.selectFrom('notifications').select('id').where('source_key', '=', 'news:n3').executeTakeFirstOrThrow();
    await store.markRead(t.db, people.politician!.id, read.id, new Date().toISOString());

    const result = await runDigest(t.db, mailer, { frequency: 'daily', now: new Date(Date.now() + 1000), baseUrl: BASE_URL });

    expect(result).toMatchObject({ people: 2, mails: 2, notifications: 5 });
    expect(addressesOf(smtp.received)).toEqual([people.manager!.email, people.politician!.email].sort());

    const peter = mailTo('manager');
    expect(peter.subject).toBe('TønderPortalen: 4 nye til dig');
    expect(peter.text).toContain('Goddag Peter Hansen');
    expect(peter.text).toContain('Her er dagens nyt til dig fra TønderPortalen');
    const headings = ['Nyheder til dig (2)', 'Når nogen nævner dig (1)', 'Skal læses (1)'].map((h) => peter.text.indexOf(h));
    expect(headings.every((at) => at > 0)).toBe(true);
    expect([...headings].sort((a, b) => a - b)).toEqual(headings);
    expect(peter.text).toContain(`- Vejarbejde på <b>Østergade</b> & omkørsel\n  Kør ad Vestergade fra mandag.\n  ${BASE_URL}/intranet/nyheder/vejarbejde`);
    expect(peter.text).toContain(`Vælg selv, hvor ofte du får mail, eller slå dem fra: ${PREFERENCES_LINK}`);
    expect(peter.text).toContain('Venlig hilsen\nTønderPortalen');
    expect(peter.html).toContain('<h2>Nyheder til dig (2)</h2>');
    expect(peter.html).toContain('Vejarbejde på &lt;b&gt;Østergade&lt;/b&gt; &amp; omkørsel');
    expect(peter.html).not.toContain('<b>Østergade');
    expect(peter.html).not.toMatch(/<img|<script|style=/i);
    const links = [...peter.html!.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
    expect(links.every((l) => l.startsWith(`${BASE_URL}/intranet/`))).toBe(true);
    expect(links).toContain(PREFERENCES_LINK);

    const hans = mailTo('politician');
    expect(hans.subject).toBe('TønderPortalen: 1 ny til dig');
    expect(hans.text).toContain('Vejarbejde på');
    expect(hans.text).not.toContain('Kommunen får ny hjemmeside');
    // His mention is for the mail sent at once, not the digest.
    expect(hans.text).not.toContain('Mette Sørensen har nævnt dig');

    for (const source of ['news:n1', 'news:n2', 'comment:m1', 'must_read:r1']) expect(await mailedAt('manager', source)).not.toBeNull();
    expect(await mailedAt('politician', 'news:n1')).not.toBeNull();
    expect(await mailedAt('politician', 'comment:m1')).toBeNull();
    expect(await mailedAt('employee', 'news:n1')).toBeNull();
    expect(await mailedAt('school', 'news:n1')).toBeNull();

    const again = await runDigest(t.db, mailer, { frequency: 'daily', now: new Date(Date.now() + 1000), baseUrl: BASE_URL });
    expect(again).toMatchObject({ people: 0, mails: 0, notifications: 0 });
    expect(smtp.received).toHaveLength(2);
  });

  it('the weekly digest goes out with the Monday morning run and not on other days', async () => {
    await choose('employee', { news: 'weekly' });
    await tell(['employee', 'manager'], 'news', 'news:w1', 'Legestuen flytter til Bevtoft Forsamlingshus');
    const today = localDate();
    const monday = localDate(new Date(Date.now() + ((8 - isoWeekday(today)) % 7 || 7) * DAY));
    expect(isoWeekday(monday)).toBe(1);
    const tuesday = localDate(new Date(Date.parse(`${monday}T12:00:00Z`) + DAY));

    const notMonday = await runScheduledDigests(t.db, { mailer, baseUrl: BASE_URL }, tuesday);
    expect(notMonday.weekly).toBeNull();
    expect(addressesOf(smtp.received)).toEqual([people.manager!.email]);

    const onMonday = await runScheduledDigests(t.db, { mailer, baseUrl: BASE_URL }, monday);
    expect(onMonday.weekly).toMatchObject({ people: 1, mails: 1 });
    expect(onMonday.daily).toMatchObject({ mails: 0 });
    const anne = mailTo('employee');
    expect(anne.text).toContain('Her er ugens nyt til dig fra TønderPortalen');
    expect(anne.text).toContain('samlet én gang om ugen');
    expect(smtp.received).toHaveLength(2);
  });

  it('when the mail server fails half-way, the job tries again and mails only those not yet mailed', async () => {
    let refusing = true;
    let accepted = 0;
    const flaky = await startSmtp({
      onMailFrom(_address, _session, callback) {
        if (refusing && accepted >= 2) return callback(Object.assign(new Error('Prøv igen senere'), { responseCode: 451 }));
        accepted++;
        callback();
      },
    });
    const flakyRunner = new JobRunner({ db: t.db, logger });
    const flakyMailer = createMailer({ smtp: { url: `smtp://127.0.0.1:${flaky.port}`, from: DEFAULT_MAIL_FROM }, dataDir }, logger);
    registerNotificationJobs(flakyRunner, new Subscriptions(), { mailer: flakyMailer, baseUrl: BASE_URL, logger });
    try {
      const six = ['employee', 'manager', 'politician', 'school', 'web', 'app'] as const;
      await tell([...six], 'news', 'news:f1', 'Budget 2027 er vedtaget');
      const date = localDate(new Date(Date.now() + DAY));
      const jobId = await enqueue(t.db, DIGEST_JOB, { date });

      await flakyRunner.runDue();
      const failed = await t.db.selectFrom('jobs').select(['status', 'attempts', 'last_error']).where('id', '=', jobId).executeTakeFirstOrThrow();
      expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
      expect(failed.last_error).toContain('Prøv igen senere');
      expect(flaky.received).toHaveLength(2);
      const mailed = await t.db.selectFrom('notifications').select('person_id').where('source_key', '=', 'news:f1').where('mailed_at', 'is not', null).execute();
      expect(mailed).toHaveLength(2);

      refusing = false;
      await t.db.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', jobId).execute();
      await flakyRunner.runDue();
      expect((await t.db.selectFrom('jobs').select('status').where('id', '=', jobId).executeTakeFirstOrThrow()).status).toBe('done');
      expect(addressesOf(flaky.received)).toEqual(six.map((w) => people[w]!.email).sort());
      // Tomorrow's run is already waiting.
      const next = await t.db.selectFrom('jobs').select('payload').where('name', '=', DIGEST_JOB).where('status', '=', 'pending').execute();
      expect(next.map((j) => JSON.parse(j.payload).date)).toEqual([localDate(new Date(Date.parse(`${date}T12:00:00Z`) + DAY))]);
    } finally {
      flakyMailer.close?.();
      await flaky.close();
    }
  });

  describe('targeted news', () => {
    let intra: Actor;
    let web: Actor;
    let dagplejen: string;
    beforeAll(async () => {
      intra = await actorByEmail(t.db, DEMO.intranet);
      web = await actorByEmail(t.db, DEMO.web);
      dagplejen = await unitId(t.db, 'dagplejen');
    });

    const intranetTo = (audience: Partial<Extract<Placement, { channel: 'intranet' }>>): Placement => ({ channel: 'intranet', everyone: false, roles: [], unitIds: [], groupIds: [], ...audience });
    async function publish(id: string) {
      await transition(t.db, intra, id, 'submit');
      await transition(t.db, web, id, 'approve');
      await transition(t.db, web, id, 'publish');
      await dispatchEvents(t.db, subscriptions);
      await runJobs();
    }
    const notifiedBy = async (id: string) =>
      (await t.db.selectFrom('notifications').select(['person_id', 'kind', 'title', 'text', 'url']).where('source_key', '=', `news:${id}`).execute()).sort((a, b) => a.person_id.localeCompare(b.person_id));

    it('reaches exactly the people in its audience the first time it goes live, and nobody again when a correction is published', async () => {
      await choose('employee', { news: 'now' });
      const placement = intranetTo({ roles: ['politician'], unitIds: [dagplejen] });
      const { id } = await createItem(t.db, intra, 'news', newsInput(dagplejen, { title: 'Nye regler for kørselsgodtgørelse', summary: 'Fra 1. januar indberetter du kørsel i den nye app.', placements: [placement] }));
      await publish(id);

      const audience = await (await peopleInAudience(t.db, await keysOf(t.db, { type: 'item', id }))).select('people.id').execute();
      const notified = await notifiedBy(id);
      expect(audience.length).toBeGreaterThan(3);
      expect(notified.map((n) => n.person_id)).toEqual(audience.map((p) => p.id).sort());
      expect(notified.map((n) => n.person_id)).toContain(people.employee!.id);
      expect(notified.map((n) => n.person_id)).toContain(people.politician!.id);
      expect(notified.map((n) => n.person_id)).not.toContain(people.manager!.id);
      const slug = (await t.db.selectFrom('items').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug;
      expect(notified[0]).toMatchObject({ kind: 'news', title: 'Nye regler for kørselsgodtgørelse', text: 'Fra 1. januar indberetter du kørsel i den nye app.', url: `/intranet/nyheder/${slug}` });
      // Only Anne wants news at once; everyone else gets it in tomorrow's digest.
      expect(addressesOf(smtp.received)).toEqual([people.employee!.email]);
      expect(mailTo('employee').text).toContain(`${BASE_URL}/intranet/nyheder/${slug}`);

      // A correction that also widens the audience: published again, but nobody is told twice, or told late.
      await saveItem(t.db, intra, id, newsInput(dagplejen, { title: 'Nye regler for kørselsgodtgørelse', summary: 'Rettet: fra 1. februar.', placements: [intranetTo({ roles: ['politician', 'manager'], unitIds: [dagplejen] })] }), {
        baseRevision: 1,
        changeNote: 'Rettet dato',
        major: false,
      });
      await publish(id);
      expect(await notifiedBy(id)).toEqual(notified);
      expect(smtp.received).toHaveLength(1);
    });

    it('an event, and news only on the website, notify no one', async () => {
      const event = await createItem(t.db, intra, 'event', newsInput(dagplejen, { title: 'Temadag for dagplejere', placements: [intranetTo({ everyone: true })], fields: { startsAt: `${localDate(new Date(Date.now() + 7 * DAY))}T09:00`, endsAt: `${localDate(new Date(Date.now() + 7 * DAY))}T15:00`, place: 'Tønder Rådhus' } }));
      await publish(event.id);
      const website = await createItem(t.db, web, 'news', newsInput(dagplejen, { title: 'Dagplejen søger nye dagplejere' }));
      await transition(t.db, web, website.id, 'emergency_publish', { reason: 'Test' });
      await dispatchEvents(t.db, subscriptions);
      await runJobs();
      // The job followed both publications, and decided there was no one to tell.
      const jobs = await t.db.selectFrom('jobs').select('status').where('name', '=', NEWS_PUBLISHED_JOB).execute();
      expect(jobs.map((j) => j.status)).toEqual(['done', 'done']);
      expect(await t.db.selectFrom('notifications').select('id').execute()).toEqual([]);
      expect(logger.errors()).toEqual([]);
    });
  });
});
