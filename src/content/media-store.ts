import type { DbOrTx } from '../platform/database.ts';
import type { MediaRow, MediaTable } from './tables.ts';

export async function insertMedia(db: DbOrTx, row: MediaTable): Promise<void> {
  await db.insertInto('media').values(row).execute();
}

export async function findMedia(db: DbOrTx, id: string): Promise<MediaRow | undefined> {
  return db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Newest first, for the library and the image picker. */
export async function listMedia(db: DbOrTx, options: { limit: number; offset: number }): Promise<{ rows: MediaRow[]; total: number }> {
  const total = Number((await db.selectFrom('media').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await db.selectFrom('media').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(options.limit).offset(options.offset).execute();
  return { rows, total };
}
