import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../database.ts';
import { dialectOf } from '../db.ts';
import type { AuditLogTable, AuditRow } from '../tables.ts';

/** Serialises appends so that two writers cannot both extend the chain from the same row. */
export async function lockChain(tx: Tx): Promise<void> {
  if (dialectOf(tx) === 'postgres') await sql`select pg_advisory_xact_lock(727001)`.execute(tx);
  // SQLite: one connection per process and a write lock per transaction already serialise appends.
}

export async function lastEntry(tx: Tx): Promise<Pick<AuditRow, 'seq' | 'hash'> | undefined> {
  return tx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

export async function insertEntry(tx: Tx, row: AuditLogTable): Promise<void> {
  await tx.insertInto('audit_log').values(row).execute();
}

export async function entriesInOrder(db: DbOrTx, afterSeq: number, limit: number): Promise<AuditRow[]> {
  return db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

export async function entriesFor(db: DbOrTx, filter: { objectType?: string; objectId?: string; limit: number }): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (filter.objectType) q = q.where('object_type', '=', filter.objectType);
  if (filter.objectId) q = q.where('object_id', '=', filter.objectId);
  return q.orderBy('seq', 'desc').limit(filter.limit).execute();
}

const HEAD_KEY = 'audit_head';

export async function saveHead(tx: Tx, head: string): Promise<void> {
  await tx
    .insertInto('settings')
    .values({ key: HEAD_KEY, value: head })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: head }))
    .execute();
}

export async function readHead(db: DbOrTx): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', HEAD_KEY).executeTakeFirst();
  return row?.value;
}
