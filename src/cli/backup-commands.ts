import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Command } from 'commander';
import { loadConfig } from '../platform/config.ts';
import { migrations } from '../platform/migrate.ts';
import { exitWith } from './support.ts';

const POSTGRES_EXPLANATION = `Mediehus bruger PostgreSQL (DATABASE_URL), og her tager og gendanner Mediehus ikke selv sikkerhedskopier:
brug PostgreSQL's egne værktøjer, som kender alle databasens detaljer.

  Sikkerhedskopi (kan tages, mens Mediehus kører):
    pg_dump -Fc "$DATABASE_URL" -f mediehus.dump

  Gendannelse (stop Mediehus først):
    pg_restore --clean -d "$DATABASE_URL" mediehus.dump

Brug pg_dump og pg_restore i samme hovedversion som databaseserveren (eller nyere).`;

function explainPostgres(): never {
  console.error(POSTGRES_EXPLANATION);
  exitWith(2);
}

const SQLITE_HEADER = 'SQLite format 3\0';

function hasSqliteHeader(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    const read = fs.readSync(fd, header, 0, header.length, 0);
    return read === header.length && header.toString('latin1') === SQLITE_HEADER;
  } finally {
    fs.closeSync(fd);
  }
}

function removeQuietly(file: string): void {
  fs.rmSync(file, { force: true });
}

const companions = (file: string) => [`${file}-wal`, `${file}-shm`, `${file}-journal`];

const temporaryBeside = (file: string, purpose: string) => path.join(path.dirname(file), `.${path.basename(file)}.${purpose}-${process.pid}`);

function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;
}

async function backup(target: string, options: { force?: boolean }): Promise<void> {
  const config = loadConfig();
  if (config.database.dialect === 'postgres') explainPostgres();
  const source = config.database.file;
  const destination = path.resolve(target);
  if (!fs.existsSync(source)) throw new Error(`Der er ingen database at tage en sikkerhedskopi af i ${source}.`);
  if ([source, ...companions(source)].includes(destination)) throw new Error('Sikkerhedskopien kan ikke skrives oven i selve databasen. Vælg en anden fil.');
  if (fs.existsSync(destination) && !options.force) throw new Error(`${destination} findes allerede. Vælg et andet filnavn, eller brug --force for at overskrive den.`);

  fs.mkdirSync(path.dirname(destination), { recursive: true });
  // Written beside the destination and renamed into place, so an interrupted backup never leaves a half file under the real name.
  const partial = temporaryBeside(destination, 'backup');
  removeQuietly(partial);
  // Opened read-write although it only reads: as the last connection to a stopped database, closing
  // then checkpoints and removes the -wal/-shm files rather than leaving them owned by whoever ran the backup.
  const live = new SQLite(source, { fileMustExist: true });
  try {
    live.pragma('busy_timeout = 5000');
    // SQLite's online backup API copies a consistent snapshot page by page while the server keeps writing.
    await live.backup(partial);
  } catch (error) {
    removeQuietly(partial);
    throw new Error(`Sikkerhedskopien kunne ikke tages: ${(error as Error).message}`);
  } finally {
    live.close();
  }

  const copy = new SQLite(partial, { fileMustExist: true });
  let people: number;
  try {
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`kontrollen af kopien fejlede (${String(check)})`);
    people = (copy.prepare('select count(*) as n from people').get() as { n: number }).n;
  } catch (error) {
    copy.close();
    removeQuietly(partial);
    throw new Error(`Sikkerhedskopien kunne ikke tages: ${(error as Error).message}`);
  }
  copy.close();
  for (const file of companions(destination)) removeQuietly(file);
  fs.renameSync(partial, destination);
  console.log(`Sikkerhedskopi gemt i ${destination} (${formatSize(fs.statSync(destination).size)}, ${people} personer).`);
}

