import { isSafeUrl, markdownToPlainText } from '../content/markdown.ts';
import type { Content } from '../content/types.ts';
import type { Db, DbOrTx } from '../platform/database.ts';
import { deletes } from './spelling.ts';
import * as store from './store.ts';
import type { SearchEntriesTable } from './tables.ts';
import { vocabularyWords, withoutControlCharacters } from './text.ts';

// Keeping the index in step with what readers can open. Publishing and unpublishing call indexLiveItem in
// their own transaction (through content's replaceLive), so a change is searchable, or gone, the moment it
// is committed. reindexSearch rebuilds everything, for databases from before the search or after a repair.

const clean = (s: string) => withoutControlCharacters(s).trim();

/**
 * The entry for a live edition, or null when it is on no public site (intranet, app or social only). A subsite
 * placement counts whether or not the unit has a site yet: the search asks for the active subsites when it
 * runs, so a site created, renamed or closed later needs no reindexing.
 */
export function entryFor(itemId: string, type: string, liveSince: string, content: Content): SearchEntriesTable | null {
  const placements = content.placements ?? [];
  const fields = content.fields ?? {};
  const sections = [...new Set(placements.flatMap((p) => (p.channel === 'website' ? [p.section as string] : [])))].sort();
  const onSubsite = placements.some((p) => p.channel === 'subsite');
  if (!sections.length && !onSubsite) return null;
  const keywords = Array.isArray(fields.keywords) ? fields.keywords.filter((k): k is string => typeof k === 'string') : [];
  const targetUrl = type === 'selfservice' && typeof fields.targetUrl === 'string' && isSafeUrl(fields.targetUrl) ? fields.targetUrl : '';
  return {
    item_id: itemId,
    type,
    title: clean(content.title),
    summary: clean(content.summary ?? ''),
    body: clean(markdownToPlainText(content.body ?? '')),
    keywords: keywords.map(clean).join('\n'),
    target_url: targetUrl,
    language: content.language ?? 'da',
    section: sections[0] ?? null,
    live_since: liveSince,
  };
}

/** The units whose subsites a live edition is placed on. */
const subsiteUnits = (content: Content) => [...new Set((content.placements ?? []).flatMap((p) => (p.channel === 'subsite' ? [p.unitId] : [])))];

/** The words an entry adds to the vocabulary of "Mente du …?". */
const wordsOf = (e: { title: string; keywords: string }) => vocabularyWords(`${e.title}\n${e.keywords}`);

/**
 * Makes the index say what readers see of one item: its new live edition, or nothing (`content` null).
 * Called inside the transaction that changes the live edition.
 */
export async function indexLiveItem(tx: DbOrTx, itemId: string, content: Content | null, liveSince: string): Promise<void> {
  // The delete comes first: on SQLite it takes the write lock before anything is read.
  const old = await store.deleteEntry(tx, itemId);
  if (old) await store.removeWords(tx, wordsOf(old));
  if (!content) return;
  const item = await tx.selectFrom('items').select('type').where('id', '=', itemId).executeTakeFirst();
  const entry = item && entryFor(itemId, item.type, liveSince, content);
  if (!entry) return;
  await store.insertEntry(tx, entry, subsiteUnits(content));
  await store.addWords(tx, wordsOf(entry).map((w): [string, number] => [w, 1]), deletes);
}

const BATCH = 500;

/**
 * Rebuilds the whole index from the live editions: emptied first, then filled a batch at a time, each batch in
 * its own short transaction so publishing is never held up for long; the vocabulary is counted last. Items go
 * in oldest first, since on SQLite a broad search lists its weakest matches newest first by that order.
 * Returns how many items are searchable.
 */
export async function reindexSearch(db: Db): Promise<number> {
  await db.transaction().execute((tx) => store.clearIndex(tx));
  const live = await db.selectFrom('items').select(['id', 'live_since', 'first_published_at']).where('live_revision', 'is not', null).execute();
  const order = live.map((r) => ({ id: r.id, since: r.live_since ?? r.first_published_at ?? '' })).sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : a.id < b.id ? -1 : 1));
  let indexed = 0;
  for (let i = 0; i < order.length; i += BATCH) {
    const ids = order.slice(i, i + BATCH).map((r) => r.id);
    indexed += await db.transaction().execute(async (tx) => {
      // An item published meanwhile was indexed by its own publication; its entry is simply written again.
      // The delete comes first: on SQLite it takes the write lock before anything is read.
      await store.deleteEntries(tx, ids);
      const rows = await tx
        .selectFrom('items')
        .innerJoin('revisions', (join) => join.onRef('revisions.item_id', '=', 'items.id').onRef('revisions.number', '=', 'items.live_revision'))
        .select(['items.id', 'items.type', 'items.live_since', 'items.first_published_at', 'revisions.content'])
        .where('items.id', 'in', ids)
        .execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      let n = 0;
      for (const id of ids) {
        const r = byId.get(id);
        if (!r) continue;
        const content = JSON.parse(r.content) as Content;
        const entry = entryFor(r.id, r.type, r.live_since ?? r.first_published_at ?? '', content);
        if (!entry) continue;
        await store.insertEntry(tx, entry, subsiteUnits(content));
        n++;
      }
      return n;
    });
  }
  await rebuildVocabulary(db);
  return indexed;
}

/** Counts the words of every entry afresh. */
async function rebuildVocabulary(db: Db): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('search_word_forms').execute();
    await tx.deleteFrom('search_words').execute();
    const uses = new Map<string, number>();
    let after = '';
    for (;;) {
      const rows = await store.entryWordsAfter(tx, after, 2000);
      if (!rows.length) break;
      after = rows[rows.length - 1]!.item_id;
      for (const r of rows) for (const w of wordsOf(r)) uses.set(w, (uses.get(w) ?? 0) + 1);
    }
    await store.addWords(tx, [...uses], deletes);
  });
}
