import type { IntranetJobDeps } from '../intranet/jobs.ts';
import type { Db } from '../platform/database.ts';
import type { JobRunner } from '../platform/jobs/runner.ts';
import type { OutboxEventPayload, Subscriptions } from '../platform/outbox/dispatcher.ts';
import { ANNOUNCE_JOB, announceMustRead, REMINDERS_JOB, scheduleReminders, sendDueReminders } from './announce.ts';

/** The must-reads' jobs: the announcement when one goes live, and the morning's reminders. */
export function registerMustReadJobs(runner: JobRunner, subscriptions: Subscriptions, deps: IntranetJobDeps): void {
  subscriptions.subscribe('item.published', ANNOUNCE_JOB);
  runner.register<OutboxEventPayload>(ANNOUNCE_JOB, async (event, { db }) => {
    const people = await announceMustRead(db, event.objectId);
    if (people) deps.logger.info({ itemId: event.objectId, people }, 'must-read announced to its audience');
  });
  runner.register<{ date: string }>(REMINDERS_JOB, async (payload, { db }) => {
    // Tomorrow's run first, so a day whose run keeps failing does not end the series.
    await scheduleReminders(db);
    const { items, people } = await sendDueReminders(db);
    if (items) deps.logger.info({ date: payload.date, items, people }, 'must-read reminders sent');
  });
}

/** Puts the first run of the recurring jobs in the queue (unique keys keep them single). */
export async function scheduleMustReadJobs(db: Db): Promise<void> {
  await scheduleReminders(db);
}
