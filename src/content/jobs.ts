import type { JobRunner } from '../platform/jobs/runner.ts';
import { enqueueReminderMails, REVIEW_REMINDER_MAIL_JOB, REVIEW_REMINDERS_JOB, type ReminderDeps, scheduleReviewReminders, sendReviewReminder } from './review-reminders.ts';
import { PUBLISH_SCHEDULED_JOB, runScheduled, UNPUBLISH_SCHEDULED_JOB } from './service.ts';

/** The content hub's jobs, registered with the runner at start. */
export function registerContentJobs(runner: JobRunner, deps: ReminderDeps): void {
  runner.register<{ itemId: string; at: string }>(PUBLISH_SCHEDULED_JOB, (payload, { db }) => runScheduled(db, 'publish', payload));
  runner.register<{ itemId: string; at: string }>(UNPUBLISH_SCHEDULED_JOB, (payload, { db }) => runScheduled(db, 'unpublish', payload));
  runner.register<{ week: string }>(REVIEW_REMINDERS_JOB, async (payload, { db }) => {
    // Next week first, so a week whose run keeps failing does not end the series.
    await scheduleReviewReminders(db);
    await enqueueReminderMails(db, payload.week);
  });
  runner.register<{ unitId: string; week: string }>(REVIEW_REMINDER_MAIL_JOB, async (payload, { db }) => {
    await sendReviewReminder(db, deps, payload.unitId);
  });
}
