import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import argon2 from 'argon2';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSeededDatabase, dialects, freshDatabaseSettings } from '../../test/support/databases.ts';
import type { DatabaseSettings } from '../platform/config.ts';
import type { Db } from '../platform/database.ts';
import { createDb, type Dialect } from '../platform/db.ts';
import { startSession } from '../signin/sessions.ts';
import { migrations } from '../platform/migrate.ts';

// Every test here starts the program as a child process, which takes seconds on a machine busy with the rest of the suite.
vi.setConfig({ testTimeout: 90_000 });

// The real command line in a child process, as an operator runs it: each start costs about half a second,
// so most tests share one seeded database and run independent commands side by side.

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/mediehus.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertions that do not care which one a line went to. */
  output: string;
}

function run(args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Only what the test sets may choose the database or the mode.
  for (const name of ['DATABASE_URL', 'MEDIEHUS_DATA_DIR', 'NODE_ENV', 'MEDIEHUS_DEMO']) delete env[name];
  Object.assign(env, options.env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, output: stdout + stderr }));
    child.stdin.end(options.input ?? '');
  });
}

interface Target {
  /** What the command line is given to find this database. */
  env: Record<string, string>;
  settings: DatabaseSettings;
  drop(): Promise<void>;
}

async function freshTarget(dialect: Dialect): Promise<Target> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-cli-'));
    return {
      env: { MEDIEHUS_DATA_DIR: dir },
      settings: { dialect, file: path.join(dir, 'mediehus.sqlite') },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const { settings, drop } = await freshDatabaseSettings(dialect);
  if (settings.dialect !== 'postgres') throw new Error('expected PostgreSQL settings');
  return { env: { DATABASE_URL: settings.url }, settings, drop };
}

const scratchDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-cli-'));

describe('the mediehus command line', () => {
  // Fourteen processes that each load the whole program at once: slow on a busy machine, so it gets more time.
  it('prints Danish help for every command, listing its options', async () => {
    const expectations: [string[], string[]][] = [
      [[], ['serve', 'migrate', 'seed-demo', 'user', 'backup', 'restore', 'audit', 'Kommandoer:']],
      [['serve'], ['Start Mediehus']],
      [['migrate'], ['skema']],
      [['seed-demo'], ['demo-kommunen']],
      [['user'], ['add', 'list', 'disable', 'enable', 'set-password']],
      [['user', 'add'], ['--email <email>', '--name <navn>', '--role <rolle>', '--level <niveau>', '--unit <slug>', '--title', '--phone', '--password-stdin']],
      [['user', 'list'], ['--unit <slug>', '--role <rolle>', '--all']],
      [['user', 'disable'], ['<email>', 'Deaktivér']],
      [['user', 'enable'], ['<email>', 'Genaktivér']],
      [['user', 'set-password'], ['<email>', 'standard-input']],
      [['backup'], ['<fil>', '--force', 'pg_dump']],
      [['restore'], ['<fil>', '--force', 'pg_restore', 'Stop serveren']],
      [['audit'], ['verify']],
      [['audit', 'verify'], ['revisionsloggen']],
    ];
    const runs = await Promise.all(expectations.map(([command]) => run([...command, '--help'])));
    runs.forEach((result, i) => {
      const [command, expected] = expectations[i]!;
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.stdout).toContain(`Brug: mediehus ${command.join(' ')}`.trim());
      expect(result.stdout).toContain('Vis hjælp til kommandoen.');
      for (const text of expected) expect(result.stdout, command.join(' ')).toContain(text);
    });
  }, 120_000);

  it('answers an unknown option in Danish, without a stack trace', async () => {
    const result = await run(['user', 'list', '--bogus']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Fejl: ukendt tilvalg '--bogus'");
    expect(result.stderr).not.toMatch(/error:|\bat .*\.ts:\d+/);
  });
});

