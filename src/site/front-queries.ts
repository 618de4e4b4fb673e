import { listUnits } from '../org/store.ts';
import type { DbOrTx } from '../platform/database.ts';
import { frontSlotsFor, MAIN } from '../sites/front-slots-service.ts';
import { listSites } from '../sites/store.ts';
import { liveNews } from './listing-queries.ts';
import { mostUsedSelfService } from './selfservice-uses.ts';

/** Live pages placed in one website section, newest first or by title: title, slug and summary are enough for a link. */
export async function livePagesInSection(db: DbOrTx, section: string, limit: number, order: 'newest' | 'title' = 'newest') {
  let q = db
    .selectFrom('live_placements')
    .innerJoin('items', 'items.id', 'live_placements.item_id')
    .select(['items.id', 'items.slug', 'items.title', 'items.summary', 'items.type', 'live_placements.published_at'])
    .where('live_placements.channel', '=', 'website')
    .where('live_placements.target', '=', section)
    .where('items.type', '=', 'page')
    .where('items.live_revision', 'is not', null);
  q = order === 'title' ? q.orderBy('items.title') : q.orderBy('live_placements.published_at', 'desc');
  return q.limit(limit).execute();
}

/** The institutions, each linked to its subsite when it has one. */
async function institutions(db: DbOrTx) {
  const [units, sites] = await Promise.all([listUnits(db), listSites(db)]);
  const subsites = new Map(sites.filter((s) => s.kind === 'subsite' && s.active).map((s) => [s.unitId, s.slug]));
  return units.filter((u) => u.kind === 'institution').map((u) => ({ name: u.name, href: subsites.has(u.id) ? `/${subsites.get(u.id)}` : null }));
}

/**
 * Everything the main front page shows (W2): the most used self-service, the editors' slots in their order,
 * the newest news, the pages for citizens and the institutions.
 */
export async function frontPageData(db: DbOrTx) {
  const [selfService, slots, news, services, units] = await Promise.all([
    mostUsedSelfService(db),
    frontSlotsFor(db, MAIN),
    liveNews(db, { limit: 3, offset: 0 }),
    livePagesInSection(db, 'borger', 8, 'title'),
    institutions(db),
  ]);
  return {
    selfService,
    slots,
    news: news.rows.map((r) => ({ title: r.content.title, href: `/nyheder/${r.slug}`, language: r.content.language, publishedAt: r.firstPublishedAt })),
    services,
    institutions: units,
  };
}
