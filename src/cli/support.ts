import fs from 'node:fs';
import { CommanderError } from 'commander';
import { loadConfig, type Config, type DatabaseSettings } from '../platform/config.ts';
import type { Db } from '../platform/database.ts';
import { createDb } from '../platform/db.ts';
import { AppError, ValidationError } from '../platform/errors.ts';
import { pendingMigrations } from '../platform/migrate.ts';

/**
 * Ends a command with `code` once it has printed its own explanation.
 * main.ts exits on a CommanderError without printing anything more, so nothing is said twice.
 */
export function exitWith(code: number): never {
  throw new CommanderError(code, 'mediehus.exit', '');
}

/** Where the database is, for messages: never the PostgreSQL URL itself, since it may hold a password. */
export function describeDatabase(settings: DatabaseSettings): string {
  if (settings.dialect === 'sqlite') return settings.file;
  try {
    const url = new URL(settings.url);
    return `PostgreSQL på ${url.host}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

/**
 * Opens the configured database for a command that works on existing data.
 * A mistyped MEDIEHUS_DATA_DIR would otherwise silently create an empty database file,
 * and an unmigrated one would fail with an English "no such table".
 */
export async function openDatabase(config: Config): Promise<Db> {
  const settings = config.database;
  if (settings.dialect === 'sqlite' && !fs.existsSync(settings.file)) {
    throw new Error(`Der findes ingen database i ${settings.file}. Kør "mediehus migrate" (og evt. "mediehus seed-demo") først, eller tjek MEDIEHUS_DATA_DIR.`);
  }
  const db = createDb(settings);
  let pending: string[];
  try {
    pending = await pendingMigrations(db);
  } catch (error) {
    await db.destroy();
    throw new Error(`Kan ikke åbne databasen (${describeDatabase(settings)}): ${(error as Error).message}`);
  }
  if (pending.length) {
    await db.destroy();
    throw new Error(`Databasen er ikke opdateret (mangler ${pending.join(', ')}). Kør "mediehus migrate" først.`);
  }
  return db;
}

/** Runs `work` with the configured database and always closes it, so the process can exit. */
export async function withDatabase<T>(work: (db: Db, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    return await work(db, config);
  } finally {
    await db.destroy();
  }
}

/**
 * Renames the fields of a validation error from the service's names to the command's option names,
 * so "Fejl i unit: …" points at the option to correct. A form-wide message becomes a plain error.
 */
export function renameFields(error: unknown, names: Record<string, string>): unknown {
  if (!(error instanceof AppError) || !Object.keys(error.fields).length) return error;
  const { _form: formMessage, ...rest } = error.fields;
  if (formMessage && !Object.keys(rest).length) return new Error(formMessage);
  const renamed: Record<string, string> = {};
  for (const [field, message] of Object.entries(error.fields)) {
    if (field === '_form') continue;
    renamed[names[field] ?? field] = message;
  }
  return new ValidationError(renamed, error.message);
}
