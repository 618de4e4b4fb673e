import type { DbOrTx } from '../database.ts';
import type { AuditRow } from '../tables.ts';

export interface AuditPageFilter {
  objectType?: string;
  limit: number;
  offset: number;
}

/** One page of the log, newest first, with the number of entries the filter matches. */
export async function auditPage(db: DbOrTx, f: AuditPageFilter): Promise<{ entries: AuditRow[]; total: number }> {
  let q = db.selectFrom('audit_log');
  if (f.objectType) q = q.where('object_type', '=', f.objectType);
  const total = Number((await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
  const entries = await q.selectAll().orderBy('seq', 'desc').limit(f.limit).offset(f.offset).execute();
  return { entries, total };
}

/** The object types that occur in the log, for the filter; taken from the log itself so new kinds show up without a code change. */
export async function auditObjectTypes(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('object_type').distinct().orderBy('object_type').execute();
  return rows.map((r) => r.object_type);
}
