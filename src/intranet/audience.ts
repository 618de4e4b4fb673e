import { sql } from 'kysely';
import type { JobRole } from '../org/model.ts';
import type { DbOrTx } from '../platform/database.ts';
import { localDate } from '../platform/time.ts';

/**
 * Who may see what on the intranet (I8). An object is shown to a reader when one of its audience keys is one of the
 * reader's keys. A reader's keys are: everyone, their job role, each of their units and every unit above it (an
 * object for a unit reaches its sub-units), and each active group they are in. See src/intranet/CONTEXT.md.
 */
export type AudienceKind = 'everyone' | 'role' | 'unit' | 'group';
export interface AudienceKey {
  kind: AudienceKind;
  value: string;
}

/** An audience as editors and writers choose it; the parts are joined by "or". */
export interface Audience {
  everyone: boolean;
  roles: JobRole[];
  unitIds: string[];
  groupIds: string[];
}

export type ObjectType = 'item' | 'post' | 'tool';
export interface ObjectRef {
  type: ObjectType;
  id: string;
}

/** A reader of the intranet, with the keys that decide what they see. */
export interface Viewer {
  personId: string;
  jobRole: JobRole;
  /** The units the person is placed in. */
  unitIds: string[];
  /** Those units and every unit above them. */
  reachUnitIds: string[];
  groupIds: string[];
  keys: AudienceKey[];
}

export const EVERYONE: AudienceKey = { kind: 'everyone', value: '' };

export function audienceKeys(a: Audience): AudienceKey[] {
  const keys: AudienceKey[] = [];
  if (a.everyone) keys.push(EVERYONE);
  for (const r of new Set(a.roles)) keys.push({ kind: 'role', value: r });
  for (const u of new Set(a.unitIds)) keys.push({ kind: 'unit', value: u });
  for (const g of new Set(a.groupIds)) keys.push({ kind: 'group', value: g });
  return keys;
}

/** Reads a person's keys. Inactive people and unknown ids get none at all, so they see nothing. */
export async function viewerOf(db: DbOrTx, personId: string): Promise<Viewer> {
  const [person, units, placed, groups] = await Promise.all([
    db.selectFrom('people').select(['id', 'job_role', 'active']).where('id', '=', personId).executeTakeFirst(),
    activeUnitParents(db),
    db.selectFrom('person_units').select('unit_id').where('person_id', '=', personId).execute(),
    activeGroupIdsOf(db, personId),
  ]);
  if (!person || person.active !== 1) return { personId, jobRole: 'employee', unitIds: [], reachUnitIds: [], groupIds: [], keys: [] };
  return viewerWith(units, { personId, jobRole: person.job_role as JobRole, unitIds: placed.map((p) => p.unit_id), groupIds: groups });
}

/**
 * The keys of a signed-in person, from what their sign-in already read (units and active groups, see actorFor):
 * one query, for the tree of units, instead of four.
 */
export async function viewerOfActor(db: DbOrTx, actor: { personId: string; jobRole: JobRole; unitIds: string[]; groupIds: string[] }): Promise<Viewer> {
  return viewerWith(await activeUnitParents(db), actor);
}

function activeUnitParents(db: DbOrTx): Promise<{ id: string; parent_id: string | null }[]> {
  return db.selectFrom('units').select(['id', 'parent_id']).where('active', '=', 1).execute();
}

function viewerWith(units: { id: string; parent_id: string | null }[], person: { personId: string; jobRole: JobRole; unitIds: string[]; groupIds: string[] }): Viewer {
  const parentOf = new Map(units.map((u) => [u.id, u.parent_id]));
  const unitIds = person.unitIds.filter((id) => parentOf.has(id));
  const reach = new Set<string>();
  for (const id of unitIds) for (let u: string | null | undefined = id; u && !reach.has(u); u = parentOf.get(u)) reach.add(u);
  const groupIds = [...person.groupIds];
  const keys: AudienceKey[] = [EVERYONE, { kind: 'role', value: person.jobRole }, ...[...reach].map((value) => ({ kind: 'unit' as const, value })), ...groupIds.map((value) => ({ kind: 'group' as const, value }))];
  return { personId: person.personId, jobRole: person.jobRole, unitIds, reachUnitIds: [...reach], groupIds, keys };
}

