import { type RawBuilder, sql } from 'kysely';
import { ITEM_TYPES } from '../content/types.ts';
import type { DbOrTx } from '../platform/database.ts';
import { dialectOf } from '../platform/db.ts';
import type { SearchEntriesTable } from './tables.ts';
import { stemmedText, type Term } from './text.ts';

// Every SQL statement of the public search. SQLite matches Snowball stems made in JavaScript in an FTS5 table;
// PostgreSQL matches its own `danish` stems in a weighted tsvector. Both answer the same questions the same way.

/** Which public sites to look in: the main website, and subsites by id (null: every active subsite). */
export interface SiteScope {
  main: boolean;
  siteIds: string[] | null;
}

export interface Match {
  terms: Term[];
  /** Only these item types; null for every type. */
  types: string[] | null;
  /** On the main website, when it is in scope. */
  main: boolean;
  /** Units whose subsites are in scope (see unitsInScope). */
  unitIds: string[];
}

/**
 * The order of the hits: self-service entries matching in title or keywords, then other items matching in
 * their title, then the rest. A large result is read a tier at a time, so a broad search never ranks every match.
 */
export type Tier = 'selfservice' | 'title' | 'rest';

/** The units whose subsites are searched: those with an active site of kind subsite, or of the sites asked for. */
export async function unitsInScope(db: DbOrTx, scope: SiteScope): Promise<string[]> {
  if (scope.siteIds !== null && !scope.siteIds.length) return [];
  let q = db.selectFrom('sites').select('unit_id').where('active', '=', 1);
  q = scope.siteIds === null ? q.where('kind', '=', 'subsite') : q.where('id', 'in', scope.siteIds);
  return (await q.execute()).map((r) => r.unit_id);
}

// ---- SQLite: an FTS5 table over Snowball stems ----
//
// Its row number (`doc`) carries the item type (low 4 bits) and whether the item is on the main website
// (bit 5), so these filters are read from the index alone, without a row look-up per match. The `tags` column
// holds words no stem can equal (a stem has only letters and digits, a tag begins with "·"): the stems of the
// title ("·t…") and keywords ("·k…") once more, so a title match is found in a short list of its own instead of
// by checking every match's positions; and "·ss" on self-service entries.

const TYPE_CODE = new Map<string, number>(ITEM_TYPES.map((t, i) => [t, i + 1]));
const TYPE_BITS = 15;
const MAIN_BIT = 16;
const SELFSERVICE_CODE = TYPE_CODE.get('selfservice')!;
const SELFSERVICE_TAG = '·ss';
const TITLE_TAG = '·t';
const KEYWORD_TAG = '·k';

/** The tags of an entry, given its title's and keywords' stems. */
function tagsOf(type: string, titleStems: string, keywordStems: string): string {
  const tagged = (prefix: string, stems: string) => [...new Set(stems.split(' ').filter(Boolean))].map((s) => prefix + s);
  return [...(type === 'selfservice' ? [SELFSERVICE_TAG] : []), ...tagged(TITLE_TAG, titleStems), ...tagged(KEYWORD_TAG, keywordStems)].join(' ');
}

// bm25 weights of the columns title, keywords, summary, body and tags.
const BM25 = sql.raw('bm25(search_fts, 10.0, 6.0, 3.0, 1.0, 0.0)');

/** An FTS5 string; stems hold only letters and digits, but a quote is doubled all the same. */
const phrase = (s: string) => `"${s.replace(/"/g, '""')}"`;

