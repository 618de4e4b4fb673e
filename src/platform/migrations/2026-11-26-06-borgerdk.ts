import type { Kysely } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Articles imported from borger.dk's article export. A row exists from the moment an editor imports the id;
  // its text arrives with the first good fetch and stays until a later good fetch replaces it, so a failing
  // service never empties a page. `parts` is the sanitised content split into self-service links,
  // micro-articles, legislation, recommendation and byline (JSON).
  await db.schema
    .createTable('borgerdk_articles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'integer', (c) => c.notNull().unique())
    .addColumn('title', 'text')
    .addColumn('header', 'text')
    .addColumn('url', 'text')
    .addColumn('published_at', 'text')
    .addColumn('last_updated_at', 'text')
    .addColumn('content', 'text')
    .addColumn('parts', 'text')
    .addColumn('content_hash', 'text')
    .addColumn('fetched_at', 'text')
    .addColumn('last_attempt_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('imported_by', 'text', (c) => c.references('people.id'))
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('borgerdk_articles').execute();
}
