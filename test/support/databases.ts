import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseSettings } from '../../src/platform/config.ts';
import type { Db } from '../../src/platform/database.ts';
import { createDb } from '../../src/platform/db.ts';
import type { Dialect } from '../../src/platform/db.ts';
import { migrateToLatest } from '../../src/platform/migrate.ts';
import { inject } from 'vitest';

/** SQLite always; PostgreSQL as well when TEST_DATABASE_URL points at a server. */
export const dialects: Dialect[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase {
  settings: DatabaseSettings;
  db: Db;
  destroy(): Promise<void>;
}

/** A new, empty database of its own: a temporary SQLite file, or a fresh PostgreSQL database. */
export async function freshDatabaseSettings(dialect: Dialect): Promise<{ settings: DatabaseSettings; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-test-'));
    return { settings: { dialect, file: path.join(dir, 'test.sqlite') }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `mh_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    settings: { dialect, url: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function createTestDatabase(dialect: Dialect, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const { settings, drop } = await freshDatabaseSettings(dialect);
  const db = createDb(settings);
  if (options.migrate !== false) await migrateToLatest(db);
  return {
    settings,
    db,
    destroy: async () => {
      await db.destroy();
      await drop();
    },
  };
}

/** Where global-setup.ts left the demo municipality, seeded once for the whole run. */
export interface DemoTemplates {
  sqliteFile: string;
  postgresName: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    demoTemplates: DemoTemplates;
  }
}

/**
 * A database of its own with the demo municipality in it, copied from the one seeded at the start of the run
 * (a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL), so a test file does not pay for seeding.
 */
export async function createSeededDatabase(dialect: Dialect): Promise<TestDatabase> {
  const templates = inject('demoTemplates');
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-test-'));
    const file = path.join(dir, 'test.sqlite');
    fs.copyFileSync(templates.sqliteFile, file);
    const settings: DatabaseSettings = { dialect, file };
    const db = createDb(settings);
    return { settings, db, destroy: async () => { await db.destroy(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base || !templates.postgresName) throw new Error('TEST_DATABASE_URL is not set');
  const name = `mh_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${templates.postgresName}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const settings: DatabaseSettings = { dialect, url: url.toString() };
  const db = createDb(settings);
  return {
    settings,
    db,
    destroy: async () => {
      await db.destroy();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
