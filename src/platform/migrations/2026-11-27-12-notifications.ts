import { type Kysely, sql } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // One row per thing a person should hear about (a mention, a must-read, targeted news). It is mailed at once,
  // gathered into a digest or only shown on the intranet, as the person's preference for its kind says.
  // source_key makes a repeated notify() a no-op: "mention:<comment-id>", "must_read:<item-id>" ….
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source_key', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addColumn('mailed_at', 'text')
    .addUniqueConstraint('notifications_source', ['person_id', 'source_key'])
    .execute();
  // The reader's list (newest first) and the unread count in the header.
  await db.schema.createIndex('notifications_person').on('notifications').columns(['person_id', 'created_at']).execute();
  await db.schema.createIndex('notifications_unread').on('notifications').columns(['person_id', 'read_at']).execute();
  // A digest run reads what is unmailed up to its time. Only unmailed rows are in the index, so marking a row mailed
  // takes it out rather than moving it, and the index stays the size of what is waiting.
  await db.schema
    .createIndex('notifications_unmailed')
    .on('notifications')
    .column('created_at')
    .where(sql.ref('mailed_at'), 'is', null)
    .execute();
  // The mail sent at once reads one source's rows; targeted news checks whether its source was told before.
  await db.schema.createIndex('notifications_by_source').on('notifications').column('source_key').execute();

  // How a person wants each kind: 'now', 'daily', 'weekly' or 'off'. No row means the kind's default.
  await db.schema
    .createTable('notification_preferences')
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_preferences_pk', ['person_id', 'kind'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notification_preferences').execute();
  await db.schema.dropTable('notifications').execute();
}
