import type { Db, DbOrTx } from '../platform/database.ts';
import { enqueue } from '../platform/jobs/enqueue.ts';
import type { JobLogger, JobRunner } from '../platform/jobs/runner.ts';
import type { Mailer } from '../platform/mail.ts';
import { addDays, localDate, localInputToDate, showDate } from '../platform/time.ts';
import type { Account } from '../social/model.ts';
import { NETWORK_LABELS } from '../social/providers/types.ts';
import * as store from '../social/store.ts';
import { type Figures, responseTimes, showDuration } from './response-times.ts';

// The weekly response-time summary (S2): every Monday morning, one mail per person covering the accounts they edit
// (members of the account's editor group) or whose unit they head: last week's questions, how many were answered,
// median and 90th percentile in business time, and what is overdue now, with a link to the dashboard. A row in
// inbox_weekly_summaries is written before the mail goes, so a job that runs twice mails each person once; a mail
// that fails takes its row away again, and the job's retry mails only those still without one.

export const WEEKLY_SUMMARY_JOB = 'inbox.weekly_summary';
/** Monday morning, Copenhagen time, after the notification digests (07:00). */
export const WEEKLY_SUMMARY_TIME = '07:30';

export interface WeeklySummaryDeps {
  mailer: Mailer;
  /** The public address, for the link to the dashboard. */
  baseUrl: string;
  logger: JobLogger;
}

const DAY = 24 * 60 * 60_000;
/** 1 = Monday … 7 = Sunday. */
const isoWeekday = (date: string): number => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** The ISO week number of a date (YYYY-MM-DD). */
export function isoWeekNumber(date: string): number {
  const thursday = new Date(Date.parse(`${date}T00:00:00Z`) + (4 - isoWeekday(date)) * DAY);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return Math.floor((thursday.getTime() - yearStart) / DAY / 7) + 1;
}

/** The first Monday 07:30 Copenhagen time after `after`, and that Monday's date, which names the run. */
export function nextSummaryTime(after: Date): { week: string; at: Date } {
  const today = localDate(after);
  let week = addDays(today, 1 - isoWeekday(today));
  let at = localInputToDate(`${week}T${WEEKLY_SUMMARY_TIME}`)!;
  if (at.getTime() <= after.getTime()) {
    week = addDays(week, 7);
    // From the local time again, as the UTC hour differs across a change to or from summer time.
    at = localInputToDate(`${week}T${WEEKLY_SUMMARY_TIME}`)!;
  }
  return { week, at };
}

/** One run per Monday: the unique key names the date, so several processes starting add it once. */
export function scheduleWeeklySummary(db: DbOrTx, after: Date = new Date()): Promise<string> {
  const { week, at } = nextSummaryTime(after);
  return enqueue(db, WEEKLY_SUMMARY_JOB, { week }, { runAt: at, uniqueKey: `${WEEKLY_SUMMARY_JOB}:${week}`, maxAttempts: 5 });
}

/** The week before the Monday `week`: from that Monday's midnight to this one's, Copenhagen time. */
export function lastWeekOf(week: string): { from: Date; to: Date; firstDay: string; lastDay: string } {
  const firstDay = addDays(week, -7);
  return { from: localInputToDate(`${firstDay}T00:00`)!, to: localInputToDate(`${week}T00:00`)!, firstDay, lastDay: addDays(week, -1) };
}

type SummaryTables = { inbox_weekly_summaries: { person_id: string; week: string; sent_at: string } };
const summaries = (db: DbOrTx) => db.withTables<SummaryTables>();

interface Recipient {
  id: string;
  name: string;
  email: string;
  accounts: Account[];
}

