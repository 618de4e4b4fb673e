import { systemActor, auditActor } from '../org/actor.ts';
import { audit } from '../platform/audit/service.ts';
import type { Db, DbOrTx } from '../platform/database.ts';
import { enqueue } from '../platform/jobs/enqueue.ts';
import type { JobRunner } from '../platform/jobs/runner.ts';
import { localDate, localInputToDate } from '../platform/time.ts';
import type { SocialContext } from '../social/context.ts';
import type { SendLogger } from '../social/sender.ts';
import { pollableAccountIds, pollAccount } from './poll.ts';

export const POLL_JOB = 'inbox.poll';
export const POLL_ACCOUNT_JOB = 'inbox.poll_account';
export const RETENTION_JOB = 'inbox.retention';
const MINUTE = 60_000;
/** Removal records are deleted at night, when nobody is looking at them. */
const RETENTION_LOCAL_TIME = '03:15';

/** Once a minute: asks every connected account for its new comments. The unique key names the minute. */
export function scheduleInboxPoll(db: DbOrTx, after: Date = new Date()): Promise<string> {
  const next = new Date(Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE);
  return enqueue(db, POLL_JOB, {}, { runAt: next, uniqueKey: `${POLL_JOB}:${next.toISOString()}`, maxAttempts: 3 });
}

/** One poll per account and minute, however many sweeps ask for it. */
export function enqueueAccountPoll(db: DbOrTx, accountId: string, at: Date = new Date()): Promise<string> {
  const minute = new Date(Math.floor(at.getTime() / MINUTE) * MINUTE).toISOString();
  return enqueue(db, POLL_ACCOUNT_JOB, { accountId }, { uniqueKey: `${POLL_ACCOUNT_JOB}:${accountId}:${minute}`, maxAttempts: 1 });
}

/** Once a day, at night (Copenhagen time): removal records past their keeping period are deleted. */
export function scheduleRemovalRetention(db: DbOrTx, after: Date = new Date()): Promise<string> {
  let day = localDate(after);
  let at = localInputToDate(`${day}T${RETENTION_LOCAL_TIME}`)!;
  if (at.getTime() <= after.getTime()) {
    day = localDate(new Date(at.getTime() + 26 * 60 * MINUTE));
    at = localInputToDate(`${day}T${RETENTION_LOCAL_TIME}`)!;
  }
  return enqueue(db, RETENTION_JOB, { day }, { runAt: at, uniqueKey: `${RETENTION_JOB}:${day}`, maxAttempts: 3 });
}

/**
 * Deletes the removal records whose keeping period has passed; the audit log gets one entry for the lot, naming
 * them. Returns how many went.
 */
export async function deleteExpiredRemovalRecords(db: Db, now: Date = new Date()): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const expired = await tx.selectFrom('removal_records').select(['id', 'account_id', 'decided_at', 'keep_until']).where('keep_until', '<', now.toISOString()).orderBy('keep_until').execute();
    if (!expired.length) return 0;
    const ids = expired.map((r) => r.id);
    for (let i = 0; i < ids.length; i += 500) await tx.deleteFrom('removal_records').where('id', 'in', ids.slice(i, i + 500)).execute();
    await audit(tx, {
      ...auditActor(systemActor('opbevaring')),
      action: 'removal_record.expired',
      objectType: 'removal_record',
      objectId: null,
      details: {
        count: ids.length,
        ids: ids.slice(0, 1000),
        accounts: [...new Set(expired.map((r) => r.account_id))],
        oldestDecidedAt: expired.reduce((a, r) => (r.decided_at < a ? r.decided_at : a), expired[0]!.decided_at),
        keptUntilAtLatest: expired.at(-1)!.keep_until,
      },
    });
    return ids.length;
  });
}

/** The inbox's jobs (polling, retention), registered with the runner at start. */
export function registerInboxJobs(runner: JobRunner, ctx: SocialContext, logger: SendLogger): void {
  runner.register(POLL_JOB, async (_payload, { db }) => {
    await scheduleInboxPoll(db);
    const now = new Date();
    for (const accountId of await pollableAccountIds(db)) await enqueueAccountPoll(db, accountId, now);
  });
  // Failures are recorded on the account and tried again the next minute, so the job itself never fails.
  runner.register<{ accountId: string }>(POLL_ACCOUNT_JOB, async ({ accountId }) => {
    await pollAccount(ctx, accountId, { logger });
  });
  runner.register(RETENTION_JOB, async (_payload, { db }) => {
    await scheduleRemovalRetention(db);
    const deleted = await deleteExpiredRemovalRecords(db);
    if (deleted) logger.info({ deleted }, 'removal records past their keeping period deleted');
  });
}

export async function scheduleInboxJobs(db: Db): Promise<void> {
  await scheduleInboxPoll(db);
  await scheduleRemovalRetention(db);
}