/** Checks that a copied database is Mediehus's, and one this version of Mediehus can run; returns what is wrong, if anything. */
function mediehusProblem(file: string): { problem: string | null; pending: string[] } {
  let db: SQLite.Database;
  try {
    db = new SQLite(file, { fileMustExist: true });
  } catch (error) {
    return { problem: `filen kan ikke åbnes som SQLite-database (${(error as Error).message})`, pending: [] };
  }
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') return { problem: `databasen er beskadiget (${String(check)})`, pending: [] };
    const hasMigrations = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'schema_migrations'").get();
    if (!hasMigrations) return { problem: 'filen er en SQLite-database, men ikke en Mediehus-database (tabellen schema_migrations mangler)', pending: [] };
    const applied = (db.prepare('select name from schema_migrations').all() as { name: string }[]).map((r) => r.name);
    const unknown = applied.filter((name) => !(name in migrations));
    if (unknown.length) {
      return { problem: `sikkerhedskopien er fra en nyere version af Mediehus (ukendt migrering: ${unknown.join(', ')}). Opdatér Mediehus først`, pending: [] };
    }
    return { problem: null, pending: Object.keys(migrations).filter((name) => !applied.includes(name)) };
  } catch (error) {
    return { problem: `filen kan ikke læses som SQLite-database (${(error as Error).message})`, pending: [] };
  } finally {
    db.close();
  }
}

async function restore(file: string, options: { force?: boolean }): Promise<void> {
  const config = loadConfig();
  if (config.database.dialect === 'postgres') explainPostgres();
  const source = path.resolve(file);
  const target = config.database.file;
  if (!fs.existsSync(source) || !fs.statSync(source).isFile()) throw new Error(`Filen ${source} findes ikke.`);
  if (source === target) throw new Error('Filen er selve databasen; der er intet at gendanne.');
  if (!hasSqliteHeader(source)) throw new Error(`${source} kan ikke gendannes: filen er ikke en SQLite-database.`);
  // Only the main file is restored; committed changes still waiting in a -wal file beside it would be lost.
  const sourceWal = `${source}-wal`;
  if (fs.existsSync(sourceWal) && fs.statSync(sourceWal).size > 0) {
    throw new Error(`${source} ser ud til at være en database i brug (${sourceWal} er ikke tom). Tag en kopi med "mediehus backup", og gendan den i stedet.`);
  }

  const targetDir = path.dirname(target);
  const createdDir = !fs.existsSync(targetDir);
  fs.mkdirSync(targetDir, { recursive: true });
  // Checked on a copy beside the target: opening the source itself could leave -wal/-shm files next to it,
  // and the copy is then renamed into place in one step.
  const incoming = temporaryBeside(target, 'restore');
  const discard = () => {
    for (const f of [incoming, ...companions(incoming)]) removeQuietly(f);
    if (createdDir) {
      try {
        fs.rmdirSync(targetDir);
      } catch {
        // Something else has been put there meanwhile; it is not ours to remove.
      }
    }
  };
  try {
    fs.copyFileSync(source, incoming);
  } catch (error) {
    discard();
    throw new Error(`Filen kunne ikke kopieres: ${(error as Error).message}`);
  }
  const { problem, pending } = mediehusProblem(incoming);
  if (problem) {
    discard();
    throw new Error(`${source} kan ikke gendannes: ${problem}.`);
  }
  if (fs.existsSync(target) && !options.force) {
    discard();
    throw new Error(
      `Der findes allerede en database i ${target}. Stop Mediehus-serveren først, og kør så kommandoen igen med --force for at erstatte databasen med sikkerhedskopien.`,
    );
  }
  // The old database's -wal file would otherwise be replayed into the restored one.
  for (const f of companions(target)) removeQuietly(f);
  fs.renameSync(incoming, target);
  console.log(`Databasen ${target} er gendannet fra ${source}.`);
  if (pending.length) console.log(`Sikkerhedskopien er fra en ældre version; skemaet opdateres, når serveren starter (eller med "mediehus migrate").`);
}

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description(
      'Tag en sikkerhedskopi af SQLite-databasen, også mens serveren kører. Med PostgreSQL forklares i stedet, hvordan pg_dump bruges.',
    )
    .argument('<fil>', 'filen, sikkerhedskopien skrives til')
    .option('--force', 'overskriv filen, hvis den allerede findes')
    .action(backup);

  program
    .command('restore')
    .description(
      'Gendan SQLite-databasen fra en sikkerhedskopi. Stop serveren først. Med PostgreSQL forklares i stedet, hvordan pg_restore bruges.',
    )
    .argument('<fil>', 'sikkerhedskopien, der skal gendannes')
    .option('--force', 'erstat den eksisterende database (serveren skal være stoppet)')
    .action(restore);
}
