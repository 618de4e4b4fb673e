import { writeItemAudience } from '../intranet/item-audience.ts';
import { sql } from 'kysely';
import type { DbOrTx } from '../platform/database.ts';
import { dialectOf } from '../platform/db.ts';
import { containsText } from '../platform/like.ts';
import { indexLiveItem } from '../search/indexing.ts';
import type { ItemRow, ItemsTable, RevisionRow } from './tables.ts';
import type { Content } from './types.ts';

// Every SQL statement of the content hub. Rows stay here; service.ts works with them as read.

export async function insertItem(tx: DbOrTx, row: ItemsTable): Promise<void> {
  await tx.insertInto('items').values(row).execute();
}

export async function updateItem(tx: DbOrTx, id: string, changes: Partial<ItemsTable>): Promise<void> {
  await tx.updateTable('items').set(changes).where('id', '=', id).execute();
}

export async function findItem(db: DbOrTx, id: string): Promise<ItemRow | undefined> {
  return db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findItemBySlug(db: DbOrTx, slug: string): Promise<ItemRow | undefined> {
  return db.selectFrom('items').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function slugsStartingWith(db: DbOrTx, base: string): Promise<string[]> {
  const rows = await db.selectFrom('items').select('slug').where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)])).execute();
  return rows.map((r) => r.slug);
}

export async function insertRevision(tx: DbOrTx, row: RevisionRow): Promise<void> {
  await tx.insertInto('revisions').values(row).execute();
}

export async function findRevision(db: DbOrTx, itemId: string, number: number): Promise<RevisionRow | undefined> {
  return db.selectFrom('revisions').selectAll().where('item_id', '=', itemId).where('number', '=', number).executeTakeFirst();
}

export async function revisionsOf(db: DbOrTx, itemId: string): Promise<(Omit<RevisionRow, 'content'> & { author_name: string | null })[]> {
  return db
    .selectFrom('revisions')
    .leftJoin('people', 'people.id', 'revisions.author_id')
    .select(['revisions.item_id', 'revisions.number', 'revisions.author_id', 'revisions.created_at', 'revisions.change_note', 'revisions.major', 'people.name as author_name'])
    .where('revisions.item_id', '=', itemId)
    .orderBy('revisions.number', 'desc')
    .execute();
}

export async function editionAuthors(db: DbOrTx, itemId: string, fromNumber: number): Promise<string[]> {
  const rows = await db.selectFrom('revisions').select('author_id').distinct().where('item_id', '=', itemId).where('number', '>=', fromNumber).execute();
  return rows.map((r) => r.author_id).filter((a): a is string => a !== null);
}

export async function replaceChannels(tx: DbOrTx, itemId: string, channels: string[]): Promise<void> {
  await tx.deleteFrom('item_channels').where('item_id', '=', itemId).execute();
  if (channels.length) await tx.insertInto('item_channels').values(channels.map((channel) => ({ item_id: itemId, channel }))).execute();
}

export async function channelsOf(db: DbOrTx, itemId: string): Promise<string[]> {
  const rows = await db.selectFrom('item_channels').select('channel').where('item_id', '=', itemId).orderBy('channel').execute();
  return rows.map((r) => r.channel);
}

/** What readers see: the live edition's placements and intranet audiences, rewritten at every publish. */
export async function replaceLive(tx: DbOrTx, itemId: string, content: Content | null, publishedAt: string): Promise<void> {
  await tx.deleteFrom('live_placements').where('item_id', '=', itemId).execute();
  await tx.deleteFrom('live_audiences').where('item_id', '=', itemId).execute();
  // The public search follows in the same transaction, so a publish is searchable, and an unpublish gone, at once.
  await indexLiveItem(tx, itemId, content, publishedAt);
  await writeItemAudience(tx, itemId, content, publishedAt);
  if (!content) return;
  const placements = new Map<string, { channel: string; target: string }>();
  const audiences = new Map<string, { kind: string; value: string }>();
  for (const p of content.placements) {
    const target =
      p.channel === 'website' ? p.section : p.channel === 'subsite' ? p.unitId : p.channel === 'app' ? p.section : p.channel === 'social' ? p.accountId : 'intranet';
    placements.set(`${p.channel}:${target}`, { channel: p.channel, target });
    if (p.channel === 'intranet') {
      if (p.everyone) audiences.set('everyone:', { kind: 'everyone', value: '' });
      for (const r of p.roles) audiences.set(`role:${r}`, { kind: 'role', value: r });
      for (const u of p.unitIds) audiences.set(`unit:${u}`, { kind: 'unit', value: u });
      for (const g of p.groupIds) audiences.set(`group:${g}`, { kind: 'group', value: g });
    }
  }
  if (placements.size) {
    await tx.insertInto('live_placements').values([...placements.values()].map((p) => ({ item_id: itemId, ...p, published_at: publishedAt }))).execute();
  }
  if (audiences.size) await tx.insertInto('live_audiences').values([...audiences.values()].map((a) => ({ item_id: itemId, ...a }))).execute();
}