function ftsQuery(terms: Term[], tier: Tier | 'all' | 'strong' | 'inTitle'): string {
  const all = `(${terms.map((t) => phrase(t.stem)).join(' AND ')})`;
  const inTitle = `(${terms.map((t) => phrase(TITLE_TAG + t.stem)).join(' AND ')})`;
  const strong = `(${terms.map((t) => `(${phrase(TITLE_TAG + t.stem)} OR ${phrase(KEYWORD_TAG + t.stem)})`).join(' AND ')})`;
  const self = phrase(SELFSERVICE_TAG);
  switch (tier) {
    case 'all':
      return all;
    case 'strong':
      return strong;
    case 'inTitle':
      return inTitle;
    case 'selfservice':
      return `(${self} AND ${strong})`;
    case 'title':
      return `(${inTitle} NOT ${self})`;
    case 'rest':
      return `((${all} NOT ${inTitle}) NOT (${self} AND ${strong}))`;
  }
}

/** Where-conditions on the FTS row number: on a site in scope, of a wanted type. */
function sqliteFilters(m: Match): RawBuilder<boolean> {
  // Looked up only for the few matches that are not on the main website, and only as far as a page or count reads.
  const onSubsite = m.unitIds.length
    ? sql<boolean>`exists (select 1 from search_entries se join live_placements lp on lp.item_id = se.item_id
        where se.doc = search_fts.rowid and lp.channel = 'subsite' and lp.target in (${sql.join(m.unitIds)}))`
    : sql<boolean>`0`;
  const onSites = m.main ? sql<boolean>`((search_fts.rowid & ${sql.lit(MAIN_BIT)}) != 0 or ${onSubsite})` : onSubsite;
  if (!m.types) return onSites;
  const codes = m.types.map((t) => TYPE_CODE.get(t) ?? -1);
  return sql<boolean>`${onSites} and (search_fts.rowid & ${sql.lit(TYPE_BITS)}) in (${sql.join(codes.map((c) => sql.lit(c)))})`;
}

/** The FTS row number of an entry: a new number, the main-website bit and the type. */
export function docNumber(previous: number | null, type: string, onMain: boolean): number {
  const next = Math.floor((previous ?? 0) / 32) + 1;
  return next * 32 + (onMain ? MAIN_BIT : 0) + (TYPE_CODE.get(type) ?? 0);
}

async function itemIdsOfDocs(db: DbOrTx, docs: number[]): Promise<string[]> {
  if (!docs.length) return [];
  const found = await sql<{ doc: number; item_id: string }>`select doc, item_id from search_entries where doc in (${sql.join(docs)})`.execute(db);
  const byDoc = new Map(found.rows.map((r) => [Number(r.doc), r.item_id]));
  return docs.flatMap((d) => byDoc.get(Number(d)) ?? []);
}

// ---- PostgreSQL: weighted tsvectors in the `danish` configuration ----

/** PostgreSQL's plainto_tsquery gets letters and digits only, so no query syntax ever reaches it. */
const tsquery = (terms: Term[]) => sql`plainto_tsquery('danish', ${terms.map((t) => t.word).join(' ')})`;

function pgFilters(m: Match): RawBuilder<boolean> {
  const onSubsite = m.unitIds.length ? sql<boolean>`e.subsite_units && ${m.unitIds}::text[]` : sql<boolean>`false`;
  const onSites = m.main ? sql<boolean>`(e.section is not null or ${onSubsite})` : onSubsite;
  return m.types ? sql<boolean>`${onSites} and e.type in (${sql.join(m.types)})` : onSites;
}

function pgQuery(m: Match, tier: Tier | 'all'): RawBuilder<boolean> {
  const q = tsquery(m.terms);
  if (tier === 'all') return sql<boolean>`e.tsv @@ ${q}`;
  if (tier === 'selfservice') return sql<boolean>`e.type = 'selfservice' and e.strong_tsv @@ ${q}`;
  if (tier === 'title') return sql<boolean>`e.title_tsv @@ ${q} and e.type <> 'selfservice'`;
  return sql<boolean>`e.tsv @@ ${q} and not (case when e.type = 'selfservice' then e.strong_tsv @@ ${q} else e.title_tsv @@ ${q} end)`;
}

// ---- the questions ----

