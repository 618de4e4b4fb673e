import type { Kysely } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Who may see what on the intranet: one row per object, category and audience key (everyone, a job role,
  // a unit — reaching its sub-units — or a group). A reader's keys are few, so every list is a handful of
  // index range scans on (category, kind, value, sort_at), newest or soonest first, never a scan of the objects.
  // sort_at is the time the object went live, or for an event the time it starts.
  await db.schema
    .createTable('audience_entries')
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('sort_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audience_entries_pk', ['object_type', 'object_id', 'category', 'kind', 'value'])
    .execute();
  await db.schema.createIndex('audience_entries_list').on('audience_entries').columns(['category', 'kind', 'value', 'sort_at', 'object_id']).execute();
  await db.schema.createIndex('audience_entries_object').on('audience_entries').columns(['object_id', 'kind', 'value']).execute();

  // The intranet's search text: the live words of each item and post, stemmed as the public search stems them
  // (src/search/text.ts), between spaces so a term matches from the start of a word. A search only ever reads
  // rows whose object is in the reader's audience.
  await db.schema
    .createTable('intranet_texts')
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('stems', 'text', (c) => c.notNull())
    .addColumn('sort_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('intranet_texts_pk', ['object_type', 'object_id'])
    .execute();
  await db.schema.createIndex('intranet_texts_newest').on('intranet_texts').columns(['sort_at']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('intranet_texts').execute();
  await db.schema.dropTable('audience_entries').execute();
}
