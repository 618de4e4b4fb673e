import type { Kysely } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // A link to a work system in the tool directory. Who sees it lives in audience_entries (object_type 'tool',
  // category 'tool', sorted by its name); the audience as the editor chose it is kept here as JSON, so the edit form
  // can show it again and a deactivated tool, which has no audience entries, can be activated with its old audience.
  await db.schema
    .createTable('tools')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // A person's own pins, shown first in their order (position, lowest first).
  await db.schema
    .createTable('tool_pins')
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('tool_id', 'text', (c) => c.notNull().references('tools.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tool_pins_pk', ['person_id', 'tool_id'])
    .execute();

  // The directory of people browses active people by name a page at a time (LIMIT), and by first letter.
  await db.schema.createIndex('people_directory').on('people').columns(['active', 'name']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('people_directory').execute();
  await db.schema.dropTable('tool_pins').execute();
  await db.schema.dropTable('tools').execute();
}
