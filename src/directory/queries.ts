import { sql, type Expression, type SqlBool } from 'kysely';
import { JOB_ROLES, type JobRole, type LeadershipLevel, type Unit } from '../org/model.ts';
import { groupsOf, listUnits } from '../org/store.ts';
import { descendantsOf } from '../org/unit-tree.ts';
import type { DbOrTx } from '../platform/database.ts';
import { likePattern } from '../platform/like.ts';
import { localDate } from '../platform/time.ts';

// The directory of people and units (I5). Only active people and active units are ever read here. Every list is
// one page (LIMIT/OFFSET) in the database, so a municipality with 20,000 people never loads them all.

export interface UnitLink {
  id: string;
  name: string;
  slug: string;
}

export interface DirectoryPerson {
  id: string;
  name: string;
  title: string | null;
  jobRole: JobRole;
  phone: string | null;
  email: string;
  units: UnitLink[];
}

export interface PeopleSearch {
  /** Words that must each be found in the name, title, e-mail address or the name of one of the person's units. */
  q?: string;
  /** Only people placed in one of these units (the caller includes sub-units). */
  unitIds?: string[];
  jobRole?: JobRole;
  /** Only names beginning with this letter. */
  letter?: string;
  limit: number;
  offset: number;
}

/** The A–Z of the directory, with the Danish letters last as in the alphabet. */
export const LETTERS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ'];

// SQLite's lower() leaves letters outside ASCII alone, so Æ, Ø and Å are folded by hand; PostgreSQL's lower() already
// folds them, and the replacements then find nothing.
const foldedSql = (column: string) => sql<string>`replace(replace(replace(lower(${sql.ref(column)}), 'Æ', 'æ'), 'Ø', 'ø'), 'Å', 'å')`;
const folded = (s: string): string => s.toLocaleLowerCase('da');

const containsWord = (column: string, word: string): Expression<SqlBool> => sql<SqlBool>`${foldedSql(column)} like ${likePattern(word)} escape '\\'`;

/** The search's words: at most five, so a pasted paragraph cannot make one query of hundreds of conditions. */
export const searchWords = (q: string): string[] => q.trim().split(/\s+/).filter(Boolean).slice(0, 5);

export function isJobRole(v: string): v is JobRole {
  return (JOB_ROLES as readonly string[]).includes(v);
}

/** The active units, once per request; the organisation has tens or hundreds of units. */
export const activeUnits = (db: DbOrTx): Promise<Unit[]> => listUnits(db);

/** A unit and every active unit below it. */
export const unitWithSubUnits = (units: Unit[], id: string): string[] => [...descendantsOf(units, id)];

/** One page of active people, by name, and how many there are in all. */
export async function searchPeople(db: DbOrTx, units: Unit[], s: PeopleSearch): Promise<{ people: DirectoryPerson[]; total: number }> {
  let q = db.selectFrom('people').where('people.active', '=', 1);
  if (s.jobRole) q = q.where('people.job_role', '=', s.jobRole);
  if (s.unitIds) {
    const unitIds = s.unitIds.length ? s.unitIds : [''];
    q = q.where('people.id', 'in', db.selectFrom('person_units').select('person_units.person_id').where('person_units.unit_id', 'in', unitIds));
  }
  if (s.letter) q = q.where(sql<SqlBool>`${foldedSql('people.name')} like ${`${folded(s.letter)}%`}`);
  for (const word of searchWords(s.q ?? '')) {
    // Unit names are matched here rather than joined, so each word stays one condition on the people table.
    const inUnits = units.filter((u) => folded(u.name).includes(folded(word))).map((u) => u.id);
    q = q.where((eb) =>
      eb.or([
        containsWord('people.name', word),
        containsWord('people.title', word),
        containsWord('people.email', word),
        ...(inUnits.length ? [eb('people.id', 'in', db.selectFrom('person_units').select('person_units.person_id').where('person_units.unit_id', 'in', inUnits))] : []),
      ]),
    );
  }
  const [counted, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    q
      .select(['people.id', 'people.name', 'people.title', 'people.job_role', 'people.phone', 'people.email'])
      .orderBy('people.name')
      .orderBy('people.id')
      .limit(s.limit)
      .offset(s.offset)
      .execute(),
  ]);
  const unitsOf = await unitLinksOf(db, rows.map((r) => r.id));
  return {
    total: Number(counted?.n ?? 0),
    people: rows.map((r) => ({ id: r.id, name: r.name, title: r.title, jobRole: r.job_role as JobRole, phone: r.phone, email: r.email, units: unitsOf.get(r.id) ?? [] })),
  };
}

