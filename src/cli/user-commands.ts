import type { Command } from 'commander';
import { audit } from '../platform/audit/service.ts';
import type { Db } from '../platform/database.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import { auditActor, systemActor } from '../org/actor.ts';
import { fieldErrors, JOB_ROLES, LEADERSHIP_LEVELS, personInput, type JobRole } from '../org/model.ts';
import { createPerson, setPersonActive } from '../org/service.ts';
import * as store from '../org/store.ts';
import type { PersonRow } from '../org/tables.ts';
import { hashPassword } from '../signin/passwords.ts';
import { readPassword } from './password-input.ts';
import { deleteSessionsOf } from '../signin/store.ts';
import { renameFields, withDatabase } from './support.ts';

/** The service's field names as the options that set them. */
const OPTION_NAMES: Record<string, string> = { jobRole: 'role', leadershipLevel: 'level', unitIds: 'unit' };

const ADD_OPTION_ORDER = ['email', 'name', 'role', 'level', 'unit', 'title', 'phone'];

/** Reports mistakes in the order the options are listed in --help. */
function inOptionOrder(errors: Record<string, string>): Record<string, string> {
  const rank = (field: string) => {
    const index = ADD_OPTION_ORDER.indexOf(field);
    return index === -1 ? ADD_OPTION_ORDER.length : index;
  };
  return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b)));
}

const cliActor = () => systemActor('cli');

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

function choiceProblem(value: string | undefined, allowed: readonly string[]): string | null {
  return value !== undefined && !allowed.includes(value) ? `"${value}" findes ikke. Vælg en af: ${allowed.join(', ')}.` : null;
}

function checkChoice(field: string, value: string | undefined, allowed: readonly string[]): void {
  const problem = choiceProblem(value, allowed);
  if (problem) throw new ValidationError({ [field]: problem });
}

/** Looks units up by slug; the slugs that match nothing are returned rather than thrown, so they can be reported with other mistakes. */
async function unitIdsFor(db: Db, slugs: string[]): Promise<{ ids: string[]; unknown: string[] }> {
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const slug of slugs) {
    const unit = await store.findUnitBySlug(db, slug.trim().toLowerCase());
    if (unit) ids.push(unit.id);
    else unknown.push(slug);
  }
  return { ids, unknown };
}

const unknownUnits = (slugs: string[]) =>
  `Der findes ingen enhed med den korte adresse ${slugs.map((s) => `"${s}"`).join(', ')}.`;

async function personByEmail(db: Db, email: string): Promise<PersonRow> {
  const person = await store.findPersonRowByEmail(db, email);
  if (!person) throw new NotFoundError(`Der findes ingen person med e-mailadressen ${email.trim()}.`);
  return person;
}

interface AddOptions {
  email?: string;
  name?: string;
  role?: string;
  level?: string;
  unit?: string[];
  title?: string;
  phone?: string;
  passwordStdin?: boolean;
}

async function addUser(options: AddOptions): Promise<void> {
  await withDatabase(async (db, config) => {
    const units = await unitIdsFor(db, options.unit ?? []);
    const raw = {
      name: options.name ?? '',
      email: options.email ?? '',
      jobRole: options.role ?? 'employee',
      leadershipLevel: options.level ?? '',
      title: options.title ?? '',
      phone: options.phone ?? '',
      unitIds: units.ids,
    };
    // createPerson validates again; checking everything first reports all mistakes at once, before anyone types a password.
    const errors: Record<string, string> = {};
    const roleProblem = choiceProblem(options.role, JOB_ROLES);
    const levelProblem = choiceProblem(options.level, LEADERSHIP_LEVELS);
    if (roleProblem) errors.role = roleProblem;
    if (levelProblem) errors.level = levelProblem;
    if (units.unknown.length) errors.unit = unknownUnits(units.unknown);
    const checked = personInput.safeParse(raw);
    if (!checked.success) {
      for (const [field, message] of Object.entries(fieldErrors(checked.error))) errors[OPTION_NAMES[field] ?? field] ??= message;
    } else {
      const clash = await store.findPersonRowByEmail(db, checked.data.email);
      if (clash) errors.email = `E-mailadressen ${checked.data.email} bruges allerede af ${clash.name}.`;
    }
    if (Object.keys(errors).length || !checked.success) throw new ValidationError(inOptionOrder(errors));

    const passwordHash = options.passwordStdin ? await hashPassword(await readPassword(config.demoMode)) : null;
    try {
      await createPerson(db, cliActor(), raw, { passwordHash });
    } catch (error) {
      throw renameFields(error, OPTION_NAMES);
    }
    const { name, email } = checked.data;
    console.log(`${name} <${email}> er oprettet${passwordHash ? ' med adgangskode' : ''}.`);
    if (!passwordHash) console.log(`Sæt en adgangskode med: mediehus user set-password ${email}`);
  });
}

