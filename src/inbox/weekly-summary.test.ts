import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/seed.ts';
import { DEFAULT_MAIL_FROM } from '../platform/config.ts';
import type { Db } from '../platform/database.ts';
import { newId } from '../platform/ids.ts';
import { enqueue } from '../platform/jobs/enqueue.ts';
import { JobRunner } from '../platform/jobs/runner.ts';
import { createMailer, type Mailer } from '../platform/mail.ts';
import { localDate, localInputToDate } from '../platform/time.ts';
import { closingDaysOf } from '../site/opening-status.ts';
import * as store from '../social/store.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/support/databases.ts';
import { startSmtp, type TestSmtpServer } from '../../test/support/smtp.ts';
import { isoWeekNumber, lastWeekOf, nextSummaryTime, registerWeeklySummaryJob, sendWeeklySummaries, WEEKLY_SUMMARY_JOB } from './weekly-summary.ts';
import { memoryLogger } from '../../test/support/loggers.ts';
import { insertQuestion } from './testing/questions.ts';

const DAY = 24 * 60 * 60_000;
const MIN = 60_000;
const BASE_URL = 'https://mediehus.toender.dk';
const HOURS = JSON.stringify([1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:00', closes: '16:00' })));
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T12:00:00Z`) + days * DAY).toISOString().slice(0, 10);



/** A question written at `writtenAt`, answered that many minutes later (null: not yet). */
const question = (db: Db, accountId: string, writtenAt: Date, answeredAfterMinutes: number | null, dueAt: Date) =>
  insertQuestion(db, accountId, { writtenAt, answeredAt: answeredAfterMinutes === null ? null : new Date(writtenAt.getTime() + answeredAfterMinutes * MIN), dueAt });

describe('the week of the summary', () => {
  it('runs on Monday at 07:30 Copenhagen time and covers the whole week before', () => {
    const { week, at } = nextSummaryTime(new Date('2026-11-25T12:00:00Z'));
    expect(week).toBe('2026-11-30');
    expect(at.toISOString()).toBe('2026-11-30T06:30:00.000Z');
    expect(nextSummaryTime(new Date('2026-11-30T06:00:00Z')).week).toBe('2026-11-30');
    const last = lastWeekOf('2026-11-30');
    expect([last.firstDay, last.lastDay]).toEqual(['2026-11-23', '2026-11-29']);
    expect(last.from.toISOString()).toBe('2026-11-22T23:00:00.000Z');
    expect(isoWeekNumber('2026-11-23')).toBe(48);
    expect(isoWeekNumber('2027-01-01')).toBe(53);
  });
});

describe.each(dialects)('the weekly response-time summary (%s)', (dialect) => {
  let t: TestDatabase;
  let smtp: TestSmtpServer;
  let runner: JobRunner;
  let mailer: Mailer;
  let dataDir: string;
  const logger = memoryLogger();
  // The Monday of this week names the run; the questions are from the week before.
  const today = localDate();
  const week = addDays(today, 1 - (((new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7) + 1));

  const mailsTo = (address: string) => smtp.received.filter((m) => m.envelopeTo.includes(address));
  const runAll = async () => {
    while ((await runner.runDue()) > 0);
  };

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedDemo(t.db);
    smtp = await startSmtp();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-summary-'));
    mailer = createMailer({ smtp: { url: `smtp://127.0.0.1:${smtp.port}`, from: DEFAULT_MAIL_FROM }, dataDir }, logger);
    runner = new JobRunner({ db: t.db, logger });
    registerWeeklySummaryJob(runner, { mailer, baseUrl: BASE_URL, logger });

    // An account of Dagplejen's (its editor group: Anne Jensen); Karen Lund heads the unit.
    const unit = await t.db.selectFrom('units').select('id').where('slug', '=', 'dagplejen').executeTakeFirstOrThrow();
    const group = await t.db.selectFrom('groups').select('id').where('name', '=', 'SoMe-redaktører i Dagplejen').executeTakeFirstOrThrow();
    const karen = await t.db.selectFrom('people').select('id').where('email', '=', 'skole@demo.mediehus.dk').executeTakeFirstOrThrow();
    await t.db.updateTable('units').set({ head_id: karen.id }).where('id', '=', unit.id).execute();
    const account = newId();
    await store.insertAccount(t.db, { id: account, network: 'facebook', handle: 'ugenstest', name: 'Ugens Test', unit_id: unit.id, editor_group_id: group.id, adviser_group_id: null, requires_approval: 0, api_base: 'demo:facebook', business_hours: HOURS });

    // Last week, on a working day at 10:00: three answered after 30, 60 and 90 minutes, one never answered.
    const day = [1, 2, 3].map((d) => addDays(week, -7 + d)).find((d) => !closingDaysOf(Number(d.slice(0, 4))).some((h) => h.date === d))!;
    const ten = localInputToDate(`${day}T10:00`)!;
    const due = localInputToDate(`${day}T14:00`)!;
    for (const [i, after] of [30, 60, 90, null].entries()) await question(t.db, account, new Date(ten.getTime() + i * MIN), after, due);
    // This week's question is not last week's.
    await question(t.db, account, new Date(Date.now() - 10 * MIN), 5, new Date(Date.now() + 60 * MIN));
  });

  afterAll(async () => {
    mailer?.close?.();
    await smtp?.close();
    await t?.destroy();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('the editors and the unit’s manager each get one mail in Danish with last week’s figures and a link to the dashboard', async () => {
    await enqueue(t.db, WEEKLY_SUMMARY_JOB, { week }, { uniqueKey: `${WEEKLY_SUMMARY_JOB}:${week}` });
    await runAll();

    for (const address of ['medarbejder@demo.mediehus.dk', 'skole@demo.mediehus.dk']) {
      const mails = mailsTo(address);
      expect(mails, address).toHaveLength(1);
      const mail = mails[0]!;
      expect(mail.subject).toBe(`Svartider på sociale medier, uge ${isoWeekNumber(addDays(week, -7))}`);
      expect(mail.text).toContain('Goddag');
      const block = mail.text.slice(mail.text.indexOf('Ugens Test (Facebook)'));
      expect(block).toContain('- Spørgsmål: 4, besvaret: 3, ubesvaret: 1');
      expect(block).toContain('- Svartid i åbningstid: median 1 t, 90 %: 1 t 24 min');
      expect(block).toContain('- Overskredet svarfrist nu: 1');
      expect(mail.text).toContain(`${BASE_URL}/admin/indbakke/svartider?dage=7`);
      expect(mail.html).toContain(`<a href="${BASE_URL}/admin/indbakke/svartider?dage=7">`);
      expect(mail.html).toContain('<strong>Overskredet svarfrist nu: 1</strong>');
    }
    // Karen heads Dagplejen: she hears about its accounts, the demo's Dagplejen page among them.
    expect(mailsTo('skole@demo.mediehus.dk')[0]!.text).toContain('Dagplejen i Tønder Kommune (Facebook)');
    // Someone with no account and heading no unit that has one gets nothing; nor does a social editor about Dagplejen.
    expect(mailsTo('politiker@demo.mediehus.dk')).toHaveLength(0);
    for (const m of mailsTo('some@demo.mediehus.dk')) expect(m.text).not.toContain('Ugens Test');
  });

  it('running the job twice in a week sends each person one mail', async () => {
    const before = smtp.received.length;
    await enqueue(t.db, WEEKLY_SUMMARY_JOB, { week });
    await runAll();
    expect(smtp.received.length).toBe(before);
    expect(mailsTo('medarbejder@demo.mediehus.dk')).toHaveLength(1);
    // And next Monday's run is waiting.
    const next = await t.db.selectFrom('jobs').select(['run_at', 'status']).where('unique_key', '=', `${WEEKLY_SUMMARY_JOB}:${addDays(week, 7)}`).executeTakeFirstOrThrow();
    expect(next.status).toBe('pending');
  });

  it('a mail the server refuses is sent on the next run, and those already mailed are not mailed again', async () => {
    const earlier = addDays(week, -7);
    const anne = 'medarbejder@demo.mediehus.dk';
    const refusing: Mailer = {
      send: async (message) => {
        const to = Array.isArray(message.to) ? message.to : [message.to];
        if (to.some((r) => (typeof r === 'string' ? r : r.address) === anne)) throw new Error('550 mailbox unavailable');
        return mailer.send(message);
      },
    };
    const before = mailsTo('skole@demo.mediehus.dk').length;
    await expect(sendWeeklySummaries(t.db, { mailer: refusing, baseUrl: BASE_URL, logger }, earlier)).rejects.toThrow('550');
    // The overdue question still counts, so Karen hears about that week too; Anne's mail failed.
    expect(mailsTo('skole@demo.mediehus.dk')).toHaveLength(before + 1);
    expect(mailsTo(anne)).toHaveLength(1);
    expect(logger.lines.some((l) => l.level === 'warn' && l.msg.includes('not sent'))).toBe(true);

    const again = await sendWeeklySummaries(t.db, { mailer, baseUrl: BASE_URL, logger }, earlier);
    expect(again.mailed).toBeGreaterThanOrEqual(1);
    expect(mailsTo(anne)).toHaveLength(2);
    expect(mailsTo('skole@demo.mediehus.dk')).toHaveLength(before + 1);
  });
});
