import { keysOf, visibleObjects, type AudienceKey, type Viewer } from '../intranet/audience.ts';
import { MUST_READ } from '../intranet/item-audience.ts';
import { describeAudience, liveItems } from '../intranet/items.ts';
import { ITEM_TYPE_LABELS } from '../content/types.ts';
import { auditActor, type Actor } from '../org/actor.ts';
import { audit } from '../platform/audit/service.ts';
import type { Db, DbOrTx } from '../platform/database.ts';
import { ForbiddenError, NotFoundError } from '../platform/errors.ts';
import { nowIso } from '../platform/ids.ts';
import { followsAll, mayFollow, overviewUnits } from './access.ts';
import { acknowledgementsCsv } from './csv.ts';
import { acknowledgePath, type MustRead, mustReadOf, percent, reminderDueOn, sinceText, statusPath } from './model.ts';
import * as store from './store.ts';

/**
 * How many of a reader's newest must-reads the lists look at. A reader is asked to read a few a month, so this is
 * years of them; the lists never read more than this from the audience index.
 */
const WINDOW = 300;
/** The acknowledged ones shown under the waiting ones. */
const ACKNOWLEDGED_SHOWN = 30;
/** The must-reads listed for someone who follows them. */
const FOLLOWED_SHOWN = 30;

const typeLabel = (type: string): string => ITEM_TYPE_LABELS[type as keyof typeof ITEM_TYPE_LABELS] ?? '';

// ---- for the item page and the home page ----

export interface MustReadStatus {
  /** When this reader acknowledged it; null while they have not. */
  acknowledgedAt: string | null;
  /** Where the "Jeg har læst og forstået" form posts to. */
  formAction: string;
}

/** Null when the item is not a live must-read for this reader; else whether they have acknowledged it. */
export async function mustReadStatus(db: DbOrTx, viewer: Viewer, itemId: string): Promise<MustReadStatus | null> {
  if (!(await store.mustReadEntryFor(db, viewer, itemId))) return null;
  return { acknowledgedAt: await store.findAcknowledgement(db, itemId, viewer.personId), formAction: acknowledgePath(itemId) };
}

export interface ReaderEntry {
  id: string;
  href: string;
  title: string;
  summary: string;
  typeLabel: string;
  /** When it was sent out (first published as a must-read). */
  since: string;
  /** "for 3 dage siden" */
  sinceText: string;
  acknowledgedAt: string | null;
}

/** The reader's must-reads from the audience index: the waiting ones oldest first, then the acknowledged, newest first. */
async function readerEntries(db: DbOrTx, viewer: Viewer, limits: { pending: number; acknowledged: number }, now: Date) {
  const visible = await visibleObjects(db, viewer, { categories: [MUST_READ], limit: WINDOW });
  const acks = await store.acknowledgementsOf(db, viewer.personId, visible.map((v) => v.id));
  const pending = visible.filter((v) => !acks.has(v.id)).reverse().slice(0, limits.pending);
  const done = visible
    .filter((v) => acks.has(v.id))
    .sort((a, b) => (acks.get(b.id)! < acks.get(a.id)! ? -1 : acks.get(b.id)! > acks.get(a.id)! ? 1 : 0))
    .slice(0, limits.acknowledged);
  const items = new Map((await liveItems(db, [...pending, ...done].map((v) => v.id))).map((i) => [i.id, i]));
  const entry = (v: { id: string; sortAt: string }): ReaderEntry[] => {
    const item = items.get(v.id);
    if (!item) return [];
    return [{ id: item.id, href: item.href, title: item.content.title, summary: item.content.summary, typeLabel: typeLabel(item.type), since: v.sortAt, sinceText: sinceText(v.sortAt, now), acknowledgedAt: acks.get(v.id) ?? null }];
  };
  return { pending: pending.flatMap(entry), acknowledged: done.flatMap(entry) };
}

/** For the home page: the oldest must-reads the reader has not acknowledged yet. */
export async function pendingMustReadsFor(db: DbOrTx, viewer: Viewer, limit: number): Promise<ReaderEntry[]> {
  if (limit <= 0) return [];
  return (await readerEntries(db, viewer, { pending: limit, acknowledged: 0 }, new Date())).pending;
}

// ---- the reader's page ----

export interface FollowedEntry {
  title: string;
  href: string;
  statusHref: string;
  since: string | null;
}

/** The live must-reads whose acknowledgements this person may follow, newest first. */
async function followedBy(db: DbOrTx, actor: Actor): Promise<FollowedEntry[]> {
  const all = followsAll(actor);
  const unitIds = overviewUnits(actor);
  const ids = await store.liveMustReadIds(db);
  const rows = await store.followedAmong(db, ids, { all, personId: actor.personId, unitIds }, FOLLOWED_SHOWN);
  const items = await liveItems(db, rows.map((r) => r.id));
  return items.map((i) => ({ title: i.content.title, href: i.href, statusHref: statusPath(i.id), since: i.firstPublishedAt }));
}

export async function readerPage(db: DbOrTx, actor: Actor, viewer: Viewer, now: Date = new Date()) {
  const [lists, followed] = await Promise.all([readerEntries(db, viewer, { pending: WINDOW, acknowledged: ACKNOWLEDGED_SHOWN }, now), followedBy(db, actor)]);
  return { ...lists, followed };
}

