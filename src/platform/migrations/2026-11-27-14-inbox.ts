import { type Kysely, sql } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Business hours per account (S2), as JSON: [{ weekday: 1–7, opens: "08:00", closes: "15:00" }]. Null: the
  // municipality's usual hours (Monday–Thursday 8–15, Friday 8–13).
  await db.schema.alterTable('social_accounts').addColumn('business_hours', 'text').execute();

  // Comments, replies and mentions from every connected account, one row per item on the network (webhooks and
  // polling may both bring it; the unique key keeps it single). Classified on arrival by the guidelines' rules.
  await db.schema
    .createTable('inbox_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('social_accounts.id'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('parent_external_id', 'text')
    .addColumn('root_external_id', 'text')
    .addColumn('social_post_id', 'text', (c) => c.references('social_posts.id'))
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('author_handle', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('written_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    // JSON: the categories and, per category, the rule and words that put it there.
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('assigned_to', 'text', (c) => c.references('people.id'))
    .addColumn('done_by', 'text', (c) => c.references('people.id'))
    .addColumn('done_at', 'text')
    // The first answer's time, and for a question the time it should have come by (business hours).
    .addColumn('answered_at', 'text')
    .addColumn('answer_due_at', 'text')
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('escalated_to', 'text')
    .addColumn('escalated_at', 'text')
    .addUniqueConstraint('inbox_items_external', ['account_id', 'external_id'])
    .execute();
  // The inbox list: an editor group's accounts, open or done, newest first.
  await db.schema.createIndex('inbox_items_list').on('inbox_items').columns(['account_id', 'state', 'received_at']).execute();
  await db.schema.createIndex('inbox_items_thread').on('inbox_items').columns(['account_id', 'root_external_id']).execute();
  await db.schema
    .createIndex('inbox_items_overdue')
    .on('inbox_items')
    .columns(['account_id', 'answer_due_at'])
    .where(sql<boolean>`answered_at is null and answer_due_at is not null`)
    .execute();
  // One row per item and category, with the list's sort columns, so a category filter is an index range too.
  await db.schema
    .createTable('inbox_item_categories')
    .addColumn('item_id', 'text', (c) => c.notNull().references('inbox_items.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('inbox_item_categories_pk', ['item_id', 'category'])
    .execute();
  await db.schema.createIndex('inbox_item_categories_list').on('inbox_item_categories').columns(['account_id', 'category', 'state', 'received_at']).execute();

  // Where polling got to per account (X since_id, Mastodon min_id, Facebook since, Bluesky's own cursor).
  await db.schema
    .createTable('inbox_cursors')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('social_accounts.id'))
    .addColumn('cursor', 'text')
    .addColumn('polled_at', 'text')
    .addColumn('last_error', 'text')
    .execute();

  // Replies sent from the inbox.
  await db.schema
    .createTable('inbox_replies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('inbox_items.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('saved_reply_id', 'text')
    .addColumn('sent_by', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .execute();
  await db.schema.createIndex('inbox_replies_item').on('inbox_replies').column('item_id').execute();

  // The rules the classifier applies, editable by the social media editor group; seeded from the defaults.
  await db.schema
    .createTable('moderation_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    // JSON: words, patterns, near, unless and within, as src/moderation/rules.ts defines a rule.
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('people.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('saved_replies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Notatpligt: before any hide or delete, the item is archived in full with the guideline point applied, who
  // decided and when. Records are kept until keep_until, then deleted by the retention job.
  await db.schema
    .createTable('removal_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('inbox_items.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('social_accounts.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('item_text', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('author_handle', 'text')
    .addColumn('written_at', 'text', (c) => c.notNull())
    .addColumn('network_url', 'text')
    .addColumn('thread', 'text', (c) => c.notNull())
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('guideline', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addColumn('carried_out_at', 'text')
    .addColumn('undone_at', 'text')
    .addColumn('undone_by', 'text', (c) => c.references('people.id'))
    .addColumn('keep_until', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('removal_records_list').on('removal_records').columns(['account_id', 'decided_at']).execute();
  await db.schema.createIndex('removal_records_item').on('removal_records').column('item_id').execute();
  await db.schema.createIndex('removal_records_keep').on('removal_records').column('keep_until').execute();

  // Blocking an author: only with a written reason and a date to look at it again.
  await db.schema
    .createTable('inbox_blocks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('social_accounts.id'))
    .addColumn('author_handle', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('review_on', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addColumn('lifted_at', 'text')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['inbox_blocks', 'removal_records', 'saved_replies', 'moderation_rules', 'inbox_replies', 'inbox_cursors', 'inbox_item_categories', 'inbox_items']) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.alterTable('social_accounts').dropColumn('business_hours').execute();
}
