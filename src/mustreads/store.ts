import type { AudienceKey, Viewer } from '../intranet/audience.ts';
import { peopleInAudience } from '../intranet/audience.ts';
import { MUST_READ } from '../intranet/item-audience.ts';
import type { DbOrTx, Tx } from '../platform/database.ts';

// Plain queries of the must-reads' tables. Who may call them, and with what, is decided in service.ts.

const count = (v: string | number | bigint | null | undefined): number => Number(v ?? 0);

// ---- the must-read entries of the audience index ----

/** When the item became listed as a must-read for this viewer; undefined when it is not a live must-read for them. */
export async function mustReadEntryFor(db: DbOrTx, viewer: Viewer, itemId: string): Promise<{ sortAt: string } | undefined> {
  if (!viewer.keys.length) return undefined;
  const row = await db
    .selectFrom('audience_entries')
    .select('sort_at')
    .where('object_type', '=', 'item')
    .where('object_id', '=', itemId)
    .where('category', '=', MUST_READ)
    .where((eb) => eb.or(viewer.keys.map((k) => eb.and([eb('kind', '=', k.kind), eb('value', '=', k.value)]))))
    .limit(1)
    .executeTakeFirst();
  return row ? { sortAt: row.sort_at } : undefined;
}

/** The ids of every live must-read: a range of the audience index, never a scan of the items. */
export async function liveMustReadIds(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectFrom('audience_entries').select('object_id').distinct().where('category', '=', MUST_READ).where('object_type', '=', 'item').execute();
  return rows.map((r) => r.object_id);
}

// ---- acknowledgements ----

export async function findAcknowledgement(db: DbOrTx, itemId: string, personId: string): Promise<string | null> {
  const row = await db.selectFrom('acknowledgements').select('acknowledged_at').where('item_id', '=', itemId).where('person_id', '=', personId).executeTakeFirst();
  return row?.acknowledged_at ?? null;
}

/** A person's acknowledgements among these items: item id → when. */
export async function acknowledgementsOf(db: DbOrTx, personId: string, itemIds: string[]): Promise<Map<string, string>> {
  if (!itemIds.length) return new Map();
  const rows = await db.selectFrom('acknowledgements').select(['item_id', 'acknowledged_at']).where('person_id', '=', personId).where('item_id', 'in', itemIds).execute();
  return new Map(rows.map((r) => [r.item_id, r.acknowledged_at]));
}

