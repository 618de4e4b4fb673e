import { Migrator, type Migration, type MigrationResultSet } from 'kysely';
import type { Db } from './database.ts';
import * as foundation from './migrations/2026-11-26-foundation.ts';

/** Every migration, in order. Listed here rather than read from disk so a bundle or a test finds the same set. */
export const migrations: Record<string, Migration> = {
  '2026-11-26-foundation': foundation,
};

function migrator(db: Db): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  return code.startsWith('SQLITE_BUSY') || code === 'SQLITE_LOCKED';
}

/**
 * Brings the schema up to date. PostgreSQL serialises concurrent runs with Kysely's advisory lock;
 * on SQLite a second process that finds the file busy waits and tries again, and then finds nothing to do.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    let result: MigrationResultSet;
    try {
      result = await migrator(db).migrateToLatest();
    } catch (error) {
      if (isBusy(error) && attempt < 50) {
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 100));
        continue;
      }
      throw error;
    }
    if (result.error) {
      if (isBusy(result.error) && attempt < 50) {
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