interface ListOptions {
  unit?: string;
  role?: string;
  all?: boolean;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function listUsers(options: ListOptions): Promise<void> {
  await withDatabase(async (db) => {
    checkChoice('role', options.role, JOB_ROLES);
    let unitId: string | undefined;
    if (options.unit) {
      const units = await unitIdsFor(db, [options.unit]);
      if (units.unknown.length) throw new ValidationError({ unit: unknownUnits(units.unknown) });
      unitId = units.ids[0];
    }
    const slugs = new Map((await store.listUnits(db, { includeInactive: true })).map((u) => [u.id, u.slug]));
    const rows: string[][] = [];
    const pageSize = 500;
    for (let offset = 0; ; offset += pageSize) {
      const { people } = await store.listPeople(db, { unitId, jobRole: options.role as JobRole | undefined, includeInactive: options.all, limit: pageSize, offset });
      for (const p of people) {
        const role = p.leadershipLevel ? `${p.jobRole} (${p.leadershipLevel})` : p.jobRole;
        rows.push([p.email, p.name, role, p.unitIds.map((id) => slugs.get(id) ?? id).sort().join(', '), p.active ? 'ja' : 'nej']);
      }
      if (people.length < pageSize) break;
    }
    if (!rows.length) {
      console.log('Ingen personer matcher.');
      return;
    }
    console.log(table(['E-mail', 'Navn', 'Rolle', 'Enheder', 'Aktiv'], rows));
    console.log(`\n${rows.length} ${rows.length === 1 ? 'person' : 'personer'}.`);
  });
}

async function setActive(email: string, active: boolean): Promise<void> {
  await withDatabase(async (db) => {
    const person = await personByEmail(db, email);
    if ((person.active === 1) === active) {
      console.log(`${person.name} <${person.email}> er allerede ${active ? 'aktiv' : 'deaktiveret'}; intet er ændret.`);
      return;
    }
    await setPersonActive(db, cliActor(), person.id, active);
    console.log(active ? `${person.name} <${person.email}> er aktiv igen.` : `${person.name} <${person.email}> er deaktiveret og logget ud overalt.`);
  });
}

async function setPassword(email: string): Promise<void> {
  await withDatabase(async (db, config) => {
    const person = await personByEmail(db, email);
    const hash = await hashPassword(await readPassword(config.demoMode));
    await db.transaction().execute(async (tx) => {
      await store.setPasswordHash(tx, person.id, hash);
      await deleteSessionsOf(tx, person.id);
      await audit(tx, { ...auditActor(cliActor()), action: 'person.password_set', objectType: 'person', objectId: person.id, details: { email: person.email } });
    });
    console.log(`Adgangskoden for ${person.name} <${person.email}> er sat, og personen er logget ud overalt.`);
    if (person.active !== 1) console.log(`Bemærk: personen er deaktiveret og kan ikke logge ind før: mediehus user enable ${person.email}`);
  });
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('Opret, vis, deaktivér og genaktivér brugere, og sæt deres adgangskode.');

  user
    .command('add')
    .description('Opret en person. Med --password-stdin læses adgangskoden fra standard-input, så den ikke havner i shellens historik.')
    .option('--email <email>', 'e-mailadresse, som personen logger ind med (skal angives)')
    .option('--name <navn>', 'fulde navn (skal angives)')
    .option('--role <rolle>', `rolle: ${JOB_ROLES.join(', ')} (standard: employee)`)
    .option('--level <niveau>', `ledelsesniveau, skal angives for en manager: ${LEADERSHIP_LEVELS.join(', ')}`)
    .option('--unit <slug>', 'enhedens korte adresse, fx biblioteket; kan gentages (mindst én)', collect)
    .option('--title <titel>', 'stillingsbetegnelse')
    .option('--phone <telefon>', 'telefonnummer')
    .option('--password-stdin', 'læs adgangskoden fra standard-input (mindst 12 tegn)')
    .action(addUser);

  user
    .command('list')
    .description('Vis brugerne som en tabel: e-mail, navn, rolle, enheder og om de er aktive.')
    .option('--unit <slug>', 'kun personer i denne enhed')
    .option('--role <rolle>', `kun personer med denne rolle: ${JOB_ROLES.join(', ')}`)
    .option('--all', 'vis også deaktiverede personer')
    .action(listUsers);

  user
    .command('disable')
    .description('Deaktivér en person og log personen ud overalt.')
    .argument('<email>', 'personens e-mailadresse')
    .action((email: string) => setActive(email, false));

  user
    .command('enable')
    .description('Genaktivér en deaktiveret person.')
    .argument('<email>', 'personens e-mailadresse')
    .action((email: string) => setActive(email, true));

  user
    .command('set-password')
    .description(
      'Sæt en ny adgangskode. Den læses fra standard-input (fx echo … | mediehus user set-password navn@kommune.dk) eller spørges om, når der køres i en terminal.',
    )
    .argument('<email>', 'personens e-mailadresse')
    .action(setPassword);
}
