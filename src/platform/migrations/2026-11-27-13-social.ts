import { type Kysely, sql } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // The registry of the municipality's accounts on Facebook, X, Mastodon and Bluesky (S1, S6). The token is kept
  // encrypted (AES-256-GCM, key from configuration) and is never shown back; api_base is where the network's API
  // lives for this account ("demo:<network>" points at the demo networks in demo mode).
  await db.schema
    .createTable('social_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('network', 'text', (c) => c.notNull())
    .addColumn('handle', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('editor_group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('adviser_group_id', 'text', (c) => c.references('groups.id'))
    .addColumn('requires_approval', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('api_base', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('token_sealed', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_note', 'text')
    .addColumn('connected_at', 'text')
    .addColumn('connected_by', 'text', (c) => c.references('people.id'))
    // Set from a network's 429 answer: nothing is sent for the account before this time.
    .addColumn('rate_limited_until', 'text')
    // One sender per account at a time (a lease, so a dead worker's claim runs out).
    .addColumn('sending_until', 'text')
    .addColumn('sending_by', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('social_accounts_handle', ['network', 'handle'])
    .execute();

  // One post to one account. Composing for three accounts makes three rows sharing a batch_id.
  await db.schema
    .createTable('social_posts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('social_accounts.id'))
    .addColumn('item_id', 'text', (c) => c.references('items.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('link_url', 'text')
    .addColumn('media_id', 'text', (c) => c.references('media.id'))
    .addColumn('image_alt', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('scheduled_at', 'text', (c) => c.notNull())
    // When the sender may try it (next): scheduled_at at first, later the retry time.
    .addColumn('next_attempt_at', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('approved_by', 'text', (c) => c.references('people.id'))
    .addColumn('approved_at', 'text')
    .addColumn('external_id', 'text')
    .addColumn('external_url', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('error_kind', 'text')
    .addColumn('last_error', 'text')
    .execute();
  // The sender's question: which posts of this account are due now?
  await db.schema
    .createIndex('social_posts_due')
    .on('social_posts')
    .columns(['account_id', 'next_attempt_at'])
    .where(sql<boolean>`state in ('scheduled', 'sending')`)
    .execute();
  // The calendar per account, and the list per batch.
  await db.schema.createIndex('social_posts_calendar').on('social_posts').columns(['account_id', 'scheduled_at']).execute();
  await db.schema.createIndex('social_posts_batch').on('social_posts').column('batch_id').execute();
  await db.schema.createIndex('social_posts_item').on('social_posts').column('item_id').execute();

  // Every attempt is written before the network is called. An attempt without an outcome (or "unknown", after a
  // timeout) may have got through: the next try first reads the account's recent posts.
  await db.schema
    .createTable('social_post_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull().references('social_posts.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('outcome', 'text')
    .addColumn('detail', 'text')
    .addUniqueConstraint('social_post_attempts_number', ['post_id', 'number'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('social_post_attempts').execute();
  await db.schema.dropTable('social_posts').execute();
  await db.schema.dropTable('social_accounts').execute();
}
