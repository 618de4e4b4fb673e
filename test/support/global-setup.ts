import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { seedDemo } from '../../src/demo/seed.ts';
import { createDb } from '../../src/platform/db.ts';
import { migrateToLatest } from '../../src/platform/migrate.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Browser tests are part of the suite: without Chromium the run fails and says how to get it. */
export function checkChromium(executable: string): void {
  if (!fs.existsSync(executable)) {
    throw new Error(
      `Chromium blev ikke fundet på ${executable}. Browsertestene kræver Debians Chromium: ` +
        `kør "apt-get update && apt-get install -y chromium" (eller sæt CHROMIUM_PATH) og kør npm test igen.`,
    );
  }
}

/** Seeds the demo municipality once per run, on each database the run uses; test files start from copies. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  checkChromium(CHROMIUM);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-template-'));
  const sqliteFile = path.join(dir, 'demo.sqlite');
  const sqlite = createDb({ dialect: 'sqlite', file: sqliteFile });
  await migrateToLatest(sqlite);
  await seedDemo(sqlite);
  await sqlite.destroy();

  const base = process.env.TEST_DATABASE_URL;
  let postgresName: string | null = null;
  if (base) {
    postgresName = `mh_template_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${postgresName}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${postgresName}`;
    const db = createDb({ dialect: 'postgres', url: url.toString() });
    await migrateToLatest(db);
    await seedDemo(db);
    await db.destroy();
  }
  project.provide('demoTemplates', { sqliteFile, postgresName });
  return async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (base && postgresName) {
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`drop database if exists ${postgresName} with (force)`);
      await admin.end();
    }
  };
}
