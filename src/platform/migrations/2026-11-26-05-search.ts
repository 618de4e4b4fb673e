import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../db.ts';

// Frozen in time: never edit a migration that has shipped; add a new one.
// Shaped with a throwaway bench of 100,000 items (see src/search/CONTEXT.md).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = dialectOf(db) === 'sqlite';

  // The public search: one row per live item on a public site, written by the application in the publishing
  // transaction (and rebuilt by `mediehus search reindex`), since on SQLite its stems are made in JavaScript.
  let entries = db.schema.createTable('search_entries');
  // SQLite: `doc` is the row's number in search_fts, chosen by the application so that it also carries the
  // item type and whether the item is on the main website (see store.ts); a real column, since VACUUM may
  // renumber an implicit rowid.
  if (sqlite) entries = entries.addColumn('doc', 'integer', (c) => c.primaryKey()).addColumn('item_id', 'text', (c) => c.notNull().unique().references('items.id').onDelete('cascade'));
  else entries = entries.addColumn('item_id', 'text', (c) => c.primaryKey().references('items.id').onDelete('cascade'));
  entries = entries
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('keywords', 'text', (c) => c.notNull())
    .addColumn('target_url', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('section', 'text')
    .addColumn('live_since', 'text', (c) => c.notNull());
  // PostgreSQL stems with its own `danish` configuration: all text, weighted title A, keywords B, summary C,
  // body D; the title alone; and title with keywords, so the tiers of hits are found through indexes of their own.
  // The units of the subsites it is placed on, so checking a match costs no look-up.
  if (!sqlite) {
    entries = entries
      .addColumn('tsv', sql`tsvector`, (c) => c.notNull())
      .addColumn('title_tsv', sql`tsvector`, (c) => c.notNull())
      .addColumn('strong_tsv', sql`tsvector`, (c) => c.notNull())
      .addColumn('subsite_units', sql`text[]`, (c) => c.notNull());
  }
  await entries.execute();

  if (sqlite) {
    // Only the index of the Snowball stems (content=''); the text is in search_entries. The ascii tokenizer
    // splits at spaces and ASCII punctuation only, so every stem made in JavaScript stays one token.
    await sql`create virtual table search_fts using fts5(title, keywords, summary, body, tags, tokenize = 'ascii', content = '', contentless_delete = 1)`.execute(db);
    await sql`create trigger search_entries_delete after delete on search_entries begin
      delete from search_fts where rowid = old.doc;
    end`.execute(db);
  } else {
    await sql`create index search_entries_tsv on search_entries using gin (tsv)`.execute(db);
    await sql`create index search_entries_title_tsv on search_entries using gin (title_tsv)`.execute(db);
    await sql`create index search_entries_strong_tsv on search_entries using gin (strong_tsv) where type = 'selfservice'`.execute(db);
    // A broad search lists a tier newest first: walking this index stops after a page, where sorting every
    // match of a common word read thousands of rows (30–70 ms on 100,000 items).
    await db.schema.createIndex('search_entries_newest').on('search_entries').columns(['live_since desc', 'item_id desc']).execute();
  }

  await db.schema
    .createTable('search_words')
    .addColumn('word', 'text', (c) => c.primaryKey())
    .addColumn('uses', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('search_word_forms')
    .addColumn('form', 'text', (c) => c.notNull())
    .addColumn('word', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_word_forms_pk', ['form', 'word'])
    .execute();
  await db.schema.createIndex('search_word_forms_word').on('search_word_forms').columns(['word']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_word_forms').execute();
  await db.schema.dropTable('search_words').execute();
  if (dialectOf(db) === 'sqlite') {
    await sql`drop trigger search_entries_delete`.execute(db);
    await sql`drop table search_fts`.execute(db);
  }
  await db.schema.dropTable('search_entries').execute();
}
