import type { DbOrTx } from '../platform/database.ts';

// What the public website reads about items. Only live editions are shown; the rest is read only to
// answer an old address correctly (moved, replaced, withdrawn).

export interface PublicItem {
  id: string;
  type: string;
  slug: string;
  liveRevision: number | null;
  lastLiveRevision: number | null;
  liveSince: string | null;
  firstPublishedAt: string | null;
  unpublishReason: string | null;
  unpublishNote: string | null;
  replacedBy: string | null;
}

const columns = ['id', 'type', 'slug', 'live_revision', 'last_live_revision', 'live_since', 'first_published_at', 'unpublish_reason', 'unpublish_note', 'replaced_by'] as const;

function toPublic(r: { id: string; type: string; slug: string; live_revision: number | null; last_live_revision: number | null; live_since: string | null; first_published_at: string | null; unpublish_reason: string | null; unpublish_note: string | null; replaced_by: string | null }): PublicItem {
  return {
    id: r.id,
    type: r.type,
    slug: r.slug,
    liveRevision: r.live_revision,
    lastLiveRevision: r.last_live_revision,
    liveSince: r.live_since,
    firstPublishedAt: r.first_published_at,
    unpublishReason: r.unpublish_reason,
    unpublishNote: r.unpublish_note,
    replacedBy: r.replaced_by,
  };
}

export async function itemBySlug(db: DbOrTx, slug: string): Promise<PublicItem | undefined> {
  const row = await db.selectFrom('items').select(columns).where('slug', '=', slug).executeTakeFirst();
  return row && toPublic(row);
}

export async function itemById(db: DbOrTx, id: string): Promise<PublicItem | undefined> {
  const row = await db.selectFrom('items').select(columns).where('id', '=', id).executeTakeFirst();
  return row && toPublic(row);
}

/** The website sections the live edition is placed in; empty when it is not on the website. */
export async function liveWebsiteSections(db: DbOrTx, itemId: string): Promise<string[]> {
  const rows = await db.selectFrom('live_placements').select('target').where('item_id', '=', itemId).where('channel', '=', 'website').orderBy('target').execute();
  return rows.map((r) => r.target);
}

/** The content JSON of one revision. */
export async function revisionContent(db: DbOrTx, itemId: string, number: number): Promise<string | undefined> {
  const row = await db.selectFrom('revisions').select('content').where('item_id', '=', itemId).where('number', '=', number).executeTakeFirst();
  return row?.content;
}
