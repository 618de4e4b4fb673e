import type { Db, DbOrTx } from '../platform/database.ts';
import { enqueue } from '../platform/jobs/enqueue.ts';
import type { JobLogger } from '../platform/jobs/runner.ts';
import type { Mailer } from '../platform/mail.ts';
import { addDays, localDate, localInputToDate, showDate } from '../platform/time.ts';
import * as org from '../org/store.ts';
import { latestAuthors, outdatedItems } from './store.ts';
import { ITEM_TYPE_LABELS, type ItemType } from './types.ts';

export const REVIEW_REMINDERS_JOB = 'content.review_reminders';
/** One per owner unit and week, so a repeated weekly run never mails a unit twice. */
export const REVIEW_REMINDER_MAIL_JOB = 'content.review_reminder_mail';

export interface ReminderDeps {
  mailer: Mailer;
  /** Public address of Mediehus, for the links in the mail. */
  baseUrl: string;
  logger: JobLogger;
}

/** 1 = Monday … 7 = Sunday. */
const isoWeekday = (date: string): number => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** The first Monday 07:00 Copenhagen time after `after`, and that Monday's date, which names the week. */
export function nextReminderTime(after: Date): { week: string; at: Date } {
  const today = localDate(after);
  let week = addDays(today, 1 - isoWeekday(today));
  let at = localInputToDate(`${week}T07:00`)!;
  if (at.getTime() <= after.getTime()) {
    week = addDays(week, 7);
    // Computed from the local time again, as the UTC hour differs across a DST change.
    at = localInputToDate(`${week}T07:00`)!;
  }
  return { week, at };
}

/**
 * Keeps one reminder run per week: the unique key names the week's Monday, so several processes
 * starting, or the job rescheduling itself, still add it only once.
 */
export function scheduleReviewReminders(db: DbOrTx, after: Date = new Date()): Promise<string> {
  const { week, at } = nextReminderTime(after);
  return enqueue(db, REVIEW_REMINDERS_JOB, { week }, { runAt: at, uniqueKey: `${REVIEW_REMINDERS_JOB}:${week}`, maxAttempts: 3 });
}

/** One mail job per owner unit with outdated content; returns how many units have some. */
export async function enqueueReminderMails(db: Db, week: string): Promise<number> {
  const units = [...new Set((await outdatedItems(db, localDate())).map((i) => i.owner_unit_id))];
  for (const unitId of units) {
    await enqueue(db, REVIEW_REMINDER_MAIL_JOB, { unitId, week }, { uniqueKey: `${REVIEW_REMINDER_MAIL_JOB}:${week}:${unitId}` });
  }
  return units.length;
}

interface OutdatedItem {
  id: string;
  title: string;
  type: string;
  reviewBy: string;
}

/** The unit's head and the authors of the items' latest revisions, active and each once. */
async function recipientsFor(db: DbOrTx, headId: string | null, itemIds: string[]): Promise<{ name: string; email: string }[]> {
  const ids = [...new Set([headId, ...(await latestAuthors(db, itemIds))].filter((id): id is string => !!id))];
  const people = await org.activePeople(db, ids);
  // Two person records may share an address; the mail goes to it once.
  return [...new Map(people.map((p) => [p.email.toLowerCase(), p])).values()];
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function reminderMail(unit: { id: string; name: string }, items: OutdatedItem[], baseUrl: string) {
  const n = items.length;
  const link = (id: string) => `${baseUrl}/admin/indhold/${encodeURIComponent(id)}`;
  const overview = `${baseUrl}/admin/indhold/foraeldet?enhed=${encodeURIComponent(unit.id)}`;
  const typeOf = (i: OutdatedItem) => ITEM_TYPE_LABELS[i.type as ItemType] ?? i.type;
  const intro = `${n === 1 ? 'Dette indhold' : `Disse ${n} stykker indhold`} fra ${unit.name} skulle have været gennemgået. Læs ${n === 1 ? 'det' : 'dem'} igennem, ret det, der ikke længere passer, og sæt en ny dato for næste gennemgang – eller afpublicér, hvis indholdet ikke skal bruges mere.`;
  const why = 'Du får denne mail, fordi du er leder af enheden eller har skrevet den seneste version af indholdet.';
  const text = [
    'Goddag',
    '',
    intro,
    '',
    ...items.flatMap((i) => [`- ${i.title} (${typeOf(i)}), skulle gennemgås senest ${showDate(i.reviewBy)}`, `  ${link(i.id)}`]),
    '',
    `Alt forældet indhold fra ${unit.name}: ${overview}`,
    '',
    why,
    '',
    'Venlig hilsen',
    'Mediehus',
  ].join('\n');
  const html = [
    '<p>Goddag</p>',
    `<p>${escapeHtml(intro)}</p>`,
    '<ul>',
    ...items.map((i) => `<li><a href="${escapeHtml(link(i.id))}">${escapeHtml(i.title)}</a> (${escapeHtml(typeOf(i))}), skulle gennemgås senest ${escapeHtml(showDate(i.reviewBy))}</li>`),
    '</ul>',
    `<p><a href="${escapeHtml(overview)}">Alt forældet indhold fra ${escapeHtml(unit.name)}</a></p>`,
    `<p>${escapeHtml(why)}</p>`,
    '<p>Venlig hilsen<br>Mediehus</p>',
  ].join('\n');
  return { subject: `Forældet indhold hos ${unit.name} (${n})`, text, html };
}

/** Mails one owner unit's outdated content, as it stands now, to its head and the latest authors. */
export async function sendReviewReminder(db: Db, deps: ReminderDeps, unitId: string): Promise<boolean> {
  const rows = await outdatedItems(db, localDate(), unitId);
  if (rows.length === 0) return false;
  const items = [...new Map(rows.map((r) => [r.id, { id: r.id, title: r.title, type: r.type, reviewBy: r.review_by! }])).values()];
  const unit = { id: unitId, name: rows[0]!.owner_name };
  const to = await recipientsFor(db, rows[0]!.head_id, items.map((i) => i.id));
  if (to.length === 0) {
    deps.logger.warn({ unitId, unitName: unit.name, items: items.length }, 'outdated content has no one to remind: the unit has no head and no active author');
    return false;
  }
  await deps.mailer.send({ to: to.map((p) => ({ name: p.name, address: p.email })), ...reminderMail(unit, items, deps.baseUrl) });
  return true;
}
