import type { DbOrTx } from '../platform/database.ts';

/** Is the item's live edition placed on the subsite of this unit? */
export async function liveOnSite(db: DbOrTx, itemId: string, unitId: string): Promise<boolean> {
  const row = await db
    .selectFrom('live_placements')
    .select('item_id')
    .where('item_id', '=', itemId)
    .where('channel', '=', 'subsite')
    .where('target', '=', unitId)
    .executeTakeFirst();
  return !!row;
}

/** The newest live items on a site, of some types: title, slug and summary are enough for a link. */
export async function latestOnSite(db: DbOrTx, unitId: string, types: string[], limit: number) {
  return db
    .selectFrom('live_placements')
    .innerJoin('items', 'items.id', 'live_placements.item_id')
    .select(['items.id', 'items.slug', 'items.title', 'items.summary', 'items.type', 'live_placements.published_at'])
    .where('live_placements.channel', '=', 'subsite')
    .where('live_placements.target', '=', unitId)
    .where('items.live_revision', 'is not', null)
    .where('items.type', 'in', types)
    .orderBy('live_placements.published_at', 'desc')
    .limit(limit)
    .execute();
}
