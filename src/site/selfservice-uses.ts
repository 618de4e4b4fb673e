import { parseContent } from '../content/service.ts';
import type { DbOrTx } from '../platform/database.ts';
import { localDate } from '../platform/time.ts';
import { liveSelfService, type SelfServiceEntry } from './selfservice-queries.ts';

// Which self-service solutions readers start most, counted on the server: a reader's start link adds one to
// today's row, and nothing about the reader is kept (no cookie, no address, no person).

const DAY_MS = 86_400_000;

/** Where a reader's start link leads: a live self-service entry on the website with its solution's address. */
export interface StartTarget {
  itemId: string;
  targetUrl: string;
}

/** The live self-service entry at a slug, if it is on the website; anything else (a draft, a page, an app item) is not one. */
export async function startTargetBySlug(db: DbOrTx, slug: string): Promise<StartTarget | undefined> {
  const row = await db
    .selectFrom('items')
    .innerJoin('revisions', (join) => join.onRef('revisions.item_id', '=', 'items.id').onRef('revisions.number', '=', 'items.live_revision'))
    .select(['items.id', 'revisions.content'])
    .where('items.slug', '=', slug)
    .where('items.type', '=', 'selfservice')
    .where('items.live_revision', 'is not', null)
    .where((eb) =>
      eb.exists(eb.selectFrom('live_placements').select('live_placements.item_id').whereRef('live_placements.item_id', '=', 'items.id').where('live_placements.channel', '=', 'website')),
    )
    .executeTakeFirst();
  if (!row) return undefined;
  const targetUrl = parseContent(row.content).fields.targetUrl;
  // Only a web address is followed: the content rules demand one, and a redirect must never lead to a script.
  return typeof targetUrl === 'string' && /^https?:\/\//i.test(targetUrl) ? { itemId: row.id, targetUrl } : undefined;
}

/** Adds a start (or `count`) to the entry's row for the day (Copenhagen date), creating the row on the day's first start. */
export async function recordSelfServiceUse(db: DbOrTx, itemId: string, at: Date = new Date(), count = 1): Promise<void> {
  await db
    .insertInto('selfservice_uses')
    .values({ item_id: itemId, day: localDate(at), uses: count })
    .onConflict((oc) => oc.columns(['item_id', 'day']).doUpdateSet((eb) => ({ uses: eb(eb.ref('selfservice_uses.uses'), '+', count) })))
    .execute();
}

/** Starts per entry over the last `days` days, today included. */
export async function usesSince(db: DbOrTx, days: number, now: Date = new Date()): Promise<Map<string, number>> {
  const since = localDate(new Date(now.getTime() - (days - 1) * DAY_MS));
  const rows = await db
    .selectFrom('selfservice_uses')
    .select(['item_id', (eb) => eb.fn.sum<number | string>('uses').as('total')])
    .where('day', '>=', since)
    .groupBy('item_id')
    .execute();
  // PostgreSQL sums integers as bigint, which arrives as text.
  return new Map(rows.map((r) => [r.item_id, Number(r.total)]));
}

/** Slugs of items by id, for links to their start address. */
export async function slugsOf(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('items').select(['id', 'slug']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.slug]));
}

export const startHref = (slug: string): string => `/selvbetjening/${encodeURIComponent(slug)}/start`;

export interface LinkedSelfService extends SelfServiceEntry {
  slug: string;
  /** The counting start address; it leads on to the solution. */
  href: string;
}

/** Every live self-service entry (A–Z, as the catalogue lists them) with its start link. */
export async function linkedSelfService(db: DbOrTx): Promise<LinkedSelfService[]> {
  const entries = await liveSelfService(db);
  const slugs = await slugsOf(
    db,
    entries.map((e) => e.id),
  );
  return entries.flatMap((e) => {
    const slug = slugs.get(e.id);
    return slug ? [{ ...e, slug, href: startHref(slug) }] : [];
  });
}

/**
 * The front page's most used self-service: the entries started most in the last 30 days, most first (ties by
 * title), filled up A–Z from the rest of the catalogue when fewer have been started.
 */
export async function mostUsedSelfService(db: DbOrTx, options: { limit?: number; days?: number; now?: Date } = {}): Promise<LinkedSelfService[]> {
  const { limit = 6, days = 30, now = new Date() } = options;
  const [entries, uses] = await Promise.all([linkedSelfService(db), usesSince(db, days, now)]);
  const used = entries
    .filter((e) => (uses.get(e.id) ?? 0) > 0)
    .sort((a, b) => uses.get(b.id)! - uses.get(a.id)! || a.title.localeCompare(b.title, 'da'))
    .slice(0, limit);
  const shown = new Set(used.map((e) => e.id));
  return [...used, ...entries.filter((e) => !shown.has(e.id))].slice(0, limit);
}
