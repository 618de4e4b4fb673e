import { sql } from 'kysely';
import type { Db, DbOrTx } from '../database.ts';
import { dialectOf } from '../db.ts';
import { newId, nowIso } from '../ids.ts';
import type { JobRow, JobsTable } from '../tables.ts';

export type JobStatus = JobsTable['status'];
export const JOB_STATUSES: readonly JobStatus[] = ['pending', 'running', 'done', 'failed'];

/** What a view may show of a job: everything but the payload, which may hold secrets. */
export type JobSummary = Omit<JobRow, 'payload'>;

/** Identifies one claim of a job, so a worker whose lease was taken over cannot overwrite the new owner's result. */
export type JobClaim = Pick<JobRow, 'id' | 'attempts' | 'locked_by'>;

export interface NewJobInput {
  name: string;
  payload: object;
  runAt: Date;
  maxAttempts: number;
  uniqueKey: string | null;
}

const MAX_ERROR_LENGTH = 2000;

/** Returns the new job's id, or the existing job's id when the unique key is already taken. */
export async function insertJob(db: DbOrTx, job: NewJobInput): Promise<string> {
  const now = nowIso();
  const inserted = await db
    .insertInto('jobs')
    .values({
      id: newId(),
      name: job.name,
      payload: JSON.stringify(job.payload),
      run_at: job.runAt.toISOString(),
      attempts: 0,
      max_attempts: job.maxAttempts,
      status: 'pending',
      locked_by: null,
      locked_until: null,
      last_error: null,
      unique_key: job.uniqueKey,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return inserted.id;
  const existing = await db.selectFrom('jobs').select('id').where('unique_key', '=', job.uniqueKey).executeTakeFirstOrThrow();
  return existing.id;
}

function dueJobs(db: DbOrTx, now: string, limit: number) {
  return db
    .selectFrom('jobs')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', now)]),
        eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)]),
      ]),
    )
    .orderBy('run_at')
    .orderBy('id')
    .limit(limit);
}

/**
 * Claims up to `limit` due jobs for one worker: pending jobs whose time has come, and running jobs whose
 * lease ran out because their worker died. Each claim counts as an attempt.
 */
export async function claimDueJobs(db: Db, claim: { workerId: string; leaseMs: number; limit: number; now?: Date }): Promise<JobRow[]> {
  const now = claim.now ?? new Date();
  const nowText = now.toISOString();
  const changes = {
    status: 'running' as const,
    locked_by: claim.workerId,
    locked_until: new Date(now.getTime() + claim.leaseMs).toISOString(),
    attempts: sql<number>`attempts + 1`,
    updated_at: nowText,
  };
  const rows = await db.transaction().execute(async (tx) => {
    if (dialectOf(tx) === 'postgres') {
      const locked = await dueJobs(tx, nowText, claim.limit).forUpdate().skipLocked().execute();
      if (locked.length === 0) return [];
      const ids = locked.map((r) => r.id);
      return tx.updateTable('jobs').set(changes).where('id', 'in', ids).returningAll().execute();
    }
    // One statement, so SQLite takes the write lock before reading and another process cannot claim in between.
    return tx.updateTable('jobs').set(changes).where('id', 'in', dueJobs(tx, nowText, claim.limit)).returningAll().execute();
  });
  return rows.sort((a, b) => a.run_at.localeCompare(b.run_at) || a.id.localeCompare(b.id));
}

function ownClaim(db: DbOrTx, claim: JobClaim) {
  const q = db.updateTable('jobs').where('id', '=', claim.id).where('status', '=', 'running').where('attempts', '=', claim.attempts);
  return claim.locked_by === null ? q.where('locked_by', 'is', null) : q.where('locked_by', '=', claim.locked_by);
}

/** Each of these returns false when the claim was lost (the lease ran out and another worker took the job). */
export async function markDone(db: DbOrTx, claim: JobClaim): Promise<boolean> {
  const result = await ownClaim(db, claim)
    .set({ status: 'done', locked_by: null, locked_until: null, last_error: null, updated_at: nowIso() })
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function markForRetry(db: DbOrTx, claim: JobClaim, retry: { runAt: Date; error: string }): Promise<boolean> {
  const result = await ownClaim(db, claim)
    .set({
      status: 'pending',
      run_at: retry.runAt.toISOString(),
      locked_by: null,
      locked_until: null,
      last_error: retry.error.slice(0, MAX_ERROR_LENGTH),
      updated_at: nowIso(),
    })
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function markFailed(db: DbOrTx, claim: JobClaim, error: string): Promise<boolean> {
  const result = await ownClaim(db, claim)
    .set({ status: 'failed', locked_by: null, locked_until: null, last_error: error.slice(0, MAX_ERROR_LENGTH), updated_at: nowIso() })
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function listJobs(db: DbOrTx, filter: { status?: JobStatus; limit?: number; offset?: number } = {}): Promise<JobSummary[]> {
  let q = db
    .selectFrom('jobs')
    .select(['id', 'name', 'run_at', 'attempts', 'max_attempts', 'status', 'locked_by', 'locked_until', 'last_error', 'unique_key', 'created_at', 'updated_at']);
  if (filter.status) q = q.where('status', '=', filter.status);
  return q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 50)
    .offset(filter.offset ?? 0)
    .execute();
}

export async function countJobsByStatus(db: DbOrTx): Promise<Record<JobStatus, number>> {
  const rows = await db
    .selectFrom('jobs')
    .select((eb) => ['status', eb.fn.countAll<string | number | bigint>().as('count')])
    .groupBy('status')
    .execute();
  const counts = { pending: 0, running: 0, done: 0, failed: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}
