import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedDemo } from '../demo/seed.ts';
import type { Actor } from '../org/actor.ts';
import * as org from '../org/store.ts';
import { DEFAULT_MAIL_FROM } from '../platform/config.ts';
import { JobRunner } from '../platform/jobs/runner.ts';
import { createMailer, type Mailer } from '../platform/mail.ts';
import { dateToLocalInput, localDate, showDate } from '../platform/time.ts';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/support/databases.ts';
import { startSmtp, type TestSmtpServer } from '../../test/support/smtp.ts';
import { registerContentJobs } from './jobs.ts';
import { nextReminderTime, REVIEW_REMINDER_MAIL_JOB, REVIEW_REMINDERS_JOB, scheduleReviewReminders } from './review-reminders.ts';
import { createItem, saveItem, transition } from './service.ts';
import { memoryLogger } from '../../test/support/loggers.ts';

const DAY = 24 * 60 * 60 * 1000;
const BASE_URL = 'https://mediehus.toender.dk';

const linkedIds = (text: string) => [...text.matchAll(/\/admin\/indhold\/([0-9a-f-]{36})/g)].map((m) => m[1]!);


const daysFromToday = (days: number) => localDate(new Date(Date.now() + days * DAY));

describe.each(dialects)('review-by reminders (%s)', (dialect) => {
  let t: TestDatabase;
  let smtp: TestSmtpServer;
  let runner: JobRunner;
  let logger: ReturnType<typeof memoryLogger>;
  let dataDir: string;
  let mailer: Mailer;
  let web: Actor, intra: Actor;
  const ids: Record<string, string> = {};
  const past = daysFromToday(-30);

  const personId = (email: string) => t.db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  const mailAbout = (unitName: string) => {
    const mails = smtp.received.filter((m) => m.subject.startsWith(`Forældet indhold hos ${unitName} (`));
    expect(mails).toHaveLength(1);
    return mails[0]!;
  };
  const runAll = async () => {
    while ((await runner.runDue()) > 0);
  };

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedDemo(t.db);
    smtp = await startSmtp();
    logger = memoryLogger();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-reminders-'));
    mailer = createMailer({ smtp: { url: `smtp://127.0.0.1:${smtp.port}`, from: DEFAULT_MAIL_FROM }, dataDir }, logger);
    runner = new JobRunner({ db: t.db, logger });
    registerContentJobs(runner, { mailer, baseUrl: BASE_URL, logger });

    web = await actorByEmail(t.db, 'web@demo.mediehus.dk');
    intra = await actorByEmail(t.db, 'intra@demo.mediehus.dk');
    // Units of their own, so whatever demo content the seed brings does not mix into these mails.
    const parentId = await unitId(t.db, 'toender-kommune');
    const unit = (name: string, slug: string, headId: string | null) =>
      org.insertUnit(t.db, { parentId, name, slug, kind: 'department', email: null, phone: null, address: null, description: null, headId });
    const [vej, natur, havn] = [
      await unit('Vej og Park', 'vej-og-park', (await personId('some@demo.mediehus.dk')).id),
      await unit('Natur og Miljø', 'natur-og-miljoe', (await personId('ejer@demo.mediehus.dk')).id),
      await unit('Havnekontoret', 'havnekontoret', null),
    ];
    const item = async (key: string, owner: string, reviewBy: string) => {
      ids[key] = (await createItem(t.db, web, 'news', newsInput(owner, { title: `Indhold ${key}: åbningstider i Tønder`, reviewBy }))).id;
    };

    // Vej og Park (head: Sofie Nielsen): two overdue, one due only today, one in a month, one archived.
    await item('A', vej, past);
    await item('B', vej, daysFromToday(-3));
    await saveItem(t.db, intra, ids.B!, newsInput(vej, { title: 'Indhold B: åbningstider i Tønder', reviewBy: daysFromToday(-3), summary: 'Rettet af Line.' }), {
      baseRevision: 1,
      changeNote: 'Rettet',
      major: false,
    });
    await item('today', vej, localDate());
    await item('later', vej, daysFromToday(30));
    await item('archived', vej, past);
    await transition(t.db, web, ids.archived!, 'emergency_publish', { reason: 'Test' });
    await transition(t.db, web, ids.archived!, 'unpublish', { reason: 'withdrawn', note: 'Ikke længere aktuelt.' });
    // Natur og Miljø (head: Mette Sørensen): two by the same author, who is named once.
    await item('F', natur, past);
    await item('G', natur, past);
    // Havnekontoret has no head, and the item's only author has left.
    await item('H', havn, past);
    const app = (await personId('app@demo.mediehus.dk')).id;
    await t.db.updateTable('revisions').set({ author_id: app }).where('item_id', '=', ids.H!).execute();
    await t.db.updateTable('people').set({ active: 0 }).where('id', '=', app).execute();
  });

  afterAll(async () => {
    vi.useRealTimers();
    mailer?.close?.();
    await smtp?.close();
    await t?.destroy();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('items past their date produce one mail per owner unit, to its head and the latest authors, listing exactly the outdated items', async () => {
    // This week's run, due since Monday 07:00.
    await scheduleReviewReminders(t.db, new Date(Date.now() - 7 * DAY));
    await runAll();

    const vej = mailAbout('Vej og Park');
    // Recipients come in no set order.
    expect([...vej.envelopeTo].sort()).toEqual(['intra@demo.mediehus.dk', 'some@demo.mediehus.dk', 'web@demo.mediehus.dk']);
    expect(vej.subject).toBe('Forældet indhold hos Vej og Park (2)');
    expect(linkedIds(vej.text)).toEqual([ids.A, ids.B]);
    expect(vej.text).toContain(`${BASE_URL}/admin/indhold/${ids.A}`);
    expect(vej.text).toContain(`Indhold A: åbningstider i Tønder (Nyhed), skulle gennemgås senest ${showDate(past)}`);
    expect(vej.text).toContain(`skulle gennemgås senest ${showDate(daysFromToday(-3))}`);

    const natur = mailAbout('Natur og Miljø');
    expect([...natur.envelopeTo].sort()).toEqual(['ejer@demo.mediehus.dk', 'web@demo.mediehus.dk']);
    expect(linkedIds(natur.text).sort()).toEqual([ids.F, ids.G].sort());

    // Items not yet due, and archived ones, are in no mail.
    const everything = smtp.received.map((m) => m.text).join('\n');
    for (const key of ['today', 'later', 'archived', 'H']) expect(everything).not.toContain(ids[key]!);

    expect(smtp.received.some((m) => m.subject.includes('Havnekontoret'))).toBe(false);
    const unreached = logger.lines.filter((l) => l.level === 'warn' && l.msg.includes('no one to remind'));
    expect(unreached.map((l) => l.obj)).toContainEqual(expect.objectContaining({ unitName: 'Havnekontoret', items: 1 }));
  });

  it('running the job twice in a week does not send twice', async () => {
    const before = smtp.received.length;
    const week = nextReminderTime(new Date(Date.now() - 7 * DAY)).week;
    const first = await t.db.selectFrom('jobs').select('id').where('unique_key', '=', `${REVIEW_REMINDERS_JOB}:${week}`).executeTakeFirstOrThrow();

    // A second process starting this week adds nothing.
    expect(await scheduleReviewReminders(t.db, new Date(Date.now() - 7 * DAY))).toBe(first.id);
    await runAll();
    expect(smtp.received).toHaveLength(before);

    // The same run repeated (a worker died before it could mark it done) adds no second mail per unit.
    const mailJobs = () => t.db.selectFrom('jobs').select('id').where('name', '=', REVIEW_REMINDER_MAIL_JOB).execute();
    const jobsBefore = (await mailJobs()).length;
    await t.db.updateTable('jobs').set({ status: 'pending', run_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', first.id).execute();
    await runAll();
    expect(smtp.received).toHaveLength(before);
    expect(await mailJobs()).toHaveLength(jobsBefore);
    expect((await t.db.selectFrom('jobs').select('status').where('id', '=', first.id).executeTakeFirstOrThrow()).status).toBe('done');
  });

  it('the job reschedules itself for next Monday 07:00 Copenhagen time', async () => {
    const upcoming = await t.db.selectFrom('jobs').select(['run_at', 'status']).where('name', '=', REVIEW_REMINDERS_JOB).where('status', '=', 'pending').execute();
    expect(upcoming).toHaveLength(1);
    const at = new Date(upcoming[0]!.run_at);
    expect(at.getTime()).toBeGreaterThan(Date.now());
    expect(at.getTime()).toBeLessThanOrEqual(Date.now() + 7 * DAY);
    expect(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Copenhagen', weekday: 'long' }).format(at)).toBe('Monday');
    expect(dateToLocalInput(at).slice(11)).toBe('07:00');

    // In winter Copenhagen is UTC+1: a run on Wednesday 13 January 2027 comes back on Monday the 18th at 06:00 UTC.
    await t.db.deleteFrom('jobs').where('name', '=', REVIEW_REMINDERS_JOB).execute();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2027-01-13T12:00:00Z'));
      await scheduleReviewReminders(t.db, new Date('2027-01-06T12:00:00Z'));
      await runAll();
    } finally {
      vi.useRealTimers();
    }
    const jobs = await t.db.selectFrom('jobs').select(['run_at', 'status', 'unique_key']).where('name', '=', REVIEW_REMINDERS_JOB).orderBy('run_at').execute();
    expect(jobs).toEqual([
      { run_at: '2027-01-11T06:00:00.000Z', status: 'done', unique_key: `${REVIEW_REMINDERS_JOB}:2027-01-11` },
      { run_at: '2027-01-18T06:00:00.000Z', status: 'pending', unique_key: `${REVIEW_REMINDERS_JOB}:2027-01-18` },
    ]);
  });
});

describe('the weekly reminder time', () => {
  it.each([
    ['a Wednesday in winter', '2027-01-13T12:00:00Z', '2027-01-18', '2027-01-18T06:00:00.000Z'],
    ['a Wednesday in summer', '2027-06-09T12:00:00Z', '2027-06-14', '2027-06-14T05:00:00.000Z'],
    ['Monday 06:59 local', '2027-01-18T05:59:00Z', '2027-01-18', '2027-01-18T06:00:00.000Z'],
    ['Monday 07:00 local, the run itself', '2027-01-18T06:00:00Z', '2027-01-25', '2027-01-25T06:00:00.000Z'],
    ['Sunday 23:30 local', '2027-01-17T22:30:00Z', '2027-01-18', '2027-01-18T06:00:00.000Z'],
    ['the week summer time begins', '2027-03-24T12:00:00Z', '2027-03-29', '2027-03-29T05:00:00.000Z'],
    ['the week summer time ends', '2027-10-27T12:00:00Z', '2027-11-01', '2027-11-01T06:00:00.000Z'],
  ])('after %s it is the next Monday 07:00 in Copenhagen', (_label, after, week, at) => {
    const next = nextReminderTime(new Date(after));
    expect(next.week).toBe(week);
    expect(next.at.toISOString()).toBe(at);
  });
});
