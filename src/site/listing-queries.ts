import { parseContent } from '../content/service.ts';
import type { Content } from '../content/types.ts';
import type { DbOrTx } from '../platform/database.ts';

// The public lists of news and events. Only live editions placed in the section are read: a draft, an
// unpublished item or one placed elsewhere never reaches a list or a feed.

export interface ListedItem {
  id: string;
  slug: string;
  firstPublishedAt: string | null;
  content: Content;
}

type Section = 'nyheder' | 'arrangementer';

function liveIn(db: DbOrTx, section: Section, type: string) {
  return db
    .selectFrom('items')
    .innerJoin('live_placements', (join) => join.onRef('live_placements.item_id', '=', 'items.id').on('live_placements.channel', '=', 'website').on('live_placements.target', '=', section))
    .innerJoin('revisions', (join) => join.onRef('revisions.item_id', '=', 'items.id').onRef('revisions.number', '=', 'items.live_revision'))
    .where('items.type', '=', type)
    .where('items.live_revision', 'is not', null);
}

const toListed = (r: { id: string; slug: string; first_published_at: string | null; content: string }): ListedItem => ({
  id: r.id,
  slug: r.slug,
  firstPublishedAt: r.first_published_at,
  content: parseContent(r.content),
});

/** Live news, newest first, one page at a time. */
export async function liveNews(db: DbOrTx, page: { limit: number; offset: number }): Promise<{ rows: ListedItem[]; total: number }> {
  const [rows, counted] = await Promise.all([
    liveIn(db, 'nyheder', 'news')
      .select(['items.id', 'items.slug', 'items.first_published_at', 'revisions.content'])
      .orderBy('items.first_published_at', 'desc')
      .orderBy('items.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    liveIn(db, 'nyheder', 'news')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst(),
  ]);
  return { rows: rows.map(toListed), total: Number(counted?.n ?? 0) };
}

/**
 * Live events that have not ended by `nowLocal` (Copenhagen wall-clock "YYYY-MM-DDTHH:MM"), soonest first.
 * The times live in the revision's JSON, so the filter runs here; a municipality has tens of coming events, not thousands.
 */
export async function comingEvents(db: DbOrTx, nowLocal: string): Promise<ListedItem[]> {
  const rows = await liveIn(db, 'arrangementer', 'event').select(['items.id', 'items.slug', 'items.first_published_at', 'revisions.content']).execute();
  return rows
    .map(toListed)
    .filter((e) => wallClockOf(e.content, 'endsAt') >= nowLocal)
    .sort((a, b) => wallClockOf(a.content, 'startsAt').localeCompare(wallClockOf(b.content, 'startsAt')) || a.id.localeCompare(b.id));
}

/** One live event on the website by its slug, whether or not it has ended (its calendar entry stays valid). */
export async function liveEvent(db: DbOrTx, slug: string): Promise<ListedItem | undefined> {
  const row = await liveIn(db, 'arrangementer', 'event').select(['items.id', 'items.slug', 'items.first_published_at', 'revisions.content']).where('items.slug', '=', slug).executeTakeFirst();
  return row && toListed(row);
}

/** A start or end time as stored; anything malformed sorts first and counts as over. */
export function wallClockOf(content: Content, field: 'startsAt' | 'endsAt'): string {
  const v = content.fields[field];
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? v : '';
}