export interface ItemFilter {
  type?: string;
  state?: string;
  ownerUnitId?: string;
  channel?: string;
  q?: string;
  /** Only items in these channels (or placed nowhere); undefined means every item. */
  visibleChannels?: string[];
  limit: number;
  offset: number;
}

export type ItemListRow = Pick<ItemRow, 'id' | 'type' | 'slug' | 'state' | 'title' | 'owner_unit_id' | 'updated_at' | 'live_revision' | 'publish_at' | 'not_reviewed' | 'review_by'> & {
  owner_name: string;
  updated_by_name: string | null;
};

/**
 * The editors' content list: newest change first, one page at a time. Measured with `npm run bench -- content`
 * on 100,000 items: the page walks items newest first and stops when full, while the count starts from the
 * fewest rows; free text uses a trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL).
 */
export async function listItems(db: DbOrTx, f: ItemFilter): Promise<{ rows: ItemListRow[]; total: number }> {
  const sqlite = dialectOf(db) === 'sqlite';
  const filtered = (forCount: boolean) => {
    let q = db.selectFrom('items');
    if (f.type) q = q.where('items.type', '=', f.type);
    if (f.state) q = q.where('items.state', '=', f.state);
    if (f.ownerUnitId) q = q.where('items.owner_unit_id', '=', f.ownerUnitId);
    if (f.channel) {
      const channel = f.channel;
      q = forCount
        ? q.where('items.id', 'in', db.selectFrom('item_channels').select('item_id').where('channel', '=', channel))
        : q.where((eb) => eb.exists(eb.selectFrom('item_channels as c').select('c.item_id').whereRef('c.item_id', '=', 'items.id').where('c.channel', '=', channel)));
    }
    const text = f.q?.trim().toLowerCase();
    if (text) {
      // FTS5's trigram index needs three characters; shorter searches fall back to LIKE.
      q =
        sqlite && [...text].length >= 3
          ? q.where('items.id', 'in', sql<string>`(select s.item_id from item_search_fts f join item_search s on s.id = f.rowid where item_search_fts match ${`"${text.replace(/"/g, '""')}"`})`)
          : q.where(containsText('items.search_text', text, false));
    }
    if (f.visibleChannels) {
      const visible = f.visibleChannels.length ? f.visibleChannels : [''];
      // The literal 0 lets SQLite use the partial index items_unplaced.
      q = q.where('items.id', 'in', db.selectFrom('item_channels').select('item_id').where('channel', 'in', visible).unionAll(db.selectFrom('items as unplaced').select('unplaced.id as item_id').where(sql<boolean>`unplaced.placed = 0`)));
    }
    return q;
  };
  const channelOnly = f.channel && !f.type && !f.state && !f.ownerUnitId && !f.q?.trim() && !f.visibleChannels;
  const counted = channelOnly
    ? await db.selectFrom('item_channels').select((eb) => eb.fn.countAll().as('n')).where('channel', '=', f.channel!).executeTakeFirst()
    : await filtered(true).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const page = filtered(false).select('items.id').orderBy('items.updated_at', 'desc').orderBy('items.id', 'desc').limit(f.limit).offset(f.offset);
  const rows = await db
    .selectFrom('items')
    .innerJoin('units', 'units.id', 'items.owner_unit_id')
    .leftJoin('people', 'people.id', 'items.updated_by')
    .select([
      'items.id',
      'items.type',
      'items.slug',
      'items.state',
      'items.title',
      'items.owner_unit_id',
      'items.updated_at',
      'items.live_revision',
      'items.publish_at',
      'items.not_reviewed',
      'items.review_by',
      'units.name as owner_name',
      'people.name as updated_by_name',
    ])
    .where('items.id', 'in', page)
    .orderBy('items.updated_at', 'desc')
    .orderBy('items.id', 'desc')
    .execute();
  return { rows, total: Number(counted?.n ?? 0) };
}

