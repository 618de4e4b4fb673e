import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../platform/database.ts';
import { dialectOf } from '../platform/db.ts';
import { containsText } from '../platform/like.ts';

// Every SQL statement about front page slots. A front page is keyed 'main' (the main website) or by a site's id.

export interface SlotRow {
  position: number;
  itemId: string;
  placedBy: string | null;
  placedAt: string;
}

/** Where an item must be live to be shown on a front page: the main site's is any website section, a subsite's its unit. */
export type LiveChannel = { channel: 'website' } | { channel: 'subsite'; unitId: string };

/**
 * Serialises changes to one front page, so two editors filling the last free slot at once cannot both succeed.
 * SQLite takes one write lock per transaction already.
 */
export async function lockFrontPage(tx: Tx, siteKey: string): Promise<void> {
  if (dialectOf(tx) === 'postgres') await sql`select pg_advisory_xact_lock(727002, hashtext(${siteKey}))`.execute(tx);
}

export async function slotsOf(db: DbOrTx, siteKey: string): Promise<SlotRow[]> {
  const rows = await db.selectFrom('front_slots').select(['position', 'item_id', 'placed_by', 'placed_at']).where('site_key', '=', siteKey).orderBy('position').execute();
  return rows.map((r) => ({ position: r.position, itemId: r.item_id, placedBy: r.placed_by, placedAt: r.placed_at }));
}

/**
 * Writes the front page's slots anew in the given order, numbered from 1. The primary key is (site, position),
 * so swapping two rows in place would collide midway; a front page has at most a dozen rows.
 */
export async function rewriteSlots(tx: Tx, siteKey: string, slots: Omit<SlotRow, 'position'>[]): Promise<void> {
  await tx.deleteFrom('front_slots').where('site_key', '=', siteKey).execute();
  if (!slots.length) return;
  await tx
    .insertInto('front_slots')
    .values(slots.map((s, i) => ({ site_key: siteKey, position: i + 1, item_id: s.itemId, placed_by: s.placedBy, placed_at: s.placedAt })))
    .execute();
}

/** Item ids that are live on the given site, of those asked about. */
export async function liveOn(db: DbOrTx, where: LiveChannel, itemIds: string[]): Promise<Set<string>> {
  if (!itemIds.length) return new Set();
  let q = db
    .selectFrom('live_placements')
    .innerJoin('items', 'items.id', 'live_placements.item_id')
    .select('items.id')
    .where('items.id', 'in', itemIds)
    .where('items.live_revision', 'is not', null)
    .where('live_placements.channel', '=', where.channel);
  if (where.channel === 'subsite') q = q.where('live_placements.target', '=', where.unitId);
  return new Set((await q.execute()).map((r) => r.id));
}

export interface SlotItemRow {
  id: string;
  type: string;
  slug: string;
  /** The latest revision's title, for editors; readers see the live edition's. */
  title: string;
  liveRevision: number | null;
  /** JSON of the live edition's content, when there is one. */
  liveContent: string | null;
}

/** The items of the given ids with their live edition, if any. */
export async function slotItems(db: DbOrTx, itemIds: string[]): Promise<Map<string, SlotItemRow>> {
  if (!itemIds.length) return new Map();
  const rows = await db
    .selectFrom('items')
    .leftJoin('revisions', (join) => join.onRef('revisions.item_id', '=', 'items.id').onRef('revisions.number', '=', 'items.live_revision'))
    .select(['items.id', 'items.type', 'items.slug', 'items.title', 'items.live_revision', 'revisions.content'])
    .where('items.id', 'in', itemIds)
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, type: r.type, slug: r.slug, title: r.title, liveRevision: r.live_revision, liveContent: r.content }]));
}

/** The website sections each item's live edition is placed in, in name order. */
export async function websiteSectionsOf(db: DbOrTx, itemIds: string[]): Promise<Map<string, string[]>> {
  if (!itemIds.length) return new Map();
  const rows = await db
    .selectFrom('live_placements')
    .select(['item_id', 'target'])
    .where('item_id', 'in', itemIds)
    .where('channel', '=', 'website')
    .orderBy('target')
    .execute();
  const sections = new Map<string, string[]>();
  for (const r of rows) sections.set(r.item_id, [...(sections.get(r.item_id) ?? []), r.target]);
  return sections;
}

export interface PlaceableRow {
  id: string;
  type: string;
  title: string;
  liveSince: string | null;
}

/** Live items of a site an editor may place, newest first; `q` narrows by title. One more than `limit` tells there are more. */
export async function placeableItems(db: DbOrTx, where: LiveChannel, options: { q: string; exclude: string[]; limit: number }): Promise<PlaceableRow[]> {
  let q = db
    .selectFrom('items')
    .select(['items.id', 'items.type', 'items.title', 'items.live_since'])
    .where('items.live_revision', 'is not', null)
    .where((eb) => {
      let placements = eb.selectFrom('live_placements').select('live_placements.item_id').whereRef('live_placements.item_id', '=', 'items.id').where('live_placements.channel', '=', where.channel);
      if (where.channel === 'subsite') placements = placements.where('live_placements.target', '=', where.unitId);
      return eb.exists(placements);
    });
  if (options.exclude.length) q = q.where('items.id', 'not in', options.exclude);
  if (options.q) q = q.where(containsText('items.title', options.q));
  const rows = await q.orderBy('items.live_since', 'desc').orderBy('items.title').limit(options.limit + 1).execute();
  return rows.map((r) => ({ id: r.id, type: r.type, title: r.title, liveSince: r.live_since }));
}

export async function mediaFor(db: DbOrTx, ids: string[]) {
  if (!ids.length) return new Map<string, { id: string; renditions: string }>();
  const rows = await db.selectFrom('media').select(['id', 'renditions']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r]));
}