/** The groups a person is in that give rights today: active, and for an ad hoc group not past its end date. */
export async function activeGroupIdsOf(db: DbOrTx, personId: string): Promise<string[]> {
  const today = localDate();
  const rows = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select('groups.id')
    .where('group_members.person_id', '=', personId)
    .where('groups.active', '=', 1)
    .where((eb) => eb.or([eb('groups.ends_on', 'is', null), eb('groups.ends_on', '>=', today)]))
    .execute();
  return rows.map((r) => r.id);
}

export interface AudienceEntry {
  category: string;
  /** ISO time it went live; for an event, its local start ("2026-12-05T19:00"). */
  sortAt: string;
}

/** Replaces everything known about who sees an object. No keys or no entries: nobody sees it. Call inside the change's transaction. */
export async function writeAudience(tx: DbOrTx, ref: ObjectRef, keys: AudienceKey[], entries: AudienceEntry[]): Promise<void> {
  await removeAudience(tx, ref);
  const rows = entries.flatMap((e) => keys.map((k) => ({ object_type: ref.type, object_id: ref.id, category: e.category, kind: k.kind, value: k.value, sort_at: e.sortAt })));
  // Large audiences are few keys, so one insert stays far below the databases' parameter limits.
  if (rows.length) await tx.insertInto('audience_entries').values(rows).execute();
}

export async function removeAudience(tx: DbOrTx, ref: ObjectRef): Promise<void> {
  await tx.deleteFrom('audience_entries').where('object_type', '=', ref.type).where('object_id', '=', ref.id).execute();
}