/** Each active person in an active account's editor group or heading its unit, with the accounts that make it so. */
export async function summaryRecipients(db: DbOrTx): Promise<Recipient[]> {
  const accounts = await store.listAccounts(db);
  if (!accounts.length) return [];
  const heads = new Map(
    (await db.selectFrom('units').select(['id', 'head_id']).where('id', 'in', [...new Set(accounts.map((a) => a.unitId))]).where('active', '=', 1).execute()).map((u) => [u.id, u.head_id]),
  );
  const members = new Map<string, string[]>();
  for (const groupId of new Set(accounts.map((a) => a.editorGroupId))) members.set(groupId, await store.activeMemberIds(db, groupId));
  const accountsOf = new Map<string, Account[]>();
  for (const a of accounts) {
    for (const personId of new Set([...(members.get(a.editorGroupId) ?? []), heads.get(a.unitId)].filter((id): id is string => !!id))) {
      accountsOf.set(personId, [...(accountsOf.get(personId) ?? []), a]);
    }
  }
  if (!accountsOf.size) return [];
  const people = await db.selectFrom('people').select(['id', 'name', 'email']).where('id', 'in', [...accountsOf.keys()]).where('active', '=', 1).orderBy('name').execute();
  return people.map((p) => ({ ...p, accounts: accountsOf.get(p.id)! }));
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface SummaryLine extends Figures {
  name: string;
}

/** The mail: one block per account, the figures in words a reader checks at a glance. */
export function summaryMail(person: { name: string }, week: string, lines: SummaryLine[], baseUrl: string) {
  const { firstDay, lastDay } = lastWeekOf(week);
  const weekNo = isoWeekNumber(firstDay);
  const dashboard = `${baseUrl}/admin/indbakke/svartider?dage=7`;
  const intro = `Her er svartiderne for uge ${weekNo} (${showDate(firstDay)} – ${showDate(lastDay)}) på de konti på sociale medier, du er redaktør for eller leder af. Svartiden er tiden fra borgeren skrev sit spørgsmål, til det første svar blev sendt, regnet i kontoens åbningstid.`;
  const why = 'Du får denne mail hver mandag, fordi du er i redaktørgruppen for kontoen eller leder af den enhed, der ejer den.';
  const facts = (l: SummaryLine): string[] => [
    `Spørgsmål: ${l.questions}, besvaret: ${l.answered}, ubesvaret: ${l.unanswered}`,
    l.answered ? `Svartid i åbningstid: median ${showDuration(l.businessMedian, { days: false })}, 90 %: ${showDuration(l.businessP90, { days: false })}` : 'Svartid: ingen besvarede spørgsmål',
    `Overskredet svarfrist nu: ${l.overdue}`,
  ];
  const text = [
    `Goddag ${person.name}`,
    '',
    intro,
    '',
    ...lines.flatMap((l) => [l.name, ...facts(l).map((f) => `- ${f}`), '']),
    `Se svartiderne og de spørgsmål, der venter på svar: ${dashboard}`,
    '',
    why,
    '',
    'Venlig hilsen',
    'Mediehus',
  ].join('\n');
  const html = [
    `<p>Goddag ${escapeHtml(person.name)}</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    ...lines.flatMap((l) => [
      `<h2>${escapeHtml(l.name)}</h2>`,
      '<ul>',
      ...facts(l).map((f) => (f.startsWith('Overskredet') && l.overdue > 0 ? `<li><strong>${escapeHtml(f)}</strong></li>` : `<li>${escapeHtml(f)}</li>`)),
      '</ul>',
    ]),
    `<p><a href="${escapeHtml(dashboard)}">Se svartiderne og de spørgsmål, der venter på svar</a></p>`,
    `<p>${escapeHtml(why)}</p>`,
    '<p>Venlig hilsen<br>Mediehus</p>',
  ].join('\n');
  return { subject: `Svartider på sociale medier, uge ${weekNo}`, text, html };
}

const accountName = (a: Account) => `${a.name} (${NETWORK_LABELS[a.network]})`;

/**
 * Mails last week's summary to everyone who has not had this week's yet. Someone whose accounts had no questions and
 * have none overdue gets no mail. Returns how many were mailed; a failed mail is passed on after the others are tried.
 */
export async function sendWeeklySummaries(db: Db, deps: WeeklySummaryDeps, week: string, now: Date = new Date()): Promise<{ mailed: number; skipped: number }> {
  const period = { ...lastWeekOf(week), now };
  const people = await summaryRecipients(db);
  const allAccounts = [...new Map(people.flatMap((p) => p.accounts).map((a) => [a.id, a])).values()];
  const figures = new Map((await responseTimes(db, allAccounts, period)).accounts.map((f) => [f.account.id, f]));
  const done = new Set((await summaries(db).selectFrom('inbox_weekly_summaries').select('person_id').where('week', '=', week).execute()).map((r) => r.person_id));
  let mailed = 0;
  let skipped = 0;
  let failure: unknown = null;
  for (const person of people) {
    if (done.has(person.id)) continue;
    const lines = person.accounts.map((a) => ({ ...figures.get(a.id)!, name: accountName(a) }));
    if (!lines.some((l) => l.questions > 0 || l.overdue > 0)) {
      skipped++;
      continue;
    }
    // The row first: a second run at the same time finds it taken and leaves this person alone.
    const claimed = await summaries(db)
      .insertInto('inbox_weekly_summaries')
      .values({ person_id: person.id, week, sent_at: new Date().toISOString() })
      .onConflict((oc) => oc.columns(['person_id', 'week']).doNothing())
      .returning('person_id')
      .execute();
    if (!claimed.length) continue;
    try {
      await deps.mailer.send({ to: { name: person.name, address: person.email }, ...summaryMail(person, week, lines, deps.baseUrl) });
      mailed++;
    } catch (error) {
      await summaries(db).deleteFrom('inbox_weekly_summaries').where('person_id', '=', person.id).where('week', '=', week).execute();
      deps.logger.warn({ personId: person.id, week, err: error instanceof Error ? error.message : String(error) }, 'weekly response-time summary not sent');
      failure ??= error;
    }
  }
  if (failure) throw failure;
  return { mailed, skipped };
}

export function registerWeeklySummaryJob(runner: JobRunner, deps: WeeklySummaryDeps): void {
  runner.register<{ week: string }>(WEEKLY_SUMMARY_JOB, async ({ week }, { db }) => {
    // Next week's run first, so a Monday that keeps failing does not end the series; after a long stop the series
    // continues from now rather than catching up.
    await scheduleWeeklySummary(db, new Date(Math.max(localInputToDate(`${week}T${WEEKLY_SUMMARY_TIME}`)!.getTime(), Date.now())));
    const result = await sendWeeklySummaries(db, deps, week);
    deps.logger.info({ week, ...result }, 'weekly response-time summaries sent');
  });
}
