import { deleteExpiredSessions } from '../signin/store.ts';
import type { DbOrTx } from './database.ts';
import { nowIso } from './ids.ts';
import { enqueue } from './jobs/enqueue.ts';
import type { JobRunner } from './jobs/runner.ts';

export const SESSION_CLEANUP_JOB = 'sessions.cleanup';
const HOUR = 60 * 60 * 1000;

/**
 * Keeps one cleanup job per hour: the unique key names the hour, so several processes
 * starting or finishing the job at once still add it only once.
 */
export function scheduleSessionCleanup(db: DbOrTx, after: Date = new Date()): Promise<string> {
  const next = new Date(Math.floor(after.getTime() / HOUR) * HOUR + HOUR);
  return enqueue(db, SESSION_CLEANUP_JOB, {}, { runAt: next, uniqueKey: `${SESSION_CLEANUP_JOB}:${next.toISOString()}`, maxAttempts: 3 });
}

export function registerHousekeeping(runner: JobRunner): void {
  runner.register(SESSION_CLEANUP_JOB, async (_payload, { db }) => {
    await deleteExpiredSessions(db, nowIso());
    await scheduleSessionCleanup(db);
  });
}
