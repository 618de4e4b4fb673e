import type { Db } from '../platform/database.ts';
import type { JobRunner } from '../platform/jobs/runner.ts';
import type { OutboxEventPayload, Subscriptions } from '../platform/outbox/dispatcher.ts';
import type { IntranetJobDeps } from '../intranet/jobs.ts';
import { NOW_MAIL_JOB, sendNow } from './delivery.ts';
import { DIGEST_JOB, digestJob, scheduleDigests } from './digest.ts';
import { NEWS_PUBLISHED_JOB, onItemPublished } from './news.ts';

export function registerNotificationJobs(runner: JobRunner, subscriptions: Subscriptions, deps: IntranetJobDeps): void {
  subscriptions.subscribe('item.published', NEWS_PUBLISHED_JOB);
  runner.register<OutboxEventPayload>(NEWS_PUBLISHED_JOB, async (event, { db }) => {
    const count = await onItemPublished(db, event);
    if (count) deps.logger.info({ itemId: event.objectId, people: count }, 'targeted news notified its audience');
  });
  runner.register<{ sourceKey: string }>(NOW_MAIL_JOB, async (payload, { db }) => {
    await sendNow(db, deps.mailer, payload.sourceKey, deps.baseUrl);
  });
  runner.register<{ date: string }>(DIGEST_JOB, async (payload, { db }) => {
    const { daily, weekly } = await digestJob(db, deps, payload);
    deps.logger.info({ date: payload.date, daily, weekly }, 'notification digests sent');
  });
}

/** Puts the first run of the recurring jobs in the queue (unique keys keep them single). */
export async function scheduleNotificationJobs(db: Db): Promise<void> {
  await scheduleDigests(db);
}
