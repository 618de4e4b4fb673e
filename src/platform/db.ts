import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseSettings } from './config.ts';
import type { Database, Db } from './database.ts';

export type Dialect = DatabaseSettings['dialect'];

export function createDb(settings: DatabaseSettings): Db {
  let db: Db;
  if (settings.dialect === 'sqlite') {
    fs.mkdirSync(path.dirname(settings.file), { recursive: true });
    const sqlite = new SQLite(settings.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  } else {
    // Short OLTP queries: PostgreSQL's JIT compiler costs more than it saves on them.
    const pool = new pg.Pool({ connectionString: settings.url, max: 10, options: '-c jit=off' });
    // A lost connection in the pool must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  return db;
}

/** Works for a transaction too, since it shares the executor's adapter. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
