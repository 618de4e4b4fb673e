import { sql } from 'kysely';
import type { peopleInAudience } from '../intranet/audience.ts';
import type { DbOrTx, Tx } from '../platform/database.ts';
import { newId } from '../platform/ids.ts';
import { DEFAULT_FREQUENCY, type Frequency, isFrequency, isKind, kindsDefaultingTo, type NewNotification, type Notification, NOTIFICATION_KINDS, type NotificationKind, type Preferences } from './model.ts';
import type { NotificationsTable } from './tables.ts';

// ---- preferences ----

export async function preferencesOf(db: DbOrTx, personId: string): Promise<Preferences> {
  const rows = await db.selectFrom('notification_preferences').select(['kind', 'frequency']).where('person_id', '=', personId).execute();
  const prefs: Preferences = { ...DEFAULT_FREQUENCY };
  for (const r of rows) if (isKind(r.kind) && isFrequency(r.frequency)) prefs[r.kind] = r.frequency;
  return prefs;
}

/** Which kinds the person has chosen for themselves (the rest follow the defaults). */
export async function chosenKinds(db: DbOrTx, personId: string): Promise<Set<NotificationKind>> {
  const rows = await db.selectFrom('notification_preferences').select('kind').where('person_id', '=', personId).execute();
  return new Set(rows.map((r) => r.kind).filter(isKind));
}

export async function savePreferences(tx: DbOrTx, personId: string, prefs: Partial<Preferences>, at: string): Promise<void> {
  const rows = NOTIFICATION_KINDS.filter((k) => prefs[k] !== undefined).map((kind) => ({ person_id: personId, kind, frequency: prefs[kind]!, updated_at: at }));
  if (!rows.length) return;
  await tx
    .insertInto('notification_preferences')
    .values(rows)
    .onConflict((oc) => oc.columns(['person_id', 'kind']).doUpdateSet((eb) => ({ frequency: eb.ref('excluded.frequency'), updated_at: eb.ref('excluded.updated_at') })))
    .execute();
}

// ---- the reader's list ----

const toNotification = (r: Pick<NotificationsTable, 'id' | 'kind' | 'title' | 'text' | 'url' | 'created_at' | 'read_at'>): Notification => ({
  id: r.id,
  kind: r.kind as NotificationKind,
  title: r.title,
  text: r.text,
  url: r.url,
  createdAt: r.created_at,
  read: r.read_at !== null,
});

/** Newest first. */
export async function notificationsOf(db: DbOrTx, personId: string, page: { limit: number; offset: number }): Promise<Notification[]> {
  const rows = await db
    .selectFrom('notifications')
    .select(['id', 'kind', 'title', 'text', 'url', 'created_at', 'read_at'])
    .where('person_id', '=', personId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map(toNotification);
}

export async function countOf(db: DbOrTx, personId: string, onlyUnread = false): Promise<number> {
  let q = db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string | number | bigint>().as('count'))
    .where('person_id', '=', personId);
  if (onlyUnread) q = q.where('read_at', 'is', null);
  return Number((await q.executeTakeFirstOrThrow()).count);
}

/** False when the notification is not the person's (or does not exist). */
export async function markRead(tx: DbOrTx, personId: string, id: string, at: string): Promise<{ found: boolean; changed: boolean }> {
  const row = await tx.selectFrom('notifications').select(['id', 'read_at']).where('id', '=', id).where('person_id', '=', personId).executeTakeFirst();
  if (!row) return { found: false, changed: false };
  if (row.read_at !== null) return { found: true, changed: false };
  await tx.updateTable('notifications').set({ read_at: at }).where('id', '=', id).where('read_at', 'is', null).execute();
  return { found: true, changed: true };
}

