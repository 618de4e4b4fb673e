import type { z } from 'zod';
import { audit } from '../platform/audit/service.ts';
import type { Db, Tx } from '../platform/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { auditActor, type Actor } from './actor.ts';
import { canAdministerOrg, canManageGroups } from './access.ts';
import {
  fieldErrors,
  groupInput,
  type GroupInput,
  MEMBER_ROLES,
  type MemberRole,
  openingExceptionInput,
  personInput,
  type PersonInput,
  unitInput,
  type UnitInput,
  weeklyHoursInput,
  type WeeklyHours,
} from './model.ts';
import * as store from './store.ts';
import { deleteSessionsOf } from '../signin/store.ts';

function parse<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const result = schema.safeParse(raw);
  if (!result.success) throw new ValidationError(fieldErrors(result.error));
  return result.data;
}

function require(allowed: boolean): void {
  if (!allowed) throw new ForbiddenError();
}

const log = (tx: Tx, actor: Actor, action: string, objectType: string, objectId: string, details: Record<string, unknown> = {}) =>
  audit(tx, { ...auditActor(actor), action, objectType, objectId, details });

// ---- units ----

async function checkUnitReferences(tx: Tx, input: UnitInput, selfId: string | null): Promise<void> {
  const clash = await store.findUnitBySlug(tx, input.slug);
  if (clash && clash.id !== selfId) throw new ValidationError({ slug: `Adressen "${input.slug}" bruges allerede af ${clash.name}.` });
  if (input.parentId) {
    if (!(await store.findUnit(tx, input.parentId))) throw new ValidationError({ parentId: 'Den valgte overordnede enhed findes ikke.' });
    // A unit cannot sit below itself or below one of its own sub-units.
    for (let id: string | null = input.parentId; id; id = (await store.findUnit(tx, id))?.parentId ?? null) {
      if (id === selfId) throw new ValidationError({ parentId: 'En enhed kan ikke ligge under sig selv eller en af sine underenheder.' });
    }
  }
  if (input.headId && !(await store.findPersonRow(tx, input.headId))) throw new ValidationError({ headId: 'Den valgte leder findes ikke.' });
}

export async function createUnit(db: Db, actor: Actor, raw: unknown, options: { isPlatformOwner?: boolean } = {}): Promise<string> {
  require(canAdministerOrg(actor));
  const input = parse(unitInput, raw);
  return db.transaction().execute(async (tx) => {
    await checkUnitReferences(tx, input, null);
    const id = await store.insertUnit(tx, { ...input, isPlatformOwner: options.isPlatformOwner });
    await log(tx, actor, 'unit.created', 'unit', id, { name: input.name, kind: input.kind });
    return id;
  });
}

export async function updateUnit(db: Db, actor: Actor, id: string, raw: unknown): Promise<void> {
  require(canAdministerOrg(actor));
  const input = parse(unitInput, raw);
  await db.transaction().execute(async (tx) => {
    const before = await store.findUnit(tx, id);
    if (!before) throw new NotFoundError('Enheden findes ikke.');
    await checkUnitReferences(tx, input, id);
    await store.updateUnit(tx, id, input);
    await log(tx, actor, 'unit.updated', 'unit', id, { changed: changedFields(before, input) });
  });
}

export async function setUnitActive(db: Db, actor: Actor, id: string, active: boolean): Promise<void> {
  require(canAdministerOrg(actor));
  await db.transaction().execute(async (tx) => {
    const unit = await store.findUnit(tx, id);
    if (!unit) throw new NotFoundError('Enheden findes ikke.');
    if (!active && unit.isPlatformOwner) throw new ValidationError({ _form: 'Platformsejerens enhed kan ikke deaktiveres.' });
    await store.setUnitActive(tx, id, active);
    await log(tx, actor, active ? 'unit.enabled' : 'unit.disabled', 'unit', id, { name: unit.name });
  });
}