/** True when the viewer is in the object's audience. */
export async function mayView(db: DbOrTx, viewer: Viewer, ref: ObjectRef): Promise<boolean> {
  if (!viewer.keys.length) return false;
  const row = await db
    .selectFrom('audience_entries')
    .select('object_id')
    .where('object_type', '=', ref.type)
    .where('object_id', '=', ref.id)
    .where((eb) => eb.or(viewer.keys.map((k) => eb.and([eb('kind', '=', k.kind), eb('value', '=', k.value)]))))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Of these objects, the ids the viewer may see. */
export async function visibleAmong(db: DbOrTx, viewer: Viewer, type: ObjectType, ids: string[]): Promise<Set<string>> {
  if (!viewer.keys.length || !ids.length) return new Set();
  const rows = await db
    .selectFrom('audience_entries')
    .select('object_id')
    .distinct()
    .where('object_type', '=', type)
    .where('object_id', 'in', [...new Set(ids)])
    .where((eb) => eb.or(viewer.keys.map((k) => eb.and([eb('kind', '=', k.kind), eb('value', '=', k.value)]))))
    .execute();
  return new Set(rows.map((r) => r.object_id));
}

export interface Visible {
  type: ObjectType;
  id: string;
  category: string;
  sortAt: string;
}

export interface VisibleQuery {
  categories: string[];
  limit: number;
  /** 'desc' (default): newest first, before the cursor. 'asc': soonest first, from `from` on (coming events). */
  order?: 'desc' | 'asc';
  /** Only objects with sort_at before this (desc) … */
  before?: { sortAt: string; id: string };
  /** … or at or after this (asc). */
  from?: string;
}

/**
 * The newest (or soonest) objects of these categories that the viewer may see. One statement: for each of the
 * viewer's keys and each category, an index range scan that stops after `limit` rows; the union is then
 * de-duplicated and cut here. Its cost grows with the viewer's keys, never with the number of objects.
 */
export async function visibleObjects(db: DbOrTx, viewer: Viewer, q: VisibleQuery): Promise<Visible[]> {
  if (!viewer.keys.length || !q.categories.length || q.limit <= 0) return [];
  const desc = (q.order ?? 'desc') === 'desc';
  const parts = q.categories.flatMap((category) =>
    viewer.keys.map((k) => {
      let part = db
        .selectFrom('audience_entries')
        .select(['object_type', 'object_id', 'category', 'sort_at'])
        .where('category', '=', category)
        .where('kind', '=', k.kind)
        .where('value', '=', k.value);
      if (desc && q.before) {
        const b = q.before;
        part = part.where((eb) => eb.or([eb('sort_at', '<', b.sortAt), eb.and([eb('sort_at', '=', b.sortAt), eb('object_id', '<', b.id)])]));
      }
      if (!desc && q.from) part = part.where('sort_at', '>=', q.from);
      return part.orderBy('sort_at', desc ? 'desc' : 'asc').orderBy('object_id', desc ? 'desc' : 'asc').limit(q.limit);
    }),
  );
  // SQLite allows ORDER BY and LIMIT only on the whole of a compound select, so each part is its own subquery.
  const wrapped = parts.map((p, i) => db.selectFrom(p.as(`k${i}`)).selectAll());
  let union = wrapped[0]!;
  for (const w of wrapped.slice(1)) union = union.unionAll(w);
  const rows = await union.execute();
  const seen = new Map<string, Visible>();
  for (const r of rows) {
    const key = `${r.object_type}:${r.object_id}`;
    if (!seen.has(key)) seen.set(key, { type: r.object_type as ObjectType, id: r.object_id, category: r.category, sortAt: r.sort_at });
  }
  const sign = desc ? -1 : 1;
  return [...seen.values()]
    .sort((a, b) => (a.sortAt < b.sortAt ? -sign : a.sortAt > b.sortAt ? sign : a.id < b.id ? -sign : a.id > b.id ? sign : 0))
    .slice(0, q.limit);
}

/** Every unit at or below these, for reaching people placed in sub-units. */
async function unitsBelow(db: DbOrTx, unitIds: string[]): Promise<string[]> {
  if (!unitIds.length) return [];
  const units = await db.selectFrom('units').select(['id', 'parent_id']).execute();
  const found = new Set(unitIds);
  for (let grew = true; grew; ) {
    grew = false;
    for (const u of units) {
      if (u.parent_id && found.has(u.parent_id) && !found.has(u.id)) {
        found.add(u.id);
        grew = true;
      }
    }
  }
  return [...found];
}

/**
 * The active people an audience reaches, as a query of their ids, names and e-mail addresses, so callers can
 * count, join or page it in the database (a "everyone" audience is every person).
 */
export async function peopleInAudience(db: DbOrTx, keys: AudienceKey[]) {
  const everyone = keys.some((k) => k.kind === 'everyone');
  const roles = keys.filter((k) => k.kind === 'role').map((k) => k.value);
  const units = await unitsBelow(db, keys.filter((k) => k.kind === 'unit').map((k) => k.value));
  const groups = keys.filter((k) => k.kind === 'group').map((k) => k.value);
  const today = localDate();
  return db
    .selectFrom('people')
    .select(['people.id', 'people.name', 'people.email', 'people.job_role'])
    .where('people.active', '=', 1)
    .where((eb) => {
      // better-sqlite3 cannot bind booleans, so the constant conditions are written out.
      if (everyone) return sql<boolean>`1 = 1`;
      const any = [];
      if (roles.length) any.push(eb('people.job_role', 'in', roles));
      if (units.length) any.push(eb.exists(eb.selectFrom('person_units').select('person_units.person_id').whereRef('person_units.person_id', '=', 'people.id').where('person_units.unit_id', 'in', units)));
      if (groups.length) {
        any.push(
          eb.exists(
            eb
              .selectFrom('group_members')
              .innerJoin('groups', 'groups.id', 'group_members.group_id')
              .select('group_members.person_id')
              .whereRef('group_members.person_id', '=', 'people.id')
              .where('group_members.group_id', 'in', groups)
              .where('groups.active', '=', 1)
              .where((g) => g.or([g('groups.ends_on', 'is', null), g('groups.ends_on', '>=', today)])),
          ),
        );
      }
      return any.length ? eb.or(any) : sql<boolean>`1 = 0`;
    });
}

/** The keys of an object, for showing and for its must-read statistics. */
export async function keysOf(db: DbOrTx, ref: ObjectRef): Promise<AudienceKey[]> {
  const rows = await db
    .selectFrom('audience_entries')
    .select(['kind', 'value'])
    .distinct()
    .where('object_type', '=', ref.type)
    .where('object_id', '=', ref.id)
    .execute();
  return rows.map((r) => ({ kind: r.kind as AudienceKind, value: r.value }));
}
