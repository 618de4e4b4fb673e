// A database of the bench's own, gone afterwards: a temporary SQLite file, or a new PostgreSQL database on a server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseSettings } from '../../src/platform/config.ts';

export async function withSqlite<T>(name: string, use: (settings: DatabaseSettings & { dialect: 'sqlite' }) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mediehus-bench-${name}-`));
  try {
    return await use({ dialect: 'sqlite', file: path.join(dir, 'bench.sqlite') });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `base` names a server and a database to connect to while creating and dropping the bench's own. */
export async function withPostgres<T>(base: string, use: (settings: DatabaseSettings & { dialect: 'postgres' }) => Promise<T>): Promise<T> {
  const name = `mh_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  try {
    const url = new URL(base);
    url.pathname = `/${name}`;
    return await use({ dialect: 'postgres', url: url.toString() });
  } finally {
    await admin(`drop database if exists ${name} with (force)`);
  }
}
