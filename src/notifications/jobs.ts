import type { Db } from '../platform/database.ts';
import type { JobRunner } from '../platform/jobs/runner.ts';
import type { Subscriptions } from '../platform/outbox/dispatcher.ts';
import type { IntranetJobDeps } from '../intranet/jobs.ts';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function registerNotificationJobs(runner: JobRunner, subscriptions: Subscriptions, deps: IntranetJobDeps): void {}

/** Puts the first run of the recurring jobs in the queue (unique keys keep them single). */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function scheduleNotificationJobs(db: Db): Promise<void> {}
