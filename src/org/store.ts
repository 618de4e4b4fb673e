import type { DbOrTx, Tx } from '../platform/database.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { containsText } from '../platform/like.ts';
import type { GroupRow, PersonRow, UnitRow } from './tables.ts';
import type { Channel, Group, GroupKind, JobRole, LeadershipLevel, MemberRole, OpeningException, Person, Unit, UnitKind, WeeklyHours } from './model.ts';
import type { CapabilitySources } from './capabilities.ts';

// ---- rows → domain ----

export const toUnit = (r: UnitRow): Unit => ({
  id: r.id,
  parentId: r.parent_id,
  name: r.name,
  slug: r.slug,
  kind: r.kind as UnitKind,
  email: r.email,
  phone: r.phone,
  address: r.address,
  description: r.description,
  headId: r.head_id,
  isPlatformOwner: r.is_platform_owner === 1,
  active: r.active === 1,
});

export const toPerson = (r: PersonRow, unitIds: string[]): Person => ({
  id: r.id,
  name: r.name,
  email: r.email,
  jobRole: r.job_role as JobRole,
  leadershipLevel: r.leadership_level as LeadershipLevel | null,
  title: r.title,
  phone: r.phone,
  active: r.active === 1,
  unitIds,
});

export const toGroup = (r: GroupRow): Group => ({
  id: r.id,
  name: r.name,
  kind: r.kind as GroupKind,
  channel: r.channel as Channel | null,
  subsiteUnitId: r.subsite_unit_id,
  purpose: r.purpose,
  endsOn: r.ends_on,
  active: r.active === 1,
});


// ---- units ----

export interface UnitFields {
  parentId: string | null;
  name: string;
  slug: string;
  kind: UnitKind;
  email: string | null;
  phone: string | null;
  address: string | null;
  description: string | null;
  headId: string | null;
}

