import { WEBSITE_SECTIONS } from '../content/types.ts';
import type { DbOrTx } from '../platform/database.ts';

export interface SitemapEntry {
  section: string;
  slug: string;
  liveSince: string | null;
}

/** Every live item on the website, once per section it is placed in, as the item routes answer them. */
export async function liveWebsiteItems(db: DbOrTx): Promise<SitemapEntry[]> {
  const rows = await db
    .selectFrom('live_placements')
    .innerJoin('items', 'items.id', 'live_placements.item_id')
    .select(['live_placements.target', 'items.slug', 'items.live_since'])
    .where('live_placements.channel', '=', 'website')
    .where('items.live_revision', 'is not', null)
    // A placement in a section the website no longer has would only list an address that answers 404.
    .where('live_placements.target', 'in', Object.keys(WEBSITE_SECTIONS))
    .orderBy('live_placements.target')
    .orderBy('items.slug')
    .execute();
  return rows.map((r) => ({ section: r.target, slug: r.slug, liveSince: r.live_since }));
}