/** Replaces a unit's weekly hours; `raw` is a list of { weekday, opens, closes }. */
export async function setWeeklyHours(db: Db, actor: Actor, unitId: string, raw: unknown[]): Promise<void> {
  require(canAdministerOrg(actor));
  const hours: WeeklyHours[] = [];
  const errors: Record<string, string> = {};
  raw.forEach((r, i) => {
    const result = weeklyHoursInput.safeParse(r);
    if (result.success) hours.push(result.data);
    else errors[`hours-${i}`] = result.error.issues[0]?.message ?? 'Ugyldig åbningstid.';
  });
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await db.transaction().execute(async (tx) => {
    if (!(await store.findUnit(tx, unitId))) throw new NotFoundError('Enheden findes ikke.');
    await store.replaceWeeklyHours(tx, unitId, hours);
    await log(tx, actor, 'unit.hours_set', 'unit', unitId, { hours });
  });
}

export async function setOpeningException(db: Db, actor: Actor, unitId: string, raw: unknown): Promise<void> {
  require(canAdministerOrg(actor));
  const input = parse(openingExceptionInput, raw);
  await db.transaction().execute(async (tx) => {
    if (!(await store.findUnit(tx, unitId))) throw new NotFoundError('Enheden findes ikke.');
    await store.upsertOpeningException(tx, unitId, input);
    await log(tx, actor, 'unit.exception_set', 'unit', unitId, { ...input });
  });
}

export async function removeOpeningException(db: Db, actor: Actor, unitId: string, date: string): Promise<void> {
  require(canAdministerOrg(actor));
  await db.transaction().execute(async (tx) => {
    await store.deleteOpeningException(tx, unitId, date);
    await log(tx, actor, 'unit.exception_removed', 'unit', unitId, { date });
  });
}

// ---- people ----

async function checkPersonReferences(tx: Tx, input: PersonInput, selfId: string | null): Promise<void> {
  const clash = await store.findPersonRowByEmail(tx, input.email);
  if (clash && clash.id !== selfId) throw new ValidationError({ email: `E-mailadressen ${input.email} bruges allerede af ${clash.name}.` });
  for (const unitId of input.unitIds) {
    if (!(await store.findUnit(tx, unitId))) throw new ValidationError({ unitIds: 'En af de valgte enheder findes ikke.' });
  }
}

export async function createPerson(db: Db, actor: Actor, raw: unknown, options: { passwordHash?: string | null; externalId?: string | null } = {}): Promise<string> {
  require(canAdministerOrg(actor));
  const input = parse(personInput, raw);
  return db.transaction().execute(async (tx) => {
    await checkPersonReferences(tx, input, null);
    const id = await store.insertPerson(tx, { ...input, ...options });
    await store.setPersonUnits(tx, id, input.unitIds);
    await log(tx, actor, 'person.created', 'person', id, { name: input.name, email: input.email, jobRole: input.jobRole });
    return id;
  });
}

export async function updatePerson(db: Db, actor: Actor, id: string, raw: unknown): Promise<void> {
  require(canAdministerOrg(actor));
  const input = parse(personInput, raw);
  await db.transaction().execute(async (tx) => {
    const before = await store.findPerson(tx, id);
    if (!before) throw new NotFoundError('Personen findes ikke.');
    await checkPersonReferences(tx, input, id);
    await store.updatePerson(tx, id, input);
    await store.setPersonUnits(tx, id, input.unitIds);
    await log(tx, actor, 'person.updated', 'person', id, { changed: changedFields(before, input) });
  });
}

export async function setPersonActive(db: Db, actor: Actor, id: string, active: boolean): Promise<void> {
  require(canAdministerOrg(actor));
  if (!active && id === actor.personId) throw new ValidationError({ _form: 'Du kan ikke deaktivere dig selv.' });
  await db.transaction().execute(async (tx) => {
    const person = await store.findPersonRow(tx, id);
    if (!person) throw new NotFoundError('Personen findes ikke.');
    await store.setPersonActive(tx, id, active);
    // A disabled person is signed out everywhere at once.
    if (!active) await deleteSessionsOf(tx, id);
    await log(tx, actor, active ? 'person.enabled' : 'person.disabled', 'person', id, { email: person.email });
  });
}

