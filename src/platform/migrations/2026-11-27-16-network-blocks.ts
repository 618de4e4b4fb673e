import type { Kysely } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Blocking on the network itself (Mastodon, Bluesky): when the network last carried out the block (null: not
  // carried out, or lifted there), and the Danish message of the last failure (null when the network did as asked).
  await db.schema.alterTable('inbox_blocks').addColumn('network_blocked_at', 'text').execute();
  await db.schema.alterTable('inbox_blocks').addColumn('network_note', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('inbox_blocks').dropColumn('network_note').execute();
  await db.schema.alterTable('inbox_blocks').dropColumn('network_blocked_at').execute();
}
