import type { DbOrTx } from '../database.ts';
import { insertJob } from './store.ts';

export const DEFAULT_MAX_ATTEMPTS = 8;

export interface EnqueueOptions {
  /** Not before this time; now when left out. */
  runAt?: Date;
  maxAttempts?: number;
  /** A second job with the same key is never added, even after the first has finished. */
  uniqueKey?: string;
}

/**
 * Adds a job. Pass the service's transaction so the job exists exactly when the change that caused it does.
 * Returns the job's id (the existing job's id when the unique key was taken).
 */
export async function enqueue(db: DbOrTx, name: string, payload: object, options: EnqueueOptions = {}): Promise<string> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!name) throw new Error('A job needs a name');
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`maxAttempts must be a whole number of at least 1, not ${maxAttempts}`);
  if (options.runAt && Number.isNaN(options.runAt.getTime())) throw new Error('runAt is not a valid date');
  return insertJob(db, {
    name,
    payload,
    runAt: options.runAt ?? new Date(),
    maxAttempts,
    uniqueKey: options.uniqueKey ?? null,
  });
}