export async function insertUnit(tx: DbOrTx, f: UnitFields & { isPlatformOwner?: boolean }): Promise<string> {
  const id = newId();
  const now = nowIso();
  await tx
    .insertInto('units')
    .values({
      id,
      parent_id: f.parentId,
      name: f.name,
      slug: f.slug,
      kind: f.kind,
      email: f.email,
      phone: f.phone,
      address: f.address,
      description: f.description,
      head_id: f.headId,
      is_platform_owner: f.isPlatformOwner ? 1 : 0,
      active: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export async function updateUnit(tx: DbOrTx, id: string, f: UnitFields): Promise<void> {
  await tx
    .updateTable('units')
    .set({
      parent_id: f.parentId,
      name: f.name,
      slug: f.slug,
      kind: f.kind,
      email: f.email,
      phone: f.phone,
      address: f.address,
      description: f.description,
      head_id: f.headId,
      updated_at: nowIso(),
    })
    .where('id', '=', id)
    .execute();
}

export async function setUnitActive(tx: DbOrTx, id: string, active: boolean): Promise<void> {
  await tx.updateTable('units').set({ active: active ? 1 : 0, updated_at: nowIso() }).where('id', '=', id).execute();
}

export async function findUnit(db: DbOrTx, id: string): Promise<Unit | undefined> {
  const row = await db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toUnit(row);
}

export async function findUnitBySlug(db: DbOrTx, slug: string): Promise<Unit | undefined> {
  const row = await db.selectFrom('units').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row && toUnit(row);
}

export async function listUnits(db: DbOrTx, filter: { q?: string; includeInactive?: boolean } = {}): Promise<Unit[]> {
  let q = db.selectFrom('units').selectAll();
  if (!filter.includeInactive) q = q.where('active', '=', 1);
  if (filter.q) q = q.where(containsText('name', filter.q));
  return (await q.orderBy('name').execute()).map(toUnit);
}

export async function platformOwnerUnit(db: DbOrTx): Promise<Unit | undefined> {
  const row = await db.selectFrom('units').selectAll().where('is_platform_owner', '=', 1).executeTakeFirst();
  return row && toUnit(row);
}

export async function replaceWeeklyHours(tx: Tx, unitId: string, hours: WeeklyHours[]): Promise<void> {
  await tx.deleteFrom('opening_hours').where('unit_id', '=', unitId).execute();
  if (hours.length === 0) return;
  await tx
    .insertInto('opening_hours')
    .values(hours.map((h) => ({ id: newId(), unit_id: unitId, weekday: h.weekday, opens: h.opens, closes: h.closes })))
    .execute();
}

export async function weeklyHours(db: DbOrTx, unitId: string): Promise<WeeklyHours[]> {
  return db.selectFrom('opening_hours').select(['weekday', 'opens', 'closes']).where('unit_id', '=', unitId).orderBy('weekday').orderBy('opens').execute();
}

export async function upsertOpeningException(tx: DbOrTx, unitId: string, e: OpeningException): Promise<void> {
  const values = { closed: e.closed ? 1 : 0, opens: e.closed ? null : e.opens, closes: e.closed ? null : e.closes, note: e.note };
  await tx
    .insertInto('opening_exceptions')
    .values({ id: newId(), unit_id: unitId, date: e.date, ...values })
    .onConflict((oc) => oc.columns(['unit_id', 'date']).doUpdateSet(values))
    .execute();
}

export async function deleteOpeningException(tx: DbOrTx, unitId: string, date: string): Promise<void> {
  await tx.deleteFrom('opening_exceptions').where('unit_id', '=', unitId).where('date', '=', date).execute();
}

export async function openingExceptions(db: DbOrTx, unitId: string, fromDate: string): Promise<OpeningException[]> {
  const rows = await db
    .selectFrom('opening_exceptions')
    .select(['date', 'closed', 'opens', 'closes', 'note'])
    .where('unit_id', '=', unitId)
    .where('date', '>=', fromDate)
    .orderBy('date')
    .execute();
  return rows.map((r) => ({ ...r, closed: r.closed === 1 }));
}

// ---- people ----

export interface PersonFields {
  name: string;
  email: string;
  jobRole: JobRole;
  leadershipLevel: LeadershipLevel | null;
  title: string | null;
  phone: string | null;
}

export async function insertPerson(tx: DbOrTx, f: PersonFields & { passwordHash?: string | null; externalId?: string | null }): Promise<string> {
  const id = newId();
  const now = nowIso();
  await tx
    .insertInto('people')
    .values({
      id,
      name: f.name,
      email: f.email,
      job_role: f.jobRole,
      leadership_level: f.leadershipLevel,
      title: f.title,
      phone: f.phone,
      active: 1,
      password_hash: f.passwordHash ?? null,
      external_id: f.externalId ?? null,
      failed_signins: 0,
      locked_until: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export async function updatePerson(tx: DbOrTx, id: string, f: PersonFields): Promise<void> {
  await tx
    .updateTable('people')
    .set({ name: f.name, email: f.email, job_role: f.jobRole, leadership_level: f.leadershipLevel, title: f.title, phone: f.phone, updated_at: nowIso() })
    .where('id', '=', id)
    .execute();
}

export async function setPersonActive(tx: DbOrTx, id: string, active: boolean): Promise<void> {
  await tx.updateTable('people').set({ active: active ? 1 : 0, updated_at: nowIso() }).where('id', '=', id).execute();
}

export async function setPersonUnits(tx: Tx, personId: string, unitIds: string[]): Promise<void> {
  await tx.deleteFrom('person_units').where('person_id', '=', personId).execute();
  if (unitIds.length === 0) return;
  await tx.insertInto('person_units').values([...new Set(unitIds)].map((unit_id) => ({ person_id: personId, unit_id }))).execute();
}

async function unitIdsOf(db: DbOrTx, personIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (personIds.length === 0) return map;
  const rows = await db.selectFrom('person_units').select(['person_id', 'unit_id']).where('person_id', 'in', personIds).execute();
  for (const r of rows) map.set(r.person_id, [...(map.get(r.person_id) ?? []), r.unit_id]);
  return map;
}

export async function findPersonRow(db: DbOrTx, id: string): Promise<PersonRow | undefined> {
  return db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findPersonRowByEmail(db: DbOrTx, email: string): Promise<PersonRow | undefined> {
  return db.selectFrom('people').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export async function findPersonRowByExternalId(db: DbOrTx, externalId: string): Promise<PersonRow | undefined> {
  return db.selectFrom('people').selectAll().where('external_id', '=', externalId).executeTakeFirst();
}

export async function findPerson(db: DbOrTx, id: string): Promise<Person | undefined> {
  const row = await findPersonRow(db, id);
  if (!row) return undefined;
  return toPerson(row, (await unitIdsOf(db, [id])).get(id) ?? []);
}

export interface PeopleFilter {
  q?: string;
  unitId?: string;
  jobRole?: JobRole;
  includeInactive?: boolean;
  limit: number;
  offset: number;
}

export async function listPeople(db: DbOrTx, f: PeopleFilter): Promise<{ people: Person[]; total: number }> {
  let q = db.selectFrom('people');
  if (!f.includeInactive) q = q.where('active', '=', 1);
  if (f.jobRole) q = q.where('job_role', '=', f.jobRole);
  if (f.unitId) q = q.where('id', 'in', db.selectFrom('person_units').select('person_id').where('unit_id', '=', f.unitId));
  if (f.q) {
    const text = f.q;
    q = q.where((eb) => eb.or([containsText('name', text), containsText('email', text)]));
  }
  const total = Number((await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await q.selectAll().orderBy('name').limit(f.limit).offset(f.offset).execute();
  const units = await unitIdsOf(db, rows.map((r) => r.id));
  return { people: rows.map((r) => toPerson(r, units.get(r.id) ?? [])), total };
}

export async function setPasswordHash(tx: DbOrTx, id: string, hash: string): Promise<void> {
  await tx.updateTable('people').set({ password_hash: hash, failed_signins: 0, locked_until: null, updated_at: nowIso() }).where('id', '=', id).execute();
}

export async function setExternalId(tx: DbOrTx, id: string, externalId: string): Promise<void> {
  await tx.updateTable('people').set({ external_id: externalId, updated_at: nowIso() }).where('id', '=', id).execute();
}

export async function recordFailedSignin(tx: DbOrTx, id: string, failed: number, lockedUntil: string | null): Promise<void> {
  await tx.updateTable('people').set({ failed_signins: failed, locked_until: lockedUntil }).where('id', '=', id).execute();
}

export async function clearFailedSignins(tx: DbOrTx, id: string): Promise<void> {
  await tx.updateTable('people').set({ failed_signins: 0, locked_until: null }).where('id', '=', id).execute();
}

// ---- groups ----

export interface GroupFields {
  name: string;
  kind: GroupKind;
  channel: Channel | null;
  subsiteUnitId: string | null;
  purpose: string | null;
  endsOn: string | null;
}

export async function insertGroup(tx: DbOrTx, f: GroupFields): Promise<string> {
  const id = newId();
  const now = nowIso();
  await tx
    .insertInto('groups')
    .values({ id, name: f.name, kind: f.kind, channel: f.channel, subsite_unit_id: f.subsiteUnitId, purpose: f.purpose, ends_on: f.endsOn, active: 1, created_at: now, updated_at: now })
    .execute();
  return id;
}

export async function updateGroup(tx: DbOrTx, id: string, f: GroupFields): Promise<void> {
  await tx
    .updateTable('groups')
    .set({ name: f.name, kind: f.kind, channel: f.channel, subsite_unit_id: f.subsiteUnitId, purpose: f.purpose, ends_on: f.endsOn, updated_at: nowIso() })
    .where('id', '=', id)
    .execute();
}

export async function setGroupActive(tx: DbOrTx, id: string, active: boolean): Promise<void> {
  await tx.updateTable('groups').set({ active: active ? 1 : 0, updated_at: nowIso() }).where('id', '=', id).execute();
}

export async function findGroup(db: DbOrTx, id: string): Promise<Group | undefined> {
  const row = await db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toGroup(row);
}

export async function findChannelGroup(db: DbOrTx, channel: Channel): Promise<Group | undefined> {
  const row = await db.selectFrom('groups').selectAll().where('kind', '=', 'channel_editors').where('channel', '=', channel).where('active', '=', 1).executeTakeFirst();
  return row && toGroup(row);
}

export async function listGroups(db: DbOrTx, filter: { q?: string; includeInactive?: boolean } = {}): Promise<(Group & { memberCount: number })[]> {
  let q = db
    .selectFrom('groups')
    .leftJoin('group_members', 'group_members.group_id', 'groups.id')
    .selectAll('groups')
    .select((eb) => eb.fn.count<number>('group_members.person_id').as('member_count'))
    .groupBy(['groups.id', 'groups.name', 'groups.kind', 'groups.channel', 'groups.subsite_unit_id', 'groups.purpose', 'groups.ends_on', 'groups.active', 'groups.created_at', 'groups.updated_at']);
  if (!filter.includeInactive) q = q.where('groups.active', '=', 1);
  if (filter.q) q = q.where(containsText('groups.name', filter.q));
  const rows = await q.orderBy('groups.kind').orderBy('groups.name').execute();
  return rows.map((r) => ({ ...toGroup(r), memberCount: Number(r.member_count) }));
}

export async function groupMembers(db: DbOrTx, groupId: string): Promise<{ personId: string; name: string; email: string; role: MemberRole; active: boolean }[]> {
  const rows = await db
    .selectFrom('group_members')
    .innerJoin('people', 'people.id', 'group_members.person_id')
    .select(['people.id', 'people.name', 'people.email', 'people.active', 'group_members.role'])
    .where('group_members.group_id', '=', groupId)
    .orderBy('people.name')
    .execute();
  return rows.map((r) => ({ personId: r.id, name: r.name, email: r.email, role: r.role as MemberRole, active: r.active === 1 }));
}

export async function setMember(tx: DbOrTx, groupId: string, personId: string, role: MemberRole): Promise<void> {
  await tx
    .insertInto('group_members')
    .values({ group_id: groupId, person_id: personId, role })
    .onConflict((oc) => oc.columns(['group_id', 'person_id']).doUpdateSet({ role }))
    .execute();
}

export async function removeMember(tx: DbOrTx, groupId: string, personId: string): Promise<void> {
  await tx.deleteFrom('group_members').where('group_id', '=', groupId).where('person_id', '=', personId).execute();
}

export async function groupsOf(db: DbOrTx, personId: string): Promise<(Group & { role: MemberRole })[]> {
  const rows = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .selectAll('groups')
    .select('group_members.role')
    .where('group_members.person_id', '=', personId)
    .orderBy('groups.name')
    .execute();
  return rows.map((r) => ({ ...toGroup(r), role: r.role as MemberRole }));
}

/** Everything capabilities are derived from, in three indexed queries. */
export type CapabilityRows = Omit<CapabilitySources, 'active' | 'jobRole'>;

/** A person's units, active groups and headships: what their rights come from besides their role. */
export async function capabilityRowsOf(db: DbOrTx, personId: string, today: string): Promise<CapabilityRows> {
  const [units, memberships, heads] = await Promise.all([
    db.selectFrom('person_units').select('unit_id').where('person_id', '=', personId).execute(),
    db
      .selectFrom('group_members')
      .innerJoin('groups', 'groups.id', 'group_members.group_id')
      .select(['groups.id', 'groups.kind', 'groups.channel', 'groups.subsite_unit_id', 'group_members.role'])
      .where('group_members.person_id', '=', personId)
      .where('groups.active', '=', 1)
      .where((eb) => eb.or([eb('groups.ends_on', 'is', null), eb('groups.ends_on', '>=', today)]))
      .execute(),
    db.selectFrom('units').select(['id', 'is_platform_owner']).where('head_id', '=', personId).where('active', '=', 1).execute(),
  ]);
  return {
    unitIds: units.map((u) => u.unit_id),
    memberships: memberships.map((m) => ({ groupId: m.id, kind: m.kind as GroupKind, channel: m.channel as Channel | null, subsiteUnitId: m.subsite_unit_id, role: m.role as MemberRole })),
    heads: heads.map((h) => ({ unitId: h.id, isPlatformOwner: h.is_platform_owner === 1 })),
  };
}

export async function capabilitySources(db: DbOrTx, person: PersonRow, today: string): Promise<CapabilitySources> {
  return { active: person.active === 1, jobRole: person.job_role as JobRole, ...(await capabilityRowsOf(db, person.id, today)) };
}

/** Names and addresses of the active people among these ids. */
export async function activePeople(db: DbOrTx, ids: string[]): Promise<{ name: string; email: string }[]> {
  if (!ids.length) return [];
  return db.selectFrom('people').select(['name', 'email']).where('id', 'in', ids).where('active', '=', 1).orderBy('name').execute();
}
