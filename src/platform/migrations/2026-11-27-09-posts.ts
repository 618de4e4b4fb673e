import type { Kysely } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // An employee's post on TønderPortalen. Who sees it lives in audience_entries (object_type 'post'); the audience
  // as the author chose it is kept here as JSON, so the edit form can show it again. A post an intranet editor
  // removed keeps its row (the author and the editors still see why); removed_* are all null or all set.
  await db.schema
    .createTable('posts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('author_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'text')
    .addColumn('removed_at', 'text')
    .addColumn('removed_by', 'text', (c) => c.references('people.id'))
    .addColumn('removed_reason', 'text')
    .execute();
  // A person's posts, newest first: their own posts in the feed, whatever the audience.
  await db.schema.createIndex('posts_author').on('posts').columns(['author_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('post_comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'text')
    .addColumn('removed_at', 'text')
    .addColumn('removed_by', 'text', (c) => c.references('people.id'))
    .addColumn('removed_reason', 'text')
    .execute();
  // A post's comments, oldest first.
  await db.schema.createIndex('post_comments_post').on('post_comments').columns(['post_id', 'created_at', 'id']).execute();

  // One reaction per person and post; reacting again with another kind replaces it.
  await db.schema
    .createTable('post_reactions')
    .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('post_reactions_pk', ['post_id', 'person_id'])
    .execute();

  // Who a post or a comment names with "@Fornavn Efternavn". source_id is the post's or the comment's id;
  // post_id is kept beside it so a post's mentions (its own and its comments') are found and deleted together.
  // notified is 1 when the person could see the post and was told.
  await db.schema
    .createTable('post_mentions')
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('notified', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('post_mentions_pk', ['source_type', 'source_id', 'person_id'])
    .execute();
  await db.schema.createIndex('post_mentions_post').on('post_mentions').columns(['post_id']).execute();
  await db.schema.createIndex('post_mentions_person').on('post_mentions').columns(['person_id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('post_mentions').execute();
  await db.schema.dropTable('post_reactions').execute();
  await db.schema.dropTable('post_comments').execute();
  await db.schema.dropTable('posts').execute();
}