// ---- groups ----

async function checkGroupReferences(tx: Tx, input: GroupInput, selfId: string | null): Promise<void> {
  if (input.kind === 'channel_editors' && input.channel) {
    const existing = await store.findChannelGroup(tx, input.channel);
    if (existing && existing.id !== selfId) throw new ValidationError({ channel: `Kanalen har allerede en redaktørgruppe: ${existing.name}.` });
  }
  if (input.subsiteUnitId && !(await store.findUnit(tx, input.subsiteUnitId))) throw new ValidationError({ subsiteUnitId: 'Den valgte institution findes ikke.' });
}

export async function createGroup(db: Db, actor: Actor, raw: unknown): Promise<string> {
  require(canManageGroups(actor));
  const input = parse(groupInput, raw);
  return db.transaction().execute(async (tx) => {
    await checkGroupReferences(tx, input, null);
    const id = await store.insertGroup(tx, input);
    await log(tx, actor, 'group.created', 'group', id, { name: input.name, kind: input.kind });
    return id;
  });
}

export async function updateGroup(db: Db, actor: Actor, id: string, raw: unknown): Promise<void> {
  require(canManageGroups(actor));
  const input = parse(groupInput, raw);
  await db.transaction().execute(async (tx) => {
    const before = await store.findGroup(tx, id);
    if (!before) throw new NotFoundError('Gruppen findes ikke.');
    await checkGroupReferences(tx, input, id);
    await store.updateGroup(tx, id, input);
    await log(tx, actor, 'group.updated', 'group', id, { changed: changedFields(before, input) });
  });
}

export async function setGroupActive(db: Db, actor: Actor, id: string, active: boolean): Promise<void> {
  require(canManageGroups(actor));
  await db.transaction().execute(async (tx) => {
    const group = await store.findGroup(tx, id);
    if (!group) throw new NotFoundError('Gruppen findes ikke.');
    await store.setGroupActive(tx, id, active);
    await log(tx, actor, active ? 'group.enabled' : 'group.disabled', 'group', id, { name: group.name });
  });
}

export async function setGroupMember(db: Db, actor: Actor, groupId: string, email: string, role: string): Promise<void> {
  require(canManageGroups(actor));
  if (!(MEMBER_ROLES as readonly string[]).includes(role)) throw new ValidationError({ role: 'Vælg medlem eller tovholder.' });
  await db.transaction().execute(async (tx) => {
    if (!(await store.findGroup(tx, groupId))) throw new NotFoundError('Gruppen findes ikke.');
    const person = email.trim() ? await store.findPersonRowByEmail(tx, email) : undefined;
    if (!person) throw new ValidationError({ email: email.trim() ? `Der findes ingen person med e-mailadressen ${email.trim()}.` : 'Skriv e-mailadressen på den person, der skal være medlem.' });
    await store.setMember(tx, groupId, person.id, role as MemberRole);
    await log(tx, actor, 'group.member_set', 'group', groupId, { personId: person.id, email: person.email, role });
  });
}

export async function removeGroupMember(db: Db, actor: Actor, groupId: string, personId: string): Promise<void> {
  require(canManageGroups(actor));
  await db.transaction().execute(async (tx) => {
    await store.removeMember(tx, groupId, personId);
    await log(tx, actor, 'group.member_removed', 'group', groupId, { personId });
  });
}

function changedFields(before: object, after: object): string[] {
  const b = before as Record<string, unknown>;
  return Object.entries(after)
    .filter(([k, v]) => JSON.stringify(b[k] ?? null) !== JSON.stringify(v ?? null))
    .map(([k]) => k);
}
