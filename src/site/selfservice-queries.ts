import { parseContent } from '../content/service.ts';
import type { DbOrTx } from '../platform/database.ts';

// The public self-service catalogue. Only live editions placed somewhere on the website are read: a draft,
// an unpublished entry or one kept to the app or intranet never reaches the catalogue.

export interface SelfServiceEntry {
  id: string;
  title: string;
  summary: string;
  targetUrl: string;
  topics: string[];
  language: 'da' | 'en';
  ownerName: string;
}

/** Every live self-service entry on the website, by title in Danish order (Æ, Ø and Å after Z). */
export async function liveSelfService(db: DbOrTx): Promise<SelfServiceEntry[]> {
  const rows = await db
    .selectFrom('items')
    .innerJoin('revisions', (join) => join.onRef('revisions.item_id', '=', 'items.id').onRef('revisions.number', '=', 'items.live_revision'))
    .select(['items.id', 'revisions.content'])
    .where('items.type', '=', 'selfservice')
    .where('items.live_revision', 'is not', null)
    // EXISTS rather than a join: an entry placed in two website sections must still be listed once.
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('live_placements')
          .select('live_placements.item_id')
          .whereRef('live_placements.item_id', '=', 'items.id')
          .where('live_placements.channel', '=', 'website'),
      ),
    )
    .execute();
  const parsed = rows.map((r) => ({ id: r.id, content: parseContent(r.content) }));
  // The live revision names its owner, which may differ from the item's current draft; units are few.
  const ownerIds = [...new Set(parsed.map((p) => p.content.ownerUnitId))];
  const units = ownerIds.length ? await db.selectFrom('units').select(['id', 'name']).where('id', 'in', ownerIds).execute() : [];
  const names = new Map(units.map((u) => [u.id, u.name]));
  return parsed
    .map(({ id, content }) => ({
      id,
      title: content.title,
      summary: content.summary,
      targetUrl: typeof content.fields.targetUrl === 'string' ? content.fields.targetUrl : '',
      topics: content.topics,
      language: content.language,
      ownerName: names.get(content.ownerUnitId) ?? '',
    }))
    .filter((e) => e.targetUrl !== '')
    .sort((a, b) => a.title.localeCompare(b.title, 'da') || a.id.localeCompare(b.id));
}
