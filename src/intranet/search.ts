import { sql } from 'kysely';
import type { DbOrTx } from '../platform/database.ts';
import { queryTerms, stemmedText } from '../search/text.ts';
import type { ObjectRef, ObjectType, Viewer } from './audience.ts';

/** Keeps the search text of an intranet object; call in the transaction that makes it live or changes it. */
export async function indexIntranetText(tx: DbOrTx, ref: ObjectRef, text: string, sortAt: string): Promise<void> {
  const stems = ` ${stemmedText(text)} `;
  await tx
    .insertInto('intranet_texts')
    .values({ object_type: ref.type, object_id: ref.id, stems, sort_at: sortAt })
    .onConflict((oc) => oc.columns(['object_type', 'object_id']).doUpdateSet({ stems, sort_at: sortAt }))
    .execute();
}

export async function removeIntranetText(tx: DbOrTx, ref: ObjectRef): Promise<void> {
  await tx.deleteFrom('intranet_texts').where('object_type', '=', ref.type).where('object_id', '=', ref.id).execute();
}

export interface IntranetHit {
  type: ObjectType;
  id: string;
  sortAt: string;
}

/**
 * Items and posts whose live text holds every word of the query (Danish stems, from the start of a word),
 * newest first — and only those whose audience includes the reader: the audience is part of the query itself,
 * so nothing outside it is ever read into a result.
 */
export async function searchIntranet(db: DbOrTx, viewer: Viewer, q: string, page: { limit: number; offset: number }): Promise<{ hits: IntranetHit[]; more: boolean }> {
  const terms = queryTerms(q);
  if (!terms.length || !viewer.keys.length) return { hits: [], more: false };
  let query = db.selectFrom('intranet_texts as t').select(['t.object_type', 't.object_id', 't.sort_at']);
  for (const term of terms) query = query.where(sql<boolean>`t.stems like ${`% ${term.stem.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`);
  const rows = await query
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('audience_entries as a')
          .select('a.object_id')
          .whereRef('a.object_type', '=', 't.object_type')
          .whereRef('a.object_id', '=', 't.object_id')
          .where((k) => k.or(viewer.keys.map((key) => k.and([k('a.kind', '=', key.kind), k('a.value', '=', key.value)])))),
      ),
    )
    .orderBy('t.sort_at', 'desc')
    .orderBy('t.object_id', 'desc')
    .limit(page.limit + 1)
    .offset(page.offset)
    .execute();
  return { hits: rows.slice(0, page.limit).map((r) => ({ type: r.object_type as ObjectType, id: r.object_id, sortAt: r.sort_at })), more: rows.length > page.limit };
}
