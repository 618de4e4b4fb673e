import type { z } from 'zod';
import { audit } from '../platform/audit/service.ts';
import type { Db, Tx } from '../platform/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { auditActor, type Actor } from './actor.ts';
import { canAdministerOrg, canManageGroups } from './access.ts';
import {
  fieldErrors,
  CHANNELS,
  type Channel,
  groupInput,
  MEMBER_ROLES,
  type MemberRole,
  openingExceptionInput,
  personInput,
  unitInput,
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

type Problems = Record<string, string>;
/** Fields as typed when the form did not validate, as parsed when it did; `ok` says the field passed the form checks. */
type ReferenceCheck = (fields: Record<string, unknown>, ok: (field: string) => boolean) => Promise<Problems>;

/** Form rules and database checks together, so a person sees every problem in one go. */
async function validate<T extends z.ZodType>(schema: T, raw: unknown, references: ReferenceCheck): Promise<z.infer<T>> {
  const result = schema.safeParse(raw);
  const formProblems = result.success ? {} : fieldErrors(result.error);
  const fields = (result.success ? result.data : (raw ?? {})) as Record<string, unknown>;
  const problems = { ...(await references(fields, (f) => !(f in formProblems))), ...formProblems };
  if (Object.keys(problems).length) throw new ValidationError(problems);
  return result.data as z.infer<T>;
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

function require(allowed: boolean): void {
  if (!allowed) throw new ForbiddenError();
}

const log = (tx: Tx, actor: Actor, action: string, objectType: string, objectId: string, details: Record<string, unknown> = {}) =>
  audit(tx, { ...auditActor(actor), action, objectType, objectId, details });

// ---- units ----

const unitProblems =
  (tx: Tx, selfId: string | null): ReferenceCheck =>
  async (f, ok) => {
    const problems: Problems = {};
    const slug = text(f.slug).toLowerCase();
    const clash = ok('slug') && slug ? await store.findUnitBySlug(tx, slug) : undefined;
    if (clash && clash.id !== selfId) problems.slug = `Adressen "${slug}" bruges allerede af ${clash.name}.`;
    const parentId = text(f.parentId);
    if (ok('parentId') && parentId) {
      if (!(await store.findUnit(tx, parentId))) problems.parentId = 'Den valgte overordnede enhed findes ikke.';
      // A unit cannot sit below itself or below one of its own sub-units.
      for (let id: string | null = parentId; id; id = (await store.findUnit(tx, id))?.parentId ?? null) {
        if (id === selfId) {
          problems.parentId = 'En enhed kan ikke ligge under sig selv eller en af sine underenheder.';
          break;
        }
      }
    }
    const headId = text(f.headId);
    if (ok('headId') && headId && !(await store.findPersonRow(tx, headId))) problems.headId = 'Den valgte leder findes ikke.';
    return problems;
  };

export async function createUnit(db: Db, actor: Actor, raw: unknown, options: { isPlatformOwner?: boolean } = {}): Promise<string> {
  require(canAdministerOrg(actor));
  return db.transaction().execute(async (tx) => {
    const input = await validate(unitInput, raw, unitProblems(tx, null));
    const id = await store.insertUnit(tx, { ...input, isPlatformOwner: options.isPlatformOwner });
    await log(tx, actor, 'unit.created', 'unit', id, { name: input.name, kind: input.kind });
    return id;
  });
}

export async function updateUnit(db: Db, actor: Actor, id: string, raw: unknown): Promise<void> {
  require(canAdministerOrg(actor));
  await db.transaction().execute(async (tx) => {
    const before = await store.findUnit(tx, id);
    if (!before) throw new NotFoundError('Enheden findes ikke.');
    const input = await validate(unitInput, raw, unitProblems(tx, id));
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

const personProblems =
  (tx: Tx, selfId: string | null): ReferenceCheck =>
  async (f, ok) => {
    const problems: Problems = {};
    const email = text(f.email).toLowerCase();
    const clash = ok('email') && email ? await store.findPersonRowByEmail(tx, email) : undefined;
    if (clash && clash.id !== selfId) problems.email = `E-mailadressen ${email} bruges allerede af ${clash.name}.`;
    const unitIds = ([] as unknown[]).concat(f.unitIds ?? []).map(text).filter(Boolean);
    for (const unitId of ok('unitIds') ? unitIds : []) {
      if (!(await store.findUnit(tx, unitId))) problems.unitIds = 'En af de valgte enheder findes ikke.';
    }
    return problems;
  };

export async function createPerson(db: Db, actor: Actor, raw: unknown, options: { passwordHash?: string | null; externalId?: string | null } = {}): Promise<string> {
  require(canAdministerOrg(actor));
  return db.transaction().execute(async (tx) => {
    const input = await validate(personInput, raw, personProblems(tx, null));
    const id = await store.insertPerson(tx, { ...input, ...options });
    await store.setPersonUnits(tx, id, input.unitIds);
    await log(tx, actor, 'person.created', 'person', id, { name: input.name, email: input.email, jobRole: input.jobRole });
    return id;
  });
}

export async function updatePerson(db: Db, actor: Actor, id: string, raw: unknown): Promise<void> {
  require(canAdministerOrg(actor));
  await db.transaction().execute(async (tx) => {
    const before = await store.findPerson(tx, id);
    if (!before) throw new NotFoundError('Personen findes ikke.');
    const input = await validate(personInput, raw, personProblems(tx, id));
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

const groupProblems =
  (tx: Tx, selfId: string | null): ReferenceCheck =>
  async (f, ok) => {
    const problems: Problems = {};
    const channel = text(f.channel);
    if (ok('kind') && ok('channel') && f.kind === 'channel_editors' && (CHANNELS as readonly string[]).includes(channel)) {
      const existing = await store.findChannelGroup(tx, channel as Channel);
      if (existing && existing.id !== selfId) problems.channel = `Kanalen har allerede en redaktørgruppe: ${existing.name}.`;
    }
    const subsiteUnitId = text(f.subsiteUnitId);
    if (ok('subsiteUnitId') && f.kind === 'subsite_editors' && subsiteUnitId && !(await store.findUnit(tx, subsiteUnitId))) {
      problems.subsiteUnitId = 'Den valgte institution findes ikke.';
    }
    return problems;
  };

export async function createGroup(db: Db, actor: Actor, raw: unknown): Promise<string> {
  require(canManageGroups(actor));
  return db.transaction().execute(async (tx) => {
    const input = await validate(groupInput, raw, groupProblems(tx, null));
    const id = await store.insertGroup(tx, input);
    await log(tx, actor, 'group.created', 'group', id, { name: input.name, kind: input.kind });
    return id;
  });
}

export async function updateGroup(db: Db, actor: Actor, id: string, raw: unknown): Promise<void> {
  require(canManageGroups(actor));
  await db.transaction().execute(async (tx) => {
    const before = await store.findGroup(tx, id);
    if (!before) throw new NotFoundError('Gruppen findes ikke.');
    const input = await validate(groupInput, raw, groupProblems(tx, id));
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
