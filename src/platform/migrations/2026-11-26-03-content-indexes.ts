import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../db.ts';

// Frozen in time: never edit a migration that has shipped; add a new one.
// Found with `npm run bench -- content` on 100,000 items.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Editors filter by their own unit together with a state and a type; with one column per index the database
  // read every item of the unit to test the other two (15–40 ms on 100,000 items, now under 1 ms).
  await db.schema.createIndex('items_owner_state_type_updated').on('items').columns(['owner_unit_id', 'state', 'type', 'updated_at']).execute();

  // Free text is `search_text LIKE '%word%'`, which no B-tree can serve: PostgreSQL read every item (100–200 ms).
  // A trigram index serves the same query unchanged. pg_trgm ships with PostgreSQL and is a trusted extension
  // (13+), so the database owner may create it; where that is not allowed the list works as before, only slower.
  if (dialectOf(db) === 'postgres' && (await mayUsePgTrgm(db))) {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`create index items_search_trgm on items using gin (search_text gin_trgm_ops)`.execute(db);
  }

  // SQLite has no trigram index, but FTS5's trigram tokenizer answers the same substring question. It is keyed
  // through a small map table, not items' own rowid, which VACUUM may renumber; triggers keep it in step.
  if (dialectOf(db) === 'sqlite') {
    await sql`create table item_search (id integer primary key, item_id text not null unique references items(id) on delete cascade)`.execute(db);
    await sql`create virtual table item_search_fts using fts5(search_text, tokenize = 'trigram')`.execute(db);
    await sql`insert into item_search(item_id) select id from items`.execute(db);
    await sql`insert into item_search_fts(rowid, search_text) select s.id, i.search_text from item_search s join items i on i.id = s.item_id`.execute(db);
    await sql`create trigger items_search_insert after insert on items begin
      insert into item_search(item_id) values (new.id);
      insert into item_search_fts(rowid, search_text) values (last_insert_rowid(), new.search_text);
    end`.execute(db);
    await sql`create trigger items_search_update after update of search_text on items begin
      delete from item_search_fts where rowid = (select id from item_search where item_id = new.id);
      insert into item_search_fts(rowid, search_text) values ((select id from item_search where item_id = new.id), new.search_text);
    end`.execute(db);
    await sql`create trigger items_search_delete before delete on items begin
      delete from item_search_fts where rowid = (select id from item_search where item_id = old.id);
    end`.execute(db);
  }

  // An editor of a subsite sees items in their channels and items placed nowhere; the second group is
  // found through this small partial index instead of testing every item for missing channel rows.
  await sql`create index items_unplaced on items(updated_at) where placed = 0`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function mayUsePgTrgm(db: Kysely<any>): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`
    select exists (select 1 from pg_extension where extname = 'pg_trgm')
        or (exists (select 1 from pg_available_extensions where name = 'pg_trgm')
            and ((select rolsuper from pg_roles where rolname = current_user)
                 or (current_setting('server_version_num')::int >= 130000 and has_database_privilege(current_database(), 'CREATE')))) as ok`.execute(db);
  return rows[0]?.ok === true;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  // The extension stays: other database objects may have come to rely on it.
  await db.schema.dropIndex('items_unplaced').execute();
  if (dialectOf(db) === 'sqlite') {
    for (const trigger of ['items_search_insert', 'items_search_update', 'items_search_delete']) await sql`drop trigger ${sql.raw(trigger)}`.execute(db);
    await sql`drop table item_search_fts`.execute(db);
    await sql`drop table item_search`.execute(db);
  }
  await db.schema.dropIndex('items_search_trgm').ifExists().execute();
  await db.schema.dropIndex('items_owner_state_type_updated').execute();
}