describe.each(dialects)('the mediehus command line on %s', (dialect) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** A new database with the demo municipality, copied from the one seeded for the whole run. */
  async function seededTarget(): Promise<Target & { db: Db }> {
    const seeded = await createSeededDatabase(dialect);
    cleanups.push(seeded.destroy);
    const env = seeded.settings.dialect === 'sqlite' ? { DATABASE_URL: `sqlite:${seeded.settings.file}` } : { DATABASE_URL: seeded.settings.url };
    return { env, settings: seeded.settings, drop: seeded.destroy, db: seeded.db };
  }

  let shared: Target & { db: Db };
  beforeAll(async () => {
    shared = await seededTarget();
  });
  const cli = (args: string[], options: { input?: string; env?: Record<string, string> } = {}) => run(args, { input: options.input, env: { ...shared.env, ...options.env } });
  const person = (email: string) => shared.db.selectFrom('people').selectAll().where('email', '=', email).executeTakeFirst();
  const countOf = async (table: 'people' | 'audit_log') => Number((await shared.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('migrate, then seed-demo, then seed-demo again lays the demo municipality in exactly once', async () => {
    const target = await freshTarget(dialect);
    cleanups.push(target.drop);

    const migrate = await run(['migrate'], { env: target.env });
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toContain(`Kørte ${Object.keys(migrations).length} migrering(er)`);

    const first = await run(['seed-demo'], { env: target.env });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Demo-kommunen er lagt ind.');

    const second = await run(['seed-demo'], { env: target.env });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Demo-kommunen findes allerede; intet er ændret.');
  });

  it('user add creates a person with a password from stdin, who then appears in user list', async () => {
    const password = 'korrekt-hest-batteri-hæfteklamme';
    const added = await cli(
      ['user', 'add', '--email', 'Birthe.Bog@Toender.dk', '--name', 'Birthe Bog', '--role', 'manager', '--level', 'first_line', '--unit', 'biblioteket', '--unit', 'kultur-og-fritid', '--password-stdin'],
      { input: `${password}\n` },
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Birthe Bog <birthe.bog@toender.dk> er oprettet med adgangskode.');

    const row = await person('birthe.bog@toender.dk');
    expect(row).toMatchObject({ name: 'Birthe Bog', job_role: 'manager', leadership_level: 'first_line', active: 1 });
    expect(await argon2.verify(row!.password_hash!, password)).toBe(true);
    const entry = await shared.db.selectFrom('audit_log').selectAll().where('object_id', '=', row!.id).executeTakeFirst();
    expect(entry).toMatchObject({ action: 'person.created', actor_label: 'cli' });

    const listed = await cli(['user', 'list', '--unit', 'biblioteket']);
    expect(listed.code).toBe(0);
    const line = listed.stdout.split('\n').find((l) => l.startsWith('birthe.bog@toender.dk'));
    expect(line).toMatch(/^birthe\.bog@toender\.dk\s+Birthe Bog\s+manager \(first_line\)\s+biblioteket, kultur-og-fritid\s+ja$/);
    expect(listed.stdout).toMatch(/^E-mail\s+Navn\s+Rolle\s+Enheder\s+Aktiv$/m);
  });

  it('user add with a bad e-mail exits 1 naming the e-mail field and creates nothing', async () => {
    const [people, entries] = [await countOf('people'), await countOf('audit_log')];
    const result = await cli(['user', 'add', '--email', 'ikke-en-adresse', '--name', 'Ole Olsen', '--unit', 'biblioteket']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Fejl i email: Skriv en gyldig e-mailadresse');
    expect(result.stderr).not.toContain('Fejl i name');
    expect([await countOf('people'), await countOf('audit_log')]).toEqual([people, entries]);
  });

  it('user add refuses an unknown unit, a missing leadership level and a short password, and creates nothing', async () => {
    const people = await countOf('people');
    const [unknownUnit, noLevel, shortPassword] = await Promise.all([
      cli(['user', 'add', '--email', 'ole@toender.dk', '--name', 'Ole Olsen', '--unit', 'findes-ikke']),
      cli(['user', 'add', '--email', 'ole@toender.dk', '--name', 'Ole Olsen', '--role', 'manager', '--unit', 'biblioteket']),
      cli(['user', 'add', '--email', 'ole@toender.dk', '--name', 'Ole Olsen', '--unit', 'biblioteket', '--password-stdin'], { input: 'kort\n' }),
    ]);
    expect([unknownUnit.code, noLevel.code, shortPassword.code]).toEqual([1, 1, 1]);
    expect(unknownUnit.stderr).toContain('Fejl i unit: Der findes ingen enhed med den korte adresse "findes-ikke".');
    expect(noLevel.stderr).toContain('Fejl i level: En leder skal have et ledelsesniveau.');
    expect(shortPassword.stderr).toContain('Fejl i adgangskode: Adgangskoden skal være mindst 12 tegn.');
    expect(await countOf('people')).toBe(people);
  });

  it('user set-password reads the password from stdin, stores a hash that verifies, signs the person out everywhere and audits it', async () => {
    const password = 'et helt nyt kodeord til Jonas';
    const jonas = (await person('web@demo.mediehus.dk'))!;
    await startSession(shared.db, jonas.id, { ip: null, userAgent: null, method: 'test' });
    const result = await cli(['user', 'set-password', 'web@demo.mediehus.dk'], { input: `${password}\n` });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Adgangskoden for Jonas Holm <web@demo.mediehus.dk> er sat, og personen er logget ud overalt.');
    expect(await shared.db.selectFrom('sessions').select('id').where('person_id', '=', jonas.id).execute()).toEqual([]);

    const row = await person('web@demo.mediehus.dk');
    expect(row!.password_hash).toMatch(/^\$argon2id\$/);
    expect(await argon2.verify(row!.password_hash!, password)).toBe(true);
    const entry = await shared.db.selectFrom('audit_log').selectAll().where('action', '=', 'person.password_set').where('object_id', '=', row!.id).executeTakeFirst();
    expect(entry).toMatchObject({ actor_label: 'cli', object_type: 'person' });
    expect(JSON.parse(entry!.details)).toEqual({ email: 'web@demo.mediehus.dk' });
  });

  it('user set-password refuses the demo password in production and leaves the old one', async () => {
    const before = (await person('app@demo.mediehus.dk'))!.password_hash;
    const result = await cli(['user', 'set-password', 'app@demo.mediehus.dk'], { input: 'demo\n', env: { NODE_ENV: 'production' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Fejl i adgangskode: Adgangskoden skal være mindst 12 tegn.');
    expect((await person('app@demo.mediehus.dk'))!.password_hash).toBe(before);
  });

  it('user disable marks the person inactive and ends their sessions, and user enable brings them back', async () => {
    const email = 'medarbejder@demo.mediehus.dk';
    const { id } = (await person(email))!;
    const now = new Date().toISOString();
    await shared.db
      .insertInto('sessions')
      .values({ id: `cli-test-${dialect}`, person_id: id, created_at: now, expires_at: now, last_seen_at: now, ip: null, user_agent: null, method: 'password' })
      .execute();

    const disabled = await cli(['user', 'disable', email]);
    expect(disabled.code).toBe(0);
    expect(disabled.stdout).toContain('er deaktiveret og logget ud overalt');
    expect((await person(email))!.active).toBe(0);
    expect(await shared.db.selectFrom('sessions').select('id').where('person_id', '=', id).execute()).toEqual([]);

    const [activeOnly, everyone] = await Promise.all([cli(['user', 'list', '--unit', 'dagplejen']), cli(['user', 'list', '--unit', 'dagplejen', '--all'])]);
    expect(activeOnly.stdout).not.toContain(email);
    expect(everyone.stdout).toMatch(new RegExp(`^${email}\\s+Anne Jensen\\s+employee\\s+dagplejen\\s+nej$`, 'm'));

    const enabled = await cli(['user', 'enable', email]);
    expect(enabled.code).toBe(0);
    expect((await person(email))!.active).toBe(1);
  });

  it('user disable of an unknown e-mail says so in Danish and exits 1', async () => {
    const result = await cli(['user', 'disable', 'ingen@toender.dk']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('Fejl: Der findes ingen person med e-mailadressen ingen@toender.dk.');
  });

  it('audit verify passes on a freshly seeded database and names the entry after one row is changed', async () => {
    const target = await seededTarget();
    const entries = Number((await target.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    const intact = await run(['audit', 'verify'], { env: target.env });
    expect(intact.code).toBe(0);
    expect(intact.stdout.trim()).toBe(`Revisionsloggen er intakt: ${entries} poster kontrolleret.`);

    await target.db.updateTable('audit_log').set({ details: '{}' }).where('seq', '=', 3).execute();
    const broken = await run(['audit', 'verify'], { env: target.env });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('Revisionsloggen er brudt ved post nr. 3: posten er ændret efter den blev skrevet.');
    expect(broken.stderr).toContain('Post nr. 3:');
  });

  it('audit verify names the missing entry after the last row is deleted', async () => {
    const target = await seededTarget();
    const last = await target.db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    await target.db.deleteFrom('audit_log').where('seq', '=', last.seq).execute();

    const result = await run(['audit', 'verify'], { env: target.env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Revisionsloggen er brudt ved post nr. ${last.seq}: post nr. ${last.seq} mangler (slettet fra enden af loggen).`);
  });

  if (dialect === 'sqlite') {
    let backup: Promise<{ file: string; result: Run; people: number }> | undefined;
    /** One backup of the shared database, taken while this process holds it open as a running server would. */
    const backupOnce = () =>
      (backup ??= (async () => {
        const people = await countOf('people');
        const dir = scratchDir();
        cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
        const file = path.join(dir, 'kopi.sqlite');
        return { file, people, result: await cli(['backup', file]) };
      })());

    it('backup copies the open database to a file with the same people, and will not overwrite it without --force', async () => {
      const { file, result, people } = await backupOnce();
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Sikkerhedskopi gemt i ${file}`);

      const copy = new SQLite(file, { readonly: true, fileMustExist: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        expect((copy.prepare('select count(*) as n from people').get() as { n: number }).n).toBe(people);
      } finally {
        copy.close();
      }

      const again = await cli(['backup', file]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('findes allerede');
      expect(again.stderr).toContain('--force');
    });

    it('restore puts a backup into a new data dir, and will not replace an existing database without --force', async () => {
      const { file, people } = await backupOnce();
      const dataDir = path.join(scratchDir(), 'data');
      cleanups.push(async () => fs.rmSync(path.dirname(dataDir), { recursive: true, force: true }));

      const restored = await run(['restore', file], { env: { MEDIEHUS_DATA_DIR: dataDir } });
      expect(restored.stderr).toBe('');
      expect(restored.code).toBe(0);
      expect(fs.readdirSync(dataDir)).toEqual(['mediehus.sqlite']);
      const db = createDb({ dialect: 'sqlite', file: path.join(dataDir, 'mediehus.sqlite') });
      try {
        expect(Number((await db.selectFrom('people').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(people);
      } finally {
        await db.destroy();
      }

      const again = await run(['restore', file], { env: { MEDIEHUS_DATA_DIR: dataDir } });
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('Stop Mediehus-serveren først');
      expect(again.stderr).toContain('--force');
    });

    it('restore refuses a file that is not a Mediehus database and leaves no trace', async () => {
      const dir = scratchDir();
      cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
      const text = path.join(dir, 'noter.txt');
      fs.writeFileSync(text, 'Dette er ikke en database.\n');
      const other = path.join(dir, 'anden.sqlite');
      const sqlite = new SQLite(other);
      sqlite.exec('create table notes (body text)');
      sqlite.close();
      // Two data dirs, since the two refusals run side by side and each tidies up the dir it created.
      const dataDirs = [path.join(dir, 'data-1'), path.join(dir, 'data-2')];

      const [notSqlite, notMediehus] = await Promise.all([
        run(['restore', text], { env: { MEDIEHUS_DATA_DIR: dataDirs[0]! } }),
        run(['restore', other], { env: { MEDIEHUS_DATA_DIR: dataDirs[1]! } }),
      ]);
      expect(notSqlite.code).toBe(1);
      expect(notSqlite.stderr).toContain('filen er ikke en SQLite-database');
      expect(notMediehus.code).toBe(1);
      expect(notMediehus.stderr).toContain('ikke en Mediehus-database (tabellen schema_migrations mangler)');
      expect(dataDirs.filter((d) => fs.existsSync(d))).toEqual([]);
    });
  }

  if (dialect === 'postgres') {
    it('backup and restore explain pg_dump and pg_restore instead, and exit 2', async () => {
      const dir = scratchDir();
      cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
      const file = path.join(dir, 'mediehus.dump');
      const [backup, restore] = await Promise.all([cli(['backup', file]), cli(['restore', file])]);
      for (const result of [backup, restore]) {
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('pg_dump -Fc "$DATABASE_URL" -f mediehus.dump');
        expect(result.stderr).toContain('pg_restore --clean -d "$DATABASE_URL" mediehus.dump');
        expect(result.stderr).not.toContain(shared.env.DATABASE_URL!);
      }
      expect(fs.readdirSync(dir)).toEqual([]);
    });
  }
});