/**
 * How many entries match (all of them, or those of one tier) on the sites in scope, of the wanted types,
 * counting no further than `upTo`: a broad search stops counting early instead of visiting every match.
 */
export async function countMatches(db: DbOrTx, m: Match, tier: Tier | 'all', upTo: number): Promise<number> {
  const { rows } =
    dialectOf(db) === 'sqlite'
      ? await sql<{ n: number }>`select count(*) as n from (select 1 from search_fts where search_fts match ${ftsQuery(m.terms, tier)} and ${sqliteFilters(m)} limit ${upTo})`.execute(db)
      : await sql<{ n: string }>`select count(*) as n from (select 1 from search_entries e where ${pgQuery(m, tier)} and ${pgFilters(m)} limit ${upTo}) x`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** A slice of a result small enough to rank whole: in tier order, then by relevance (bm25 or ts_rank), then the newest. */
export async function rankedIds(db: DbOrTx, m: Match, limit: number, offset: number): Promise<string[]> {
  if (dialectOf(db) === 'sqlite') {
    const { rows } = await sql<{ doc: number }>`select search_fts.rowid as doc from search_fts
      where search_fts match ${ftsQuery(m.terms, 'all')} and ${sqliteFilters(m)}
      order by
        case when (search_fts.rowid & ${sql.lit(TYPE_BITS)}) = ${sql.lit(SELFSERVICE_CODE)}
               and search_fts.rowid in (select rowid from search_fts where search_fts match ${ftsQuery(m.terms, 'strong')}) then 0
             when search_fts.rowid in (select rowid from search_fts where search_fts match ${ftsQuery(m.terms, 'inTitle')}) then 1
             else 2 end,
        ${BM25}, search_fts.rowid desc
      limit ${limit} offset ${offset}`.execute(db);
    return itemIdsOfDocs(
      db,
      rows.map((r) => r.doc),
    );
  }
  const q = tsquery(m.terms);
  const { rows } = await sql<{ item_id: string }>`select e.item_id from search_entries e where ${pgQuery(m, 'all')} and ${pgFilters(m)}
    order by
      case when e.type = 'selfservice' and e.strong_tsv @@ ${q} then 0 when e.title_tsv @@ ${q} then 1 else 2 end,
      ts_rank(e.tsv, ${q}) desc, e.live_since desc, e.item_id desc
    limit ${limit} offset ${offset}`.execute(db);
  return rows.map((r) => r.item_id);
}

/**
 * A slice of one tier of a large result, newest first: the index answers that by reading matches in order and
 * stopping when the slice is full. (bm25 would first count every row holding each query word, and rank them all.)
 */
export async function tierIds(db: DbOrTx, m: Match, tier: Tier, limit: number, offset: number): Promise<string[]> {
  if (dialectOf(db) === 'sqlite') {
    const { rows } = await sql<{ doc: number }>`select search_fts.rowid as doc from search_fts
      where search_fts match ${ftsQuery(m.terms, tier)} and ${sqliteFilters(m)}
      order by search_fts.rowid desc limit ${limit} offset ${offset}`.execute(db);
    return itemIdsOfDocs(
      db,
      rows.map((r) => r.doc),
    );
  }
  const { rows } = await sql<{ item_id: string }>`select e.item_id from search_entries e where ${pgQuery(m, tier)} and ${pgFilters(m)}
    order by e.live_since desc, e.item_id desc limit ${limit} offset ${offset}`.execute(db);
  return rows.map((r) => r.item_id);
}

export type EntryWithSlug = Omit<SearchEntriesTable, 'live_since'> & { slug: string };

export async function entriesByIds(db: DbOrTx, ids: string[]): Promise<EntryWithSlug[]> {
  if (!ids.length) return [];
  return db
    .selectFrom('search_entries as e')
    .innerJoin('items as i', 'i.id', 'e.item_id')
    .select(['e.item_id', 'e.type', 'e.title', 'e.summary', 'e.body', 'e.keywords', 'e.target_url', 'e.language', 'e.section', 'i.slug'])
    .where('e.item_id', 'in', ids)
    .execute();
}

export interface SitePlacement {
  itemId: string;
  unitId: string;
  siteId: string;
  kind: string;
  name: string;
  slug: string;
  host: string | null;
}

/** The active sites the items are placed on, by the site's current slug, so a renamed subsite links right. */
export async function sitesOfItems(db: DbOrTx, itemIds: string[]): Promise<SitePlacement[]> {
  if (!itemIds.length) return [];
  const rows = await db
    .selectFrom('live_placements as lp')
    .innerJoin('sites as s', 's.unit_id', 'lp.target')
    .select(['lp.item_id', 'lp.target', 's.id', 's.kind', 's.name', 's.slug', 's.host'])
    .where('lp.channel', '=', 'subsite')
    .where('lp.item_id', 'in', itemIds)
    .where('s.active', '=', 1)
    .orderBy('s.slug')
    .execute();
  return rows.map((r) => ({ itemId: r.item_id, unitId: r.target, siteId: r.id, kind: r.kind, name: r.name, slug: r.slug, host: r.host }));
}

// ---- writing the index ----

/** Removes an item's entry (and, through a trigger on SQLite, its stems); returns what its words were. */
export async function deleteEntry(tx: DbOrTx, itemId: string): Promise<{ title: string; keywords: string } | undefined> {
  return tx.deleteFrom('search_entries').where('item_id', '=', itemId).returning(['title', 'keywords']).executeTakeFirst();
}

export async function deleteEntries(tx: DbOrTx, itemIds: string[]): Promise<void> {
  if (itemIds.length) await tx.deleteFrom('search_entries').where('item_id', 'in', itemIds).execute();
}

/** Writes an entry and its stems; `unitIds` are the units whose subsites the item is placed on. */
export async function insertEntry(tx: DbOrTx, e: SearchEntriesTable, unitIds: string[]): Promise<void> {
  if (dialectOf(tx) === 'sqlite') {
    // Writers take turns on SQLite, so the highest number cannot change under us.
    const last = await sql<{ doc: number | null }>`select max(doc) as doc from search_entries`.execute(tx);
    const doc = docNumber(last.rows[0]?.doc ?? null, e.type, e.section !== null);
    await sql`insert into search_entries (doc, item_id, type, title, summary, body, keywords, target_url, language, section, live_since)
      values (${doc}, ${e.item_id}, ${e.type}, ${e.title}, ${e.summary}, ${e.body}, ${e.keywords}, ${e.target_url}, ${e.language}, ${e.section}, ${e.live_since})`.execute(tx);
    const [title, keywords] = [stemmedText(e.title), stemmedText(e.keywords)];
    await sql`insert into search_fts (rowid, title, keywords, summary, body, tags)
      values (${doc}, ${title}, ${keywords}, ${stemmedText(e.summary)}, ${stemmedText(e.body)}, ${tagsOf(e.type, title, keywords)})`.execute(tx);
    return;
  }
  await sql`insert into search_entries (item_id, type, title, summary, body, keywords, target_url, language, section, live_since, subsite_units, tsv, title_tsv, strong_tsv)
    values (${e.item_id}, ${e.type}, ${e.title}, ${e.summary}, ${e.body}, ${e.keywords}, ${e.target_url}, ${e.language}, ${e.section}, ${e.live_since}, ${unitIds}::text[],
      setweight(to_tsvector('danish', ${e.title}), 'A') || setweight(to_tsvector('danish', ${e.keywords}), 'B')
      || setweight(to_tsvector('danish', ${e.summary}), 'C') || setweight(to_tsvector('danish', ${e.body}), 'D'),
      to_tsvector('danish', ${e.title}),
      to_tsvector('danish', ${e.title}) || to_tsvector('danish', ${e.keywords}))`.execute(tx);
}

/** Empties the whole index, for a rebuild. */
export async function clearIndex(tx: DbOrTx): Promise<void> {
  await tx.deleteFrom('search_word_forms').execute();
  await tx.deleteFrom('search_words').execute();
  if (dialectOf(tx) === 'sqlite') await sql`insert into search_fts (search_fts) values ('delete-all')`.execute(tx);
  await tx.deleteFrom('search_entries').execute();
}

/** Entries by item id, a page at a time, for rebuilding the vocabulary. */
export async function entryWordsAfter(db: DbOrTx, afterItemId: string, limit: number): Promise<{ item_id: string; title: string; keywords: string }[]> {
  return db.selectFrom('search_entries').select(['item_id', 'title', 'keywords']).where('item_id', '>', afterItemId).orderBy('item_id').limit(limit).execute();
}

// ---- the vocabulary of "Mente du …?" ----

// Rows per statement, well within both databases' limits on bound parameters.
const CHUNK = 500;

function chunks<T>(xs: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/**
 * Counts words in (by `by` uses each) and files every new one under its forms. Words come sorted, so two
 * publications at once lock the same rows in the same order on PostgreSQL and cannot deadlock.
 */
export async function addWords(tx: DbOrTx, counted: [word: string, by: number][], forms: (word: string) => string[]): Promise<void> {
  const sorted = [...counted].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const part of chunks(sorted)) {
    await tx
      .insertInto('search_words')
      .values(part.map(([word, by]) => ({ word, uses: by })))
      .onConflict((oc) => oc.column('word').doUpdateSet({ uses: (eb) => eb('search_words.uses', '+', eb.ref('excluded.uses')) }))
      .execute();
  }
  const rows = sorted.flatMap(([word]) => forms(word).map((form) => ({ form, word })));
  for (const part of chunks(rows)) await tx.insertInto('search_word_forms').values(part).onConflict((oc) => oc.doNothing()).execute();
}

/** Counts words out; a word no entry uses any more is forgotten with its forms. */
export async function removeWords(tx: DbOrTx, words: string[]): Promise<void> {
  if (!words.length) return;
  const sorted = [...words].sort();
  // Rows are locked in the order addWords takes them (code point order), so two publications at once cannot deadlock.
  if (dialectOf(tx) === 'postgres') await tx.selectFrom('search_words').select('word').where('word', 'in', sorted).orderBy(sql`word collate "C"`).forUpdate().execute();
  await tx.updateTable('search_words').set((eb) => ({ uses: eb('uses', '-', 1) })).where('word', 'in', sorted).execute();
  const gone = (await tx.selectFrom('search_words').select('word').where('word', 'in', sorted).where('uses', '<=', 0).execute()).map((r) => r.word);
  if (!gone.length) return;
  await tx.deleteFrom('search_word_forms').where('word', 'in', gone).execute();
  await tx.deleteFrom('search_words').where('word', 'in', gone).execute();
}

export async function knownWords(db: DbOrTx, words: string[]): Promise<Set<string>> {
  if (!words.length) return new Set();
  const rows = await db.selectFrom('search_words').select('word').where('word', 'in', words).execute();
  return new Set(rows.map((r) => r.word));
}

/** Known words filed under any of the given forms. */
export async function wordsWithForms(db: DbOrTx, forms: string[]): Promise<{ word: string; uses: number }[]> {
  if (!forms.length) return [];
  const found = new Map<string, number>();
  for (const part of chunks(forms)) {
    const rows = await db
      .selectFrom('search_word_forms as f')
      .innerJoin('search_words as w', 'w.word', 'f.word')
      .select(['w.word', 'w.uses'])
      .where('f.form', 'in', part)
      .execute();
    for (const r of rows) found.set(r.word, Number(r.uses));
  }
  return [...found].map(([word, uses]) => ({ word, uses }));
}
