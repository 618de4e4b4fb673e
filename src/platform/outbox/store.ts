import type { DbOrTx, Tx } from '../database.ts';
import { dialectOf } from '../db.ts';
import type { OutboxRow, OutboxTable } from '../tables.ts';

export async function insertEvent(tx: Tx, row: OutboxTable): Promise<void> {
  await tx.insertInto('outbox').values(row).execute();
}

/** Oldest first. On PostgreSQL the rows stay locked until the transaction ends, and rows another dispatcher holds are skipped. */
export async function claimPendingEvents(tx: Tx, limit: number): Promise<OutboxRow[]> {
  const q = tx.selectFrom('outbox').selectAll().where('dispatched_at', 'is', null).orderBy('created_at').orderBy('id').limit(limit);
  return dialectOf(tx) === 'postgres' ? q.forUpdate().skipLocked().execute() : q.execute();
}

export async function markDispatched(tx: Tx, ids: string[], at: string): Promise<void> {
  if (ids.length === 0) return;
  await tx.updateTable('outbox').set({ dispatched_at: at }).where('id', 'in', ids).execute();
}

export async function pendingEventCount(db: DbOrTx): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<string | number | bigint>().as('count'))
    .where('dispatched_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
