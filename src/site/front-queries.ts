import type { DbOrTx } from '../platform/database.ts';

/** Live items placed in one website section, newest first: title, slug and summary are enough for a link. */
export async function liveInSection(db: DbOrTx, section: string, limit: number, order: 'newest' | 'title' = 'newest') {
  let q = db
    .selectFrom('live_placements')
    .innerJoin('items', 'items.id', 'live_placements.item_id')
    .select(['items.id', 'items.slug', 'items.title', 'items.summary', 'items.type', 'live_placements.published_at'])
    .where('live_placements.channel', '=', 'website')
    .where('live_placements.target', '=', section)
    .where('items.live_revision', 'is not', null);
  q = order === 'title' ? q.orderBy('items.title') : q.orderBy('live_placements.published_at', 'desc');
  return q.limit(limit).execute();
}