/** False when the person had acknowledged already (the first time stands). */
export async function insertAcknowledgement(tx: Tx, itemId: string, personId: string, at: string): Promise<boolean> {
  const result = await tx
    .insertInto('acknowledgements')
    .values({ item_id: itemId, person_id: personId, acknowledged_at: at })
    .onConflict((oc) => oc.columns(['item_id', 'person_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

// ---- the audience and who has acknowledged, counted by the database ----

/** The active people an item's audience reaches, each with when they acknowledged it (null: not yet). */
async function audienceWithAcknowledgements(db: DbOrTx, itemId: string, keys: AudienceKey[]) {
  return (await peopleInAudience(db, keys)).leftJoin('acknowledgements as ack', (join) => join.onRef('ack.person_id', '=', 'people.id').on('ack.item_id', '=', itemId));
}

export interface StatusFilter {
  /** Only people placed in this unit. */
  unitId?: string;
  /** Only those who have (true) or have not (false) acknowledged. */
  acknowledged?: boolean;
}

async function filteredAudience(db: DbOrTx, itemId: string, keys: AudienceKey[], filter: StatusFilter) {
  let q = await audienceWithAcknowledgements(db, itemId, keys);
  if (filter.unitId) {
    const unitId = filter.unitId;
    q = q.where((eb) => eb.exists(eb.selectFrom('person_units as pu').select('pu.person_id').whereRef('pu.person_id', '=', 'people.id').where('pu.unit_id', '=', unitId)));
  }
  if (filter.acknowledged === true) q = q.where('ack.acknowledged_at', 'is not', null);
  if (filter.acknowledged === false) q = q.where('ack.acknowledged_at', 'is', null);
  return q;
}

export async function audienceTotals(db: DbOrTx, itemId: string, keys: AudienceKey[], filter: StatusFilter = {}): Promise<{ people: number; acknowledged: number }> {
  const row = await (await filteredAudience(db, itemId, keys, filter))
    .clearSelect()
    .select((eb) => [eb.fn.countAll<string | number | bigint>().as('people'), eb.fn.count<string | number | bigint>('ack.acknowledged_at').as('acknowledged')])
    .executeTakeFirstOrThrow();
  return { people: count(row.people), acknowledged: count(row.acknowledged) };
}

export interface UnitCount {
  /** null for people placed in no unit. */
  unitId: string | null;
  unitName: string | null;
  people: number;
  acknowledged: number;
}

/** The audience counted per unit the people are placed in; someone in two units counts in both. */
export async function countsByUnit(db: DbOrTx, itemId: string, keys: AudienceKey[]): Promise<UnitCount[]> {
  const rows = await (await audienceWithAcknowledgements(db, itemId, keys))
    .leftJoin('person_units as pu', 'pu.person_id', 'people.id')
    .leftJoin('units as u', 'u.id', 'pu.unit_id')
    .clearSelect()
    .select((eb) => ['u.id as unit_id', 'u.name as unit_name', eb.fn.countAll<string | number | bigint>().as('people'), eb.fn.count<string | number | bigint>('ack.acknowledged_at').as('acknowledged')])
    .groupBy(['u.id', 'u.name'])
    .execute();
  return rows.map((r) => ({ unitId: r.unit_id, unitName: r.unit_name, people: count(r.people), acknowledged: count(r.acknowledged) }));
}

export interface AudiencePerson {
  id: string;
  name: string;
  email: string;
  acknowledgedAt: string | null;
  unitNames: string[];
}

/** One page of the audience by name, with their units. */
export async function audiencePage(db: DbOrTx, itemId: string, keys: AudienceKey[], filter: StatusFilter, page: { limit: number; offset: number }): Promise<AudiencePerson[]> {
  const rows = await (await filteredAudience(db, itemId, keys, filter))
    .clearSelect()
    .select(['people.id', 'people.name', 'people.email', 'ack.acknowledged_at'])
    .orderBy('people.name')
    .orderBy('people.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const units = await unitNamesOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({ id: r.id, name: r.name, email: r.email, acknowledgedAt: r.acknowledged_at, unitNames: units.get(r.id) ?? [] }));
}

async function unitNamesOf(db: DbOrTx, personIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!personIds.length) return out;
  const rows = await db.selectFrom('person_units').innerJoin('units', 'units.id', 'person_units.unit_id').select(['person_units.person_id', 'units.name']).where('person_units.person_id', 'in', personIds).orderBy('units.name').execute();
  for (const r of rows) out.set(r.person_id, [...(out.get(r.person_id) ?? []), r.name]);
  return out;
}

/**
 * The whole filtered audience by name, for the export: one statement with the units joined in, so 20,000 people
 * are one read and no list of ids is sent back to the database.
 */
export async function wholeAudience(db: DbOrTx, itemId: string, keys: AudienceKey[], filter: StatusFilter): Promise<AudiencePerson[]> {
  const rows = await (await filteredAudience(db, itemId, keys, filter))
    .leftJoin('person_units as pun', 'pun.person_id', 'people.id')
    .leftJoin('units as un', 'un.id', 'pun.unit_id')
    .clearSelect()
    .select(['people.id', 'people.name', 'people.email', 'ack.acknowledged_at', 'un.name as unit_name'])
    .orderBy('people.name')
    .orderBy('people.id')
    .orderBy('un.name')
    .execute();
  const people: AudiencePerson[] = [];
  for (const r of rows) {
    const last = people.at(-1);
    if (last?.id === r.id) {
      if (r.unit_name) last.unitNames.push(r.unit_name);
      continue;
    }
    people.push({ id: r.id, name: r.name, email: r.email, acknowledgedAt: r.acknowledged_at, unitNames: r.unit_name ? [r.unit_name] : [] });
  }
  return people;
}

/** The audience's people who have not acknowledged the item, as a query for notifying them in one statement. */
export async function notAcknowledged(db: DbOrTx, itemId: string, keys: AudienceKey[]) {
  return (await peopleInAudience(db, keys)).where((eb) =>
    eb.not(eb.exists(eb.selectFrom('acknowledgements as ack').select('ack.person_id').whereRef('ack.person_id', '=', 'people.id').where('ack.item_id', '=', itemId))),
  );
}

// ---- who may follow an item ----

export async function hasAuthored(db: DbOrTx, itemId: string, personId: string): Promise<boolean> {
  if (!personId) return false;
  const row = await db.selectFrom('revisions').select('item_id').where('item_id', '=', itemId).where('author_id', '=', personId).limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Of these items, the newest first by first publication: all of them (`all`), or those the person has written in
 * or whose owner unit is one of `unitIds`.
 */
export async function followedAmong(db: DbOrTx, itemIds: string[], who: { all: boolean; personId: string; unitIds: string[] }, limit: number) {
  if (!itemIds.length) return [];
  let q = db.selectFrom('items').select(['id', 'first_published_at']).where('id', 'in', itemIds);
  if (!who.all) {
    q = q.where((eb) => {
      const any = [eb.exists(eb.selectFrom('revisions').select('revisions.item_id').whereRef('revisions.item_id', '=', 'items.id').where('revisions.author_id', '=', who.personId))];
      if (who.unitIds.length) any.push(eb('items.owner_unit_id', 'in', who.unitIds));
      return eb.or(any);
    });
  }
  return q.orderBy('first_published_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

// ---- announcements and reminders ----

export async function findAnnouncement(db: DbOrTx, itemId: string): Promise<{ announcedAt: string; people: number } | null> {
  const row = await db.selectFrom('must_read_announcements').select(['announced_at', 'people']).where('item_id', '=', itemId).executeTakeFirst();
  return row ? { announcedAt: row.announced_at, people: Number(row.people) } : null;
}

export async function announcementsOf(db: DbOrTx, itemIds: string[]): Promise<Map<string, string>> {
  if (!itemIds.length) return new Map();
  const rows = await db.selectFrom('must_read_announcements').select(['item_id', 'announced_at']).where('item_id', 'in', itemIds).execute();
  return new Map(rows.map((r) => [r.item_id, r.announced_at]));
}

/** Takes the item's announcement; false when it was taken before (by this or another run). */
export async function claimAnnouncement(tx: Tx, itemId: string, at: string): Promise<boolean> {
  const result = await tx.insertInto('must_read_announcements').values({ item_id: itemId, announced_at: at, people: 0 }).onConflict((oc) => oc.column('item_id').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function setAnnouncedPeople(tx: Tx, itemId: string, people: number): Promise<void> {
  await tx.updateTable('must_read_announcements').set({ people }).where('item_id', '=', itemId).execute();
}

export async function remindersOf(db: DbOrTx, itemId: string): Promise<{ round: number; sentAt: string; people: number }[]> {
  const rows = await db.selectFrom('must_read_reminders').select(['round', 'sent_at', 'people']).where('item_id', '=', itemId).orderBy('round').execute();
  return rows.map((r) => ({ round: Number(r.round), sentAt: r.sent_at, people: Number(r.people) }));
}

/** Takes a reminder round; false when it was taken before. */
export async function claimReminder(tx: Tx, itemId: string, round: number, at: string): Promise<boolean> {
  const result = await tx
    .insertInto('must_read_reminders')
    .values({ item_id: itemId, round, sent_at: at, people: 0 })
    .onConflict((oc) => oc.columns(['item_id', 'round']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function setRemindedPeople(tx: Tx, itemId: string, round: number, people: number): Promise<void> {
  await tx.updateTable('must_read_reminders').set({ people }).where('item_id', '=', itemId).where('round', '=', round).execute();
}

/** The rounds already sent, of these items. */
export async function sentRounds(db: DbOrTx, itemIds: string[]): Promise<Set<string>> {
  if (!itemIds.length) return new Set();
  const rows = await db.selectFrom('must_read_reminders').select(['item_id', 'round']).where('item_id', 'in', itemIds).execute();
  return new Set(rows.map((r) => `${r.item_id}:${Number(r.round)}`));
}