export async function markAllRead(tx: DbOrTx, personId: string, at: string): Promise<number> {
  const result = await tx.updateTable('notifications').set({ read_at: at }).where('person_id', '=', personId).where('read_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// ---- delivery ----

export interface PendingRow {
  id: string;
  person_id: string;
  kind: string;
  title: string;
  text: string;
  url: string;
  created_at: string;
  name: string;
  email: string;
}

/**
 * Unmailed, unread notifications of active people whose preference for the kind is `frequency`: a stored choice,
 * or the kind's default when there is none. Ordered by person, then oldest first, so a run can group as it reads.
 */
function pending(db: DbOrTx, frequency: Frequency) {
  const defaults = kindsDefaultingTo(frequency);
  return db
    .selectFrom('notifications as n')
    // A cross join with the condition below: SQLite then reads notifications first, through the index of unmailed
    // rows, instead of starting from 20,000 people and reading each one's history. PostgreSQL plans it as a join.
    .crossJoin('people as p')
    .whereRef('p.id', '=', 'n.person_id')
    .leftJoin('notification_preferences as np', (join) => join.onRef('np.person_id', '=', 'n.person_id').onRef('np.kind', '=', 'n.kind'))
    .select(['n.id', 'n.person_id', 'n.kind', 'n.title', 'n.text', 'n.url', 'n.created_at', 'p.name', 'p.email'])
    .where('n.mailed_at', 'is', null)
    .where('n.read_at', 'is', null)
    .where('p.active', '=', 1)
    .where((eb) => {
      const chosen = eb('np.frequency', '=', frequency);
      return defaults.length ? eb.or([chosen, eb.and([eb('np.frequency', 'is', null), eb('n.kind', 'in', defaults)])]) : chosen;
    })
    .orderBy('n.person_id')
    .orderBy('n.created_at')
    .orderBy('n.id');
}

/** Everything a digest run of this frequency should mail: recorded after `since` and up to `until`. */
export function pendingForDigest(db: DbOrTx, frequency: Frequency, window: { since: string; until: string }): Promise<PendingRow[]> {
  return pending(db, frequency).where('n.created_at', '>', window.since).where('n.created_at', '<=', window.until).execute();
}

/** One source's notifications for the people who want that kind at once. */
export function pendingForSource(db: DbOrTx, sourceKey: string): Promise<PendingRow[]> {
  return pending(db, 'now').where('n.source_key', '=', sourceKey).execute();
}

/**
 * A late repeat never moves the time a mail went out. (Kept in the SET rather than the WHERE, where SQLite would
 * take `mailed_at IS NULL` for the index to use and read every unmailed row.)
 */
export async function markMailed(db: DbOrTx, ids: string[], at: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .updateTable('notifications')
      .set((eb) => ({ mailed_at: eb.fn.coalesce('mailed_at', eb.val(at)) }))
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
  }
}

// ---- recording ----

export async function insertNotifications(tx: DbOrTx, personIds: string[], n: NewNotification, at: string): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < personIds.length; i += 500) {
    const rows = personIds.slice(i, i + 500).map((person_id) => ({
      id: newId(),
      person_id,
      kind: n.kind,
      source_key: n.sourceKey,
      title: n.title,
      text: n.text,
      url: n.url,
      created_at: at,
      read_at: null,
      mailed_at: null,
    }));
    const result = await tx.insertInto('notifications').values(rows).onConflict((oc) => oc.columns(['person_id', 'source_key']).doNothing()).executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

export async function sourceExists(tx: DbOrTx, sourceKey: string): Promise<boolean> {
  return (await tx.selectFrom('notifications').select('id').where('source_key', '=', sourceKey).limit(1).executeTakeFirst()) !== undefined;
}

type AudienceQuery = Awaited<ReturnType<typeof peopleInAudience>>;

/**
 * One notification for every person the audience query reaches, written by the database in one statement
 * (INSERT … SELECT), so an audience of 20,000 never passes through the process. Ids are a fresh id per run
 * joined with the person's id: unique, and made here rather than by a dialect's function.
 */
export async function insertForAudience(tx: Tx, audience: AudienceQuery, n: Omit<NewNotification, 'personIds'>, at: string): Promise<number> {
  const run = newId();
  const text = (value: string) => sql<string>`cast(${value} as text)`;
  const rows = audience
    .clearSelect()
    .select([
      sql<string>`cast(${`${run}:`} as text) || people.id`.as('id'),
      'people.id as person_id',
      text(n.kind).as('kind'),
      text(n.sourceKey).as('source_key'),
      text(n.title).as('title'),
      text(n.text).as('text'),
      text(n.url).as('url'),
      text(at).as('created_at'),
    ]);
  const result = await tx
    .insertInto('notifications')
    .columns(['id', 'person_id', 'kind', 'source_key', 'title', 'text', 'url', 'created_at'])
    .expression(rows)
    .onConflict((oc) => oc.columns(['person_id', 'source_key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}
