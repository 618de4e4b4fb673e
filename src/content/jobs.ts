import type { JobRunner } from '../platform/jobs/runner.ts';
import { PUBLISH_SCHEDULED_JOB, runScheduled, UNPUBLISH_SCHEDULED_JOB } from './service.ts';

/** The content hub's jobs, registered with the runner at start. */
export function registerContentJobs(runner: JobRunner): void {
  runner.register<{ itemId: string; at: string }>(PUBLISH_SCHEDULED_JOB, (payload, { db }) => runScheduled(db, 'publish', payload));
  runner.register<{ itemId: string; at: string }>(UNPUBLISH_SCHEDULED_JOB, (payload, { db }) => runScheduled(db, 'unpublish', payload));
}
