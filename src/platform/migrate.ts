import { Migrator, type Migration, type MigrationResultSet } from 'kysely';
import type { Db } from './database.ts';
import * as foundation from './migrations/2026-11-26-01-foundation.ts';
import * as content from './migrations/2026-11-26-02-content.ts';
import * as contentIndexes from './migrations/2026-11-26-03-content-indexes.ts';
import * as sites from './migrations/2026-11-26-04-sites.ts';
import * as search from './migrations/2026-11-26-05-search.ts';
import * as borgerdk from './migrations/2026-11-26-06-borgerdk.ts';
import * as audiences from './migrations/2026-11-27-07-audiences.ts';
import * as saml from './migrations/2026-11-27-08-saml.ts';
import * as posts from './migrations/2026-11-27-09-posts.ts';
import * as mustReads from './migrations/2026-11-27-10-must-reads.ts';
import * as tools from './migrations/2026-11-27-11-tools.ts';
import * as notifications from './migrations/2026-11-27-12-notifications.ts';
import * as social from './migrations/2026-11-27-13-social.ts';
import * as inbox from './migrations/2026-11-27-14-inbox.ts';
import * as responseTimes from './migrations/2026-11-27-15-response-times.ts';
import * as networkBlocks from './migrations/2026-11-27-16-network-blocks.ts';

/** Every migration, in order. Listed here rather than read from disk so a bundle or a test finds the same set. */
export const migrations: Record<string, Migration> = {
  '2026-11-26-01-foundation': foundation,
  '2026-11-26-02-content': content,
  '2026-11-26-03-content-indexes': contentIndexes,
  '2026-11-26-04-sites': sites,
  '2026-11-26-05-search': search,
  '2026-11-26-06-borgerdk': borgerdk,
  '2026-11-27-07-audiences': audiences,
  '2026-11-27-08-saml': saml,
  '2026-11-27-09-posts': posts,
  '2026-11-27-10-must-reads': mustReads,
  '2026-11-27-11-tools': tools,
  '2026-11-27-12-notifications': notifications,
  '2026-11-27-13-social': social,
  '2026-11-27-14-inbox': inbox,
  '2026-11-27-15-response-times': responseTimes,
  '2026-11-27-16-network-blocks': networkBlocks,
};

function migrator(db: Db): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
}

/**
 * SQLite's losing process either finds the file busy or, having read before the winner committed,
 * trips over a table the winner just made. Its transaction rolled back whole; trying again finds nothing to do.
 */
function lostSqliteRace(error: unknown): boolean {
  const { code = '', message = '' } = (error as { code?: string; message?: string } | undefined) ?? {};
  return code.startsWith('SQLITE_BUSY') || code === 'SQLITE_LOCKED' || (code === 'SQLITE_ERROR' && /already exists/.test(message));
}

/**
 * Brings the schema up to date. PostgreSQL serialises concurrent runs with Kysely's advisory lock;
 * on SQLite the process that loses the race waits and tries again.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    let result: MigrationResultSet;
    try {
      result = await migrator(db).migrateToLatest();
    } catch (error) {
      if (lostSqliteRace(error) && attempt < 50) {
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 100));
        continue;
      }
      throw error;
    }
    if (result.error) {
      if (lostSqliteRace(result.error) && attempt < 50) {
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 100));
        continue;
      }
      throw result.error;
    }
    return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }
}

export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}