/** The active units of each of these people, by name. */
async function unitLinksOf(db: DbOrTx, personIds: string[]): Promise<Map<string, UnitLink[]>> {
  const map = new Map<string, UnitLink[]>();
  if (!personIds.length) return map;
  const rows = await db
    .selectFrom('person_units')
    .innerJoin('units', 'units.id', 'person_units.unit_id')
    .select(['person_units.person_id', 'units.id', 'units.name', 'units.slug'])
    .where('person_units.person_id', 'in', personIds)
    .where('units.active', '=', 1)
    .orderBy('units.name')
    .execute();
  for (const r of rows) map.set(r.person_id, [...(map.get(r.person_id) ?? []), { id: r.id, name: r.name, slug: r.slug }]);
  return map;
}

export interface PersonCard extends DirectoryPerson {
  leadershipLevel: LeadershipLevel | null;
  /** Active groups the person is in, by name only. */
  groups: string[];
  /** For each of the person's units, who leads it: its own head, or the nearest head above it. */
  heads: { unit: UnitLink; head: { id: string; name: string }; of: UnitLink }[];
  /** The units the person leads. */
  leads: UnitLink[];
}

/** An active person as colleagues see them; nothing for someone unknown or disabled. */
export async function personCard(db: DbOrTx, units: Unit[], id: string): Promise<PersonCard | undefined> {
  const row = await db
    .selectFrom('people')
    .select(['id', 'name', 'title', 'job_role', 'leadership_level', 'phone', 'email'])
    .where('id', '=', id)
    .where('active', '=', 1)
    .executeTakeFirst();
  if (!row) return undefined;
  const today = localDate();
  const [unitLinks, groups] = await Promise.all([unitLinksOf(db, [id]).then((m) => m.get(id) ?? []), groupsOf(db, id)]);
  const byId = new Map(units.map((u) => [u.id, u]));
  const link = (u: Unit): UnitLink => ({ id: u.id, name: u.name, slug: u.slug });

  // A head who has left is skipped, so the reader is shown the nearest head who is still here.
  const headIds = [...new Set(units.map((u) => u.headId).filter((h): h is string => !!h && h !== id))];
  const headPeople = headIds.length ? await db.selectFrom('people').select(['id', 'name']).where('id', 'in', headIds).where('active', '=', 1).execute() : [];
  const headById = new Map(headPeople.map((p) => [p.id, p]));
  const leaderOf = (unitId: string) => {
    for (let at = byId.get(unitId); at; at = at.parentId ? byId.get(at.parentId) : undefined) {
      const head = at.headId ? headById.get(at.headId) : undefined;
      if (head) return { head, of: link(at) };
    }
    return undefined;
  };
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    jobRole: row.job_role as JobRole,
    leadershipLevel: row.leadership_level as LeadershipLevel | null,
    phone: row.phone,
    email: row.email,
    units: unitLinks,
    groups: groups.filter((g) => g.active && (!g.endsOn || g.endsOn >= today)).map((g) => g.name),
    heads: unitLinks.flatMap((u) => {
      const leader = leaderOf(u.id);
      return leader ? [{ unit: u, ...leader }] : [];
    }),
    leads: units.filter((u) => u.headId === id).map(link),
  };
}

/** An active person's name, for a unit's head. */
export async function activePersonName(db: DbOrTx, id: string | null): Promise<{ id: string; name: string; title: string | null } | null> {
  if (!id) return null;
  return (await db.selectFrom('people').select(['id', 'name', 'title']).where('id', '=', id).where('active', '=', 1).executeTakeFirst()) ?? null;
}
