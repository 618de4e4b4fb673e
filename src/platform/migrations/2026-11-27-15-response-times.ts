import { type Kysely, sql } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Response times (S2): the questions an account was asked in a period, with the columns the figures need, so the
  // dashboard and the weekly summary read one index range per account and never the items themselves.
  await db.schema
    .createIndex('inbox_items_questions')
    .on('inbox_items')
    .columns(['account_id', 'written_at', 'answered_at', 'answer_due_at'])
    .where(sql<boolean>`answer_due_at is not null`)
    .execute();

  // The weekly response-time summary: one row per person and week (the Monday's date), written before the mail is
  // sent, so a job that runs twice mails each person once.
  await db.schema
    .createTable('inbox_weekly_summaries')
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('week', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('inbox_weekly_summaries_pk', ['person_id', 'week'])
    .execute();

  // The blocks in force on an account, for the "Blokeret afsender" tag on every inbox page; at most one per author.
  await db.schema.createIndex('inbox_blocks_active').unique().on('inbox_blocks').columns(['account_id', 'author_handle']).where(sql<boolean>`lifted_at is null`).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('inbox_blocks_active').execute();
  await db.schema.dropTable('inbox_weekly_summaries').execute();
  await db.schema.dropIndex('inbox_items_questions').execute();
}
