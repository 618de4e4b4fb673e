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
  const total = await countMedia(db);
  const rows = await db.selectFrom('media').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(options.limit).offset(options.offset).execute();
  return { rows, total };
}

export async function countMedia(db: DbOrTx): Promise<number> {
  return Number((await db.selectFrom('media').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
}

export type MediaWithUploader = MediaRow & { uploader_name: string | null };

/** The library's page: like `listMedia`, with the uploader's name beside each row. */
export async function listMediaWithUploaders(db: DbOrTx, options: { limit: number; offset: number }): Promise<{ rows: MediaWithUploader[]; total: number }> {
  const total = await countMedia(db);
  const rows = await db
    .selectFrom('media')
    .leftJoin('people', 'people.id', 'media.uploaded_by')
    .selectAll('media')
    .select('people.name as uploader_name')
    .orderBy('media.created_at', 'desc')
    .orderBy('media.id')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  return { rows, total };
}

export async function findMediaWithUploader(db: DbOrTx, id: string): Promise<MediaWithUploader | undefined> {
  return db
    .selectFrom('media')
    .leftJoin('people', 'people.id', 'media.uploaded_by')
    .selectAll('media')
    .select('people.name as uploader_name')
    .where('media.id', '=', id)
    .executeTakeFirst();
}

export async function updateMediaAlt(db: DbOrTx, id: string, alt: string): Promise<void> {
  await db.updateTable('media').set({ alt }).where('id', '=', id).execute();
}

export async function deleteMediaRow(db: DbOrTx, id: string): Promise<void> {
  await db.deleteFrom('media').where('id', '=', id).execute();
}

/**
 * Items with a revision that mentions the media id anywhere in its content, old revisions included:
 * any of them can be restored, so the image must stay while one does. The id is a UUID, so it holds
 * no LIKE wildcards and matches nothing but itself.
 */
export async function itemsUsingMedia(db: DbOrTx, mediaId: string): Promise<{ id: string; title: string }[]> {
  return db
    .selectFrom('items')
    .select(['items.id', 'items.title'])
    .where((eb) => eb.exists(eb.selectFrom('revisions').select('revisions.item_id').whereRef('revisions.item_id', '=', 'items.id').where('revisions.content', 'like', `%${mediaId}%`)))
    .orderBy('items.title')
    .execute();
}
