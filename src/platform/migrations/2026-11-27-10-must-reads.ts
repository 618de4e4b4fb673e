import type { Kysely } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Who has read and understood which must-read (I4). The key is item + person, so acknowledging twice is once and
  // the author's overview joins the audience to it by the key. It outlives an unpublication: a corrected
  // must-read that goes live again still knows who has read it.
  await db.schema
    .createTable('acknowledgements')
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('acknowledged_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('acknowledgements_pk', ['item_id', 'person_id'])
    .execute();
  await db.schema.createIndex('acknowledgements_person').on('acknowledgements').columns(['person_id', 'acknowledged_at']).execute();

  // When an item's audience was told to read it. One row per item: a re-publication tells nobody again, and the
  // reminders count their days from here.
  await db.schema
    .createTable('must_read_announcements')
    .addColumn('item_id', 'text', (c) => c.primaryKey().references('items.id').onDelete('cascade'))
    .addColumn('announced_at', 'text', (c) => c.notNull())
    .addColumn('people', 'integer', (c) => c.notNull())
    .execute();

  // Each reminder round of an item, written in the transaction that notifies those who have not acknowledged, so a
  // job that runs twice finds the round taken and reminds nobody twice.
  await db.schema
    .createTable('must_read_reminders')
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('people', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('must_read_reminders_pk', ['item_id', 'round'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('must_read_reminders').execute();
  await db.schema.dropTable('must_read_announcements').execute();
  await db.schema.dropTable('acknowledgements').execute();
}
