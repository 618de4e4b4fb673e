import type { Kysely } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // An institution's subsite lives at /<slug> on the main site (and may also answer on its own host name);
  // an independent website answers only on its own host name. A unit has at most one site, since content is
  // placed on a subsite by its unit.
  await db.schema
    .createTable('sites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull().unique().references('units.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('host', 'text', (c) => c.unique())
    .addColumn('intro', 'text', (c) => c.notNull())
    .addColumn('menu', 'text', (c) => c.notNull())
    .addColumn('slot_count', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('people.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // The fixed places on a front page that editors fill and order. `site_key` is 'main' or a site's id.
  await db.schema
    .createTable('front_slots')
    .addColumn('site_key', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('placed_by', 'text', (c) => c.references('people.id'))
    .addColumn('placed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('front_slots_pk', ['site_key', 'position'])
    .execute();
  await db.schema.createIndex('front_slots_item').on('front_slots').columns(['item_id']).execute();

  // How often each self-service solution is started from the website, per day: no cookie and no person,
  // only a count, so the front page can show the most used ones.
  await db.schema
    .createTable('selfservice_uses')
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('uses', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('selfservice_uses_pk', ['item_id', 'day'])
    .execute();
  await db.schema.createIndex('selfservice_uses_day').on('selfservice_uses').columns(['day', 'item_id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('selfservice_uses').execute();
  await db.schema.dropTable('front_slots').execute();
  await db.schema.dropTable('sites').execute();
}
