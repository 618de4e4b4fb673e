import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dialects, freshDatabaseSettings } from '../../test/support/databases.ts';
import { seedDemo } from '../demo/seed.ts';
import type { DatabaseSettings } from '../platform/config.ts';
import { createDb } from '../platform/db.ts';
import { migrateToLatest } from '../platform/migrate.ts';
import { searchSites } from './service.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The real command line in a child process, told only where the database is. */
function mediehus(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'MEDIEHUS_DATA_DIR', 'NODE_ENV', 'MEDIEHUS_DEMO']) delete childEnv[name];
  Object.assign(childEnv, env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/mediehus.js'), ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each(dialects)('mediehus search reindex on %s', (dialect) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('rebuilds an emptied search index from the published content and says how much can be found', async () => {
    let settings: DatabaseSettings;
    let env: Record<string, string>;
    if (dialect === 'sqlite') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-search-cli-'));
      cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
      settings = { dialect, file: path.join(dir, 'mediehus.sqlite') };
      env = { MEDIEHUS_DATA_DIR: dir };
    } else {
      const fresh = await freshDatabaseSettings(dialect);
      cleanups.push(fresh.drop);
      settings = fresh.settings;
      env = { DATABASE_URL: fresh.settings.dialect === 'postgres' ? fresh.settings.url : '' };
    }
    const db = createDb(settings);
    cleanups.push(async () => db.destroy());
    await migrateToLatest(db);
    await seedDemo(db);
    await db.deleteFrom('search_entries').execute();
    expect((await searchSites(db, { q: 'flytning' })).total).toBe(0);

    const result = await mediehus(['search', 'reindex'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Søgeindekset er bygget forfra: \d+ sider kan findes \(\d+\.\d s\)\.\n$/);
    expect((await searchSites(db, { q: 'flytning' })).total).toBe(2);

    const help = await mediehus(['search', '--help'], env);
    expect(help.stdout).toContain('reindex');
    expect(help.stdout).toContain('Vis hjælp til kommandoen.');
  }, 60_000);
});
