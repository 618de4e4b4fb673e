import { keysOf } from '../intranet/audience.ts';
import { liveItems } from '../intranet/items.ts';
import { enqueueNowMail } from '../notifications/notify.ts';
import { insertForAudience } from '../notifications/store.ts';
import { audit } from '../platform/audit/service.ts';
import type { Db, DbOrTx } from '../platform/database.ts';
import { enqueue } from '../platform/jobs/enqueue.ts';
import { addDays, localDate, localInputToDate, showDate } from '../platform/time.ts';
import { announcementKey, type MustRead, mustReadOf, reminderDueOn, reminderKey } from './model.ts';
import * as store from './store.ts';

/** Follows 'item.published': tells a must-read's audience the first time it goes live as one. */
export const ANNOUNCE_JOB = 'mustreads.announce';
/** Every morning: reminds those who have not acknowledged a must-read whose days have passed. */
export const REMINDERS_JOB = 'mustreads.reminders';
export const REMINDER_TIME = '08:00';
/** A must-read is reminded of once; a later round would be round 2 with a key of its own. */
export const REMINDER_ROUND = 1;

const system = { actorId: null, actorLabel: 'system', ip: null };

/**
 * Notifies everyone in a live must-read's audience who has not acknowledged it, once per item: the announcement row
 * is taken in the same transaction, so a re-publication (a correction) or a repeated job tells nobody again. An item
 * that was live before without asking for acknowledgement is announced when it first goes live as a must-read.
 * The notifications are written by the database in one statement, whatever the audience's size. Returns how many.
 */
export async function announceMustRead(db: Db, itemId: string, now: Date = new Date()): Promise<number> {
  const [live] = await liveItems(db, [itemId]);
  const item = live ? mustReadOf(live) : null;
  if (!item) return 0;
  const keys = await keysOf(db, { type: 'item', id: itemId });
  if (!keys.length) return 0;
  const at = now.toISOString();
  return db.transaction().execute(async (tx) => {
    if (!(await store.claimAnnouncement(tx, itemId, at))) return 0;
    const audience = await store.notAcknowledged(tx, itemId, keys);
    const sourceKey = announcementKey(itemId);
    const people = await insertForAudience(tx, audience, { kind: 'must_read', sourceKey, title: item.title, text: item.summary, url: item.href }, at);
    await store.setAnnouncedPeople(tx, itemId, people);
    if (people) await enqueueNowMail(tx, sourceKey);
    await audit(tx, { ...system, action: 'must_read.announced', objectType: 'item', objectId: itemId, details: { people } });
    return people;
  });
}

async function remind(db: Db, item: MustRead, announcedAt: string, round: number, now: Date): Promise<number> {
  const keys = await keysOf(db, { type: 'item', id: item.id });
  if (!keys.length) return 0;
  const at = now.toISOString();
  return db.transaction().execute(async (tx) => {
    if (!(await store.claimReminder(tx, item.id, round, at))) return 0;
    const audience = await store.notAcknowledged(tx, item.id, keys);
    const sourceKey = reminderKey(item.id, round);
    const text = `Du har endnu ikke bekræftet, at du har læst det, der blev sendt ud ${showDate(announcedAt)}. Læs det, og tryk på "Jeg har læst og forstået".`;
    const people = await insertForAudience(tx, audience, { kind: 'must_read', sourceKey, title: `Påmindelse: ${item.title}`, text, url: item.href }, at);
    await store.setRemindedPeople(tx, item.id, round, people);
    if (people) await enqueueNowMail(tx, sourceKey);
    await audit(tx, { ...system, action: 'must_read.reminded', objectType: 'item', objectId: item.id, details: { round, people } });
    return people;
  });
}

/**
 * Reminds, for every live must-read with a reminder whose day has come (counted in Copenhagen days from the
 * announcement), those in its audience who have not acknowledged it. Each round is taken once, so a second run the
 * same day, or the next day, reminds nobody again.
 */
export async function sendDueReminders(db: Db, now: Date = new Date()): Promise<{ items: number; people: number }> {
  const ids = await store.liveMustReadIds(db);
  const [items, announced, sent] = await Promise.all([liveItems(db, ids), store.announcementsOf(db, ids), store.sentRounds(db, ids)]);
  const today = localDate(now);
  const result = { items: 0, people: 0 };
  for (const live of items) {
    const item = mustReadOf(live);
    const announcedAt = announced.get(live.id);
    if (!item?.remindAfterDays || !announcedAt || sent.has(`${item.id}:${REMINDER_ROUND}`)) continue;
    if (reminderDueOn(announcedAt, item.remindAfterDays) > today) continue;
    const people = await remind(db, item, announcedAt, REMINDER_ROUND, now);
    result.items++;
    result.people += people;
  }
  return result;
}

/** The first 08:00 Copenhagen time after `after`, and its date. */
export function nextReminderRun(after: Date): { date: string; at: Date } {
  let date = localDate(after);
  let at = localInputToDate(`${date}T${REMINDER_TIME}`)!;
  if (at.getTime() <= after.getTime()) {
    date = addDays(date, 1);
    // From the local time again, as the UTC hour differs across a change to or from summer time.
    at = localInputToDate(`${date}T${REMINDER_TIME}`)!;
  }
  return { date, at };
}

/** Keeps one morning run per date: the unique key names the date, so several processes starting add it once. */
export function scheduleReminders(db: DbOrTx, after: Date = new Date()): Promise<string> {
  const { date, at } = nextReminderRun(after);
  return enqueue(db, REMINDERS_JOB, { date }, { runAt: at, uniqueKey: `${REMINDERS_JOB}:${date}`, maxAttempts: 3 });
}
