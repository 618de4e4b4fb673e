import type { FastifyBaseLogger } from 'fastify';
import { registerMustReadJobs, scheduleMustReadJobs } from '../mustreads/jobs.ts';
import { registerNotificationJobs, scheduleNotificationJobs } from '../notifications/jobs.ts';
import type { Db } from '../platform/database.ts';
import type { JobRunner } from '../platform/jobs/runner.ts';
import type { Mailer } from '../platform/mail.ts';
import type { Subscriptions } from '../platform/outbox/dispatcher.ts';

export interface IntranetJobDeps {
  mailer: Mailer;
  /** The public address, for links in mails ("https://mediehus.toender.dk"). */
  baseUrl: string;
  logger: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
}

/** The intranet's jobs and outbox subscriptions, registered with the runner at start. */
export function registerIntranetJobs(runner: JobRunner, subscriptions: Subscriptions, deps: IntranetJobDeps): void {
  registerMustReadJobs(runner, subscriptions, deps);
  registerNotificationJobs(runner, subscriptions, deps);
}

export async function scheduleIntranetJobs(db: Db): Promise<void> {
  await scheduleMustReadJobs(db);
  await scheduleNotificationJobs(db);
}