// ---- acknowledging ----

/**
 * The reader's "I have read and understood". Only for a live must-read in the reader's audience; anything else is
 * the same 404 as an item that does not exist. Acknowledging again changes nothing. Returns the item's page.
 */
export async function acknowledge(db: Db, actor: Actor, viewer: Viewer, itemId: string): Promise<{ href: string }> {
  if (!actor.capabilities.has('intranet.read')) throw new ForbiddenError();
  if (viewer.personId !== actor.personId || !(await store.mustReadEntryFor(db, viewer, itemId))) throw new NotFoundError();
  const [item] = await liveItems(db, [itemId]);
  if (!item) throw new NotFoundError();
  await db.transaction().execute(async (tx) => {
    if (await store.insertAcknowledgement(tx, itemId, actor.personId, nowIso())) {
      await audit(tx, { ...auditActor(actor), action: 'must_read.acknowledged', objectType: 'item', objectId: itemId, details: { title: item.content.title } });
    }
  });
  return { href: item.href };
}

// ---- the author's overview ----

/** The must-read and its audience, for someone who may follow it; a 404 for anyone else, as if it did not exist. */
async function followable(db: DbOrTx, actor: Actor, itemId: string): Promise<{ item: MustRead; keys: AudienceKey[] }> {
  const [live] = await liveItems(db, [itemId]);
  const item = live ? mustReadOf(live) : null;
  if (!item) throw new NotFoundError();
  if (!mayFollow(actor, item, await store.hasAuthored(db, itemId, actor.personId))) throw new NotFoundError();
  return { item, keys: await keysOf(db, { type: 'item', id: itemId }) };
}

export type StatusChoice = '' | 'ja' | 'nej';

export interface StatusQuery {
  /** A unit's id, or '' for all. */
  unitId: string;
  /** 'ja': those who have acknowledged; 'nej': those who have not; '': both. */
  status: StatusChoice;
  page: number;
}

const filterOf = (q: Pick<StatusQuery, 'unitId' | 'status'>): store.StatusFilter => ({
  unitId: q.unitId || undefined,
  acknowledged: q.status === 'ja' ? true : q.status === 'nej' ? false : undefined,
});

export const STATUS_PAGE_SIZE = 100;

export async function statusPage(db: DbOrTx, actor: Actor, itemId: string, q: StatusQuery, pageSize = STATUS_PAGE_SIZE) {
  const { item, keys } = await followable(db, actor, itemId);
  const filter = filterOf(q);
  const filtered = filter.unitId !== undefined || filter.acknowledged !== undefined;
  const [totals, byUnit, shownIfFiltered, announcement, reminders, audience, owner] = await Promise.all([
    store.audienceTotals(db, itemId, keys),
    store.countsByUnit(db, itemId, keys),
    filtered ? store.audienceTotals(db, itemId, keys, filter) : null,
    store.findAnnouncement(db, itemId),
    store.remindersOf(db, itemId),
    describeAudience(db, keys),
    db.selectFrom('units').select('name').where('id', '=', item.ownerUnitId).executeTakeFirst(),
  ]);
  const shown = shownIfFiltered ?? totals;
  const totalPages = Math.max(1, Math.ceil(shown.people / pageSize));
  const page = Math.min(Math.max(1, q.page), totalPages);
  const people = await store.audiencePage(db, itemId, keys, filter, { limit: pageSize, offset: (page - 1) * pageSize });
  const byName = (a: store.UnitCount, b: store.UnitCount) => (a.unitName === null ? 1 : b.unitName === null ? -1 : a.unitName.localeCompare(b.unitName, 'da'));
  return {
    item: { id: item.id, title: item.title, href: item.href, ownerName: owner?.name ?? '', typeLabel: typeLabel(item.type), remindAfterDays: item.remindAfterDays },
    audience,
    totals: { ...totals, missing: totals.people - totals.acknowledged, percent: percent(totals.acknowledged, totals.people) },
    units: [...byUnit].sort(byName).map((u) => ({ ...u, missing: u.people - u.acknowledged })),
    announcement,
    reminderDueOn: announcement && item.remindAfterDays ? reminderDueOn(announcement.announcedAt, item.remindAfterDays) : null,
    reminders,
    people,
    shown: shown.people,
    page,
    totalPages,
    firstShown: shown.people ? (page - 1) * pageSize + 1 : 0,
    lastShown: (page - 1) * pageSize + people.length,
  };
}

/**
 * The same list as a CSV file for Excel, filtered as on the page. Handing names and addresses out of the platform
 * is written in the audit log.
 */
export async function statusCsv(db: Db, actor: Actor, itemId: string, q: Pick<StatusQuery, 'unitId' | 'status'>): Promise<{ filename: string; body: string; rows: number }> {
  const { item, keys } = await followable(db, actor, itemId);
  const people = await store.wholeAudience(db, itemId, keys, filterOf(q));
  await db.transaction().execute((tx) =>
    audit(tx, { ...auditActor(actor), action: 'must_read.exported', objectType: 'item', objectId: itemId, details: { rows: people.length, unitId: q.unitId || null, status: q.status || null } }),
  );
  return { filename: `kvitteringer-${item.slug}.csv`, body: acknowledgementsCsv(people), rows: people.length };
}
