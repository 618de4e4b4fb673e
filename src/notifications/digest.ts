import type { Db, DbOrTx } from '../platform/database.ts';
import { enqueue } from '../platform/jobs/enqueue.ts';
import type { Mailer } from '../platform/mail.ts';
import { addDays, localDate, localInputToDate } from '../platform/time.ts';
import { deliver, type DeliveryResult } from './delivery.ts';
import type { DigestFrequency } from './model.ts';
import { pendingForDigest } from './store.ts';

/** Every morning at 07:00 Copenhagen time: the daily digests, and on Mondays the weekly ones as well. */
export const DIGEST_JOB = 'notifications.digest';
export const DIGEST_TIME = '07:00';
/**
 * A digest gathers at most this far back. Normally it is a day or a week; the limit keeps someone who switches from
 * "off" to a digest, or a run after a long stop, from receiving months of old news.
 */
export const LOOKBACK_DAYS = 30;

const DAY = 24 * 60 * 60 * 1000;
/** 1 = Monday … 7 = Sunday. */
export const isoWeekday = (date: string): number => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
const digestTimeOn = (date: string): Date => localInputToDate(`${date}T${DIGEST_TIME}`)!;

export interface DigestResult extends Omit<DeliveryResult, 'failed'> {
  seconds: number;
}

/**
 * Mails one digest to every person with unmailed, unread notifications of a kind they want gathered at this
 * frequency, recorded up to `now`. One query reads them all, grouped by person; mails go out a few at a time and each
 * person's are marked as soon as theirs is sent, so a second run sends nothing and a failed run is resumed.
 */
export async function runDigest(db: DbOrTx, mailer: Mailer, options: { frequency: DigestFrequency; now: Date; baseUrl: string; concurrency?: number }): Promise<DigestResult> {
  const started = performance.now();
  const until = options.now.toISOString();
  const since = new Date(options.now.getTime() - LOOKBACK_DAYS * DAY).toISOString();
  const rows = await pendingForDigest(db, options.frequency, { since, until });
  const { people, mails, notifications } = await deliver(db, mailer, rows, { frequency: options.frequency, baseUrl: options.baseUrl, concurrency: options.concurrency });
  return { people, mails, notifications, seconds: (performance.now() - started) / 1000 };
}

const settled = <T>(p: Promise<T>): Promise<PromiseSettledResult<T>> => Promise.allSettled([p]).then(([r]) => r!);

export interface DigestDeps {
  mailer: Mailer;
  baseUrl: string;
}

/**
 * The morning run for a date: daily digests, and weekly ones when the date is a Monday. Gathers what was recorded up
 * to 07:00 that day, so a retry later in the morning sends the same digests, and later news waits for tomorrow.
 * Both frequencies are tried before a failure is passed on.
 */
export async function runScheduledDigests(db: DbOrTx, deps: DigestDeps, date: string): Promise<{ daily: DigestResult; weekly: DigestResult | null }> {
  const now = digestTimeOn(date);
  const run = (frequency: DigestFrequency) => runDigest(db, deps.mailer, { frequency, now, baseUrl: deps.baseUrl });
  const [daily, weekly] = [await settled(run('daily')), isoWeekday(date) === 1 ? await settled(run('weekly')) : null];
  if (daily.status === 'rejected') throw daily.reason;
  if (weekly?.status === 'rejected') throw weekly.reason;
  return { daily: daily.value, weekly: weekly ? weekly.value : null };
}

/** The first 07:00 Copenhagen time after `after`, and its date. */
export function nextDigestTime(after: Date): { date: string; at: Date } {
  let date = localDate(after);
  let at = digestTimeOn(date);
  if (at.getTime() <= after.getTime()) {
    date = addDays(date, 1);
    // From the local time again, as the UTC hour differs across a change to or from summer time.
    at = digestTimeOn(date);
  }
  return { date, at };
}

/** Keeps one morning run per date: the unique key names the date, so several processes starting add it once. */
export function scheduleDigests(db: DbOrTx, after: Date = new Date()): Promise<string> {
  const { date, at } = nextDigestTime(after);
  return enqueue(db, DIGEST_JOB, { date }, { runAt: at, uniqueKey: `${DIGEST_JOB}:${date}` });
}

/** The job: tomorrow's run first, so a morning that keeps failing does not end the series. */
export async function digestJob(db: Db, deps: DigestDeps, payload: { date: string }): Promise<Awaited<ReturnType<typeof runScheduledDigests>>> {
  const at = digestTimeOn(payload.date);
  // After a long stop the series continues from now, not with one catch-up run per missed morning.
  await scheduleDigests(db, new Date(Math.max(at.getTime(), Date.now())));
  return runScheduledDigests(db, deps, payload.date);
}