/** Items whose scheduled time has come, for the job that catches up after downtime. */
export async function dueScheduled(db: DbOrTx, now: string): Promise<{ publish: string[]; unpublish: string[] }> {
  const [publish, unpublish] = await Promise.all([
    db.selectFrom('items').select('id').where('state', '=', 'scheduled').where('publish_at', '<=', now).execute(),
    db.selectFrom('items').select('id').where('unpublish_at', '<=', now).where('live_revision', 'is not', null).execute(),
  ]);
  return { publish: publish.map((r) => r.id), unpublish: unpublish.map((r) => r.id) };
}

/** Live items past their review-by date, per owner unit. */
export async function outdatedItems(db: DbOrTx, today: string, ownerUnitId?: string) {
  let q = db
    .selectFrom('items')
    .innerJoin('units', 'units.id', 'items.owner_unit_id')
    .select(['items.id', 'items.title', 'items.type', 'items.review_by', 'items.owner_unit_id', 'units.name as owner_name', 'units.head_id'])
    .where('items.review_by', '<', today)
    .where('items.state', '!=', 'archived');
  if (ownerUnitId) q = q.where('items.owner_unit_id', '=', ownerUnitId);
  return q.orderBy('items.review_by').execute();
}

export async function countByState(db: DbOrTx): Promise<Record<string, number>> {
  const rows = await db.selectFrom('items').select(['state', sql<number>`count(*)`.as('n')]).groupBy('state').execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

/** Titles of items and names of media, for screens that show many references at once (the audit log). */
export async function itemTitles(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('items').select(['id', 'title']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.title]));
}

export async function mediaNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('media').select(['id', 'original_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.original_name]));
}

/** The channels of many items at once. */
export async function channelsOfItems(db: DbOrTx, itemIds: string[]): Promise<Map<string, string[]>> {
  const byItem = new Map<string, string[]>();
  if (!itemIds.length) return byItem;
  const rows = await db.selectFrom('item_channels').select(['item_id', 'channel']).where('item_id', 'in', itemIds).execute();
  for (const c of rows) byItem.set(c.item_id, [...(byItem.get(c.item_id) ?? []), c.channel]);
  return byItem;
}

/** Everything with a planned publication or unpublication. */
export async function plannedItems(db: DbOrTx) {
  return db
    .selectFrom('items')
    .innerJoin('units', 'units.id', 'items.owner_unit_id')
    .select(['items.id', 'items.title', 'items.type', 'items.state', 'items.publish_at', 'items.unpublish_at', 'units.name as owner_name'])
    .where((eb) => eb.or([eb('items.publish_at', 'is not', null), eb('items.unpublish_at', 'is not', null)]))
    .execute();
}

/** Who wrote the latest revision of each item. */
export async function latestAuthors(db: DbOrTx, itemIds: string[]): Promise<string[]> {
  if (!itemIds.length) return [];
  const rows = await db
    .selectFrom('items')
    .innerJoin('revisions', (join) => join.onRef('revisions.item_id', '=', 'items.id').onRef('revisions.number', '=', 'items.latest_revision'))
    .select('revisions.author_id')
    .where('items.id', 'in', itemIds)
    .execute();
  return [...new Set(rows.map((r) => r.author_id).filter((id): id is string => !!id))];
}

/** Items of a type with a live edition (also those with a newer draft), for choosing a replacement. */
export async function liveItems(db: DbOrTx, type: string, limit = 200): Promise<{ id: string; title: string }[]> {
  return db.selectFrom('items').select(['id', 'title']).where('type', '=', type).where('live_revision', 'is not', null).orderBy('title').limit(limit).execute();
}
