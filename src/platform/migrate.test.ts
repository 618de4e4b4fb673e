import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, freshDatabaseSettings } from '../../test/support/databases.ts';
import { createDb } from './db.ts';
import { migrateToLatest, migrations, pendingMigrations } from './migrate.ts';

describe.each(dialects)('migrations (%s)', (dialect) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it('a new database is brought up to date and a second run finds nothing to do', async () => {
    const t = await createTestDatabase(dialect, { migrate: false });
    cleanups.push(t.destroy);
    expect(await pendingMigrations(t.db)).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(t.db)).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(t.db)).toEqual([]);
    expect(await pendingMigrations(t.db)).toEqual([]);
  });

  it('two processes starting together migrate once between them', async () => {
    const { settings, drop } = await freshDatabaseSettings(dialect);
    const a = createDb(settings);
    const b = createDb(settings);
    cleanups.push(async () => {
      await a.destroy();
      await b.destroy();
      await drop();
    });
    const [ranA, ranB] = await Promise.all([migrateToLatest(a), migrateToLatest(b)]);
    expect([...ranA, ...ranB]).toEqual(Object.keys(migrations));
    const rows = await sql<{ n: number }>`select count(*) as n from schema_migrations`.execute(a);
    expect(Number(rows.rows[0]?.n)).toBe(Object.keys(migrations).length);
  });
});
