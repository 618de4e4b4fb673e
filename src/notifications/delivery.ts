import type { DbOrTx } from '../platform/database.ts';
import { nowIso } from '../platform/ids.ts';
import type { Mailer } from '../platform/mail.ts';
import { notificationMail } from './mail.ts';
import type { Frequency, NotificationKind } from './model.ts';
import { markMailed, pendingForSource, type PendingRow } from './store.ts';

/** Mails one source's notifications to those who want its kind at once; one job per notify() call. */
export const NOW_MAIL_JOB = 'notifications.mail_now';

/** Mails on their way at once: enough to keep a mail server busy, few enough not to swamp it. */
export const DEFAULT_CONCURRENCY = 16;
/** This many failures in a row means the mail server is away: stop, and let the job try again later. */
const GIVE_UP_AFTER = 5;

export interface DeliveryResult {
  /** People with something to mail. */
  people: number;
  mails: number;
  /** Notifications in the mails that went out (and are now marked mailed). */
  notifications: number;
  failed: number;
}

/** Thrown after a run in which some mails failed; what did go out is marked, so a retry mails only the rest. */
export class DeliveryError extends Error {
  constructor(
    readonly result: DeliveryResult,
    cause: unknown,
  ) {
    super(`${result.failed} of ${result.people} notification mails failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'DeliveryError';
  }
}

interface PersonBatch {
  name: string;
  email: string;
  rows: PendingRow[];
}

/** Rows come ordered by person, so a person's rows are next to each other. */
function byPerson(rows: PendingRow[]): PersonBatch[] {
  const batches: PersonBatch[] = [];
  let current: PersonBatch | undefined;
  let currentId = '';
  for (const r of rows) {
    if (!current || r.person_id !== currentId) {
      current = { name: r.name, email: r.email, rows: [] };
      currentId = r.person_id;
      batches.push(current);
    }
    current.rows.push(r);
  }
  return batches;
}

/**
 * What went out is written down in small batches rather than one statement per person: 20,000 single updates cost
 * more than the mails. A batch is written after MARK_EVERY people or MARK_AFTER_MS, whichever comes first, and always
 * before a run ends, also when it ends in failure. Only a process that dies in between leaves its last batch
 * unmarked, and those few people get their mail again (jobs run at least once).
 */
const MARK_EVERY = 100;
const MARK_AFTER_MS = 500;

class MailedMarks {
  private ids: string[] = [];
  private people = 0;
  private since = Date.now();
  private writing: Promise<void> = Promise.resolve();
  error: unknown;

  constructor(private readonly db: DbOrTx) {}

  add(ids: string[]): Promise<void> {
    this.ids.push(...ids);
    this.people++;
    return this.people >= MARK_EVERY || Date.now() - this.since >= MARK_AFTER_MS ? this.flush() : Promise.resolve();
  }

  flush(): Promise<void> {
    const ids = this.ids;
    this.ids = [];
    this.people = 0;
    this.since = Date.now();
    if (!ids.length) return this.writing;
    this.writing = this.writing.then(async () => {
      if (this.error) return;
      try {
        await markMailed(this.db, ids, nowIso());
      } catch (error) {
        this.error = error;
      }
    });
    return this.writing;
  }
}

/**
 * One mail per person, a few at a time. Each person's notifications are marked mailed once their mail is accepted
 * (see MailedMarks), so a run that stops half-way (the mail server fails) is taken up by the next attempt without
 * mailing anyone twice. Throws DeliveryError when a mail failed.
 */
export async function deliver(
  db: DbOrTx,
  mailer: Mailer,
  rows: PendingRow[],
  options: { frequency: Exclude<Frequency, 'off'>; baseUrl: string; concurrency?: number },
): Promise<DeliveryResult> {
  const batches = byPerson(rows).filter((b) => b.email.trim() !== '');
  const result: DeliveryResult = { people: batches.length, mails: 0, notifications: 0, failed: 0 };
  const marks = new MailedMarks(db);
  let next = 0;
  let failuresInARow = 0;
  let firstError: unknown;
  const worker = async () => {
    while (next < batches.length && failuresInARow < GIVE_UP_AFTER && !marks.error) {
      const batch = batches[next++]!;
      const entries = batch.rows.map((r) => ({ kind: r.kind as NotificationKind, title: r.title, text: r.text, url: r.url }));
      try {
        await mailer.send(notificationMail({ name: batch.name, email: batch.email }, entries, options.frequency, options.baseUrl));
      } catch (error) {
        result.failed++;
        failuresInARow++;
        firstError ??= error;
        continue;
      }
      result.mails++;
      result.notifications += batch.rows.length;
      failuresInARow = 0;
      await marks.add(batch.rows.map((r) => r.id));
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, batches.length));
  await Promise.all(Array.from({ length: workers }, worker));
  await marks.flush();
  // Mails went out that could not be marked: stop here rather than risk mailing them again in this run.
  if (marks.error) throw marks.error;
  if (result.failed) throw new DeliveryError(result, firstError);
  return result;
}

/** The job behind a notify(): mails its source's notifications to the people who chose 'now' for the kind. */
export async function sendNow(db: DbOrTx, mailer: Mailer, sourceKey: string, baseUrl: string): Promise<DeliveryResult> {
  return deliver(db, mailer, await pendingForSource(db, sourceKey), { frequency: 'now', baseUrl });
}
