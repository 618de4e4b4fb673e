import type { Kysely } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('placed', 'integer', (c) => c.notNull())
    .addColumn('owner_unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('latest_revision', 'integer', (c) => c.notNull())
    .addColumn('edition_start', 'integer', (c) => c.notNull())
    .addColumn('live_revision', 'integer')
    .addColumn('last_live_revision', 'integer')
    .addColumn('first_published_at', 'text')
    .addColumn('live_since', 'text')
    .addColumn('submitted_by', 'text', (c) => c.references('people.id'))
    .addColumn('approved_by', 'text', (c) => c.references('people.id'))
    .addColumn('review_comment', 'text')
    .addColumn('publish_at', 'text')
    .addColumn('unpublish_at', 'text')
    .addColumn('not_reviewed', 'integer', (c) => c.notNull())
    .addColumn('emergency_by', 'text', (c) => c.references('people.id'))
    .addColumn('emergency_reason', 'text')
    .addColumn('unpublish_reason', 'text')
    .addColumn('unpublish_note', 'text')
    .addColumn('replaced_by', 'text')
    .addColumn('review_by', 'text')
    .addColumn('created_by', 'text', (c) => c.references('people.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('people.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // The content list filters by these and sorts by last change.
  await db.schema.createIndex('items_updated').on('items').columns(['updated_at', 'id']).execute();
  await db.schema.createIndex('items_state_updated').on('items').columns(['state', 'updated_at']).execute();
  await db.schema.createIndex('items_type_updated').on('items').columns(['type', 'updated_at']).execute();
  await db.schema.createIndex('items_owner_updated').on('items').columns(['owner_unit_id', 'updated_at']).execute();
  await db.schema.createIndex('items_review_by').on('items').columns(['review_by']).execute();
  await db.schema.createIndex('items_publish_at').on('items').columns(['publish_at']).execute();

  await db.schema
    .createTable('revisions')
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.references('people.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('change_note', 'text', (c) => c.notNull())
    .addColumn('major', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('revisions_pk', ['item_id', 'number'])
    .execute();
  await db.schema.createIndex('revisions_author').on('revisions').columns(['author_id', 'created_at']).execute();

  // The channels of the latest revision, for the editors' filter; live placements are kept apart for readers.
  await db.schema
    .createTable('item_channels')
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_channels_pk', ['item_id', 'channel'])
    .execute();
  await db.schema.createIndex('item_channels_channel').on('item_channels').columns(['channel', 'item_id']).execute();

  await db.schema
    .createTable('live_placements')
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('live_placements_pk', ['item_id', 'channel', 'target'])
    .execute();
  await db.schema.createIndex('live_placements_target').on('live_placements').columns(['channel', 'target', 'published_at']).execute();

  // Intranet audiences of the live edition: everyone, a job role, a unit (with its sub-units) or a group.
  await db.schema
    .createTable('live_audiences')
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('live_audiences_pk', ['item_id', 'kind', 'value'])
    .execute();
  await db.schema.createIndex('live_audiences_kind_value').on('live_audiences').columns(['kind', 'value', 'item_id']).execute();

  await db.schema
    .createTable('media')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('original_name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('alt', 'text', (c) => c.notNull())
    .addColumn('renditions', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.references('people.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('media_created').on('media').columns(['created_at']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['media', 'live_audiences', 'live_placements', 'item_channels', 'revisions', 'items']) {
    await db.schema.dropTable(table).execute();
  }
}
