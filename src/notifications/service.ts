import { z } from 'zod';
import { auditActor, type Actor } from '../org/actor.ts';
import { fieldErrors } from '../org/model.ts';
import { audit } from '../platform/audit/service.ts';
import type { Db, DbOrTx } from '../platform/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { nowIso } from '../platform/ids.ts';
import { FREQUENCIES, type Frequency, NOTIFICATION_KIND_LABELS, NOTIFICATION_KINDS, type NotificationKind, type Notification, type Preferences, safePath } from './model.ts';
import * as store from './store.ts';

export const PAGE_SIZE = 25;

const mayRead = (actor: Actor | null): actor is Actor => !!actor?.personId && actor.capabilities.has('intranet.read');

function signedIn(actor: Actor | null): Actor {
  if (!mayRead(actor)) throw new ForbiddenError();
  return actor;
}

/** For the header and the home page: how many of the person's notifications are unread. */
export function unreadCount(db: DbOrTx, personId: string): Promise<number> {
  return store.countOf(db, personId, true);
}

export interface NotificationPage {
  items: (Notification & { href: string; kindLabel: string })[];
  total: number;
  unread: number;
  page: number;
  totalPages: number;
}

/** The person's own notifications, newest first, a page at a time. */
export async function notificationPage(db: DbOrTx, actor: Actor | null, page: number): Promise<NotificationPage> {
  const me = signedIn(actor);
  const [total, unread] = await Promise.all([store.countOf(db, me.personId), store.countOf(db, me.personId, true)]);
  const totalPages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const current = Math.min(Math.max(1, page), totalPages);
  const items = await store.notificationsOf(db, me.personId, { limit: PAGE_SIZE, offset: (current - 1) * PAGE_SIZE });
  return {
    items: items.map((n) => ({ ...n, href: safePath(n.url), kindLabel: NOTIFICATION_KIND_LABELS[n.kind] ?? '' })),
    total,
    unread,
    page: current,
    totalPages,
  };
}

/** Someone else's notification is answered as if it did not exist. */
export async function markRead(db: Db, actor: Actor | null, id: string): Promise<void> {
  const me = signedIn(actor);
  await db.transaction().execute(async (tx) => {
    const { found, changed } = await store.markRead(tx, me.personId, id, nowIso());
    if (!found) throw new NotFoundError('Notifikationen findes ikke.');
    if (changed) await audit(tx, { ...auditActor(me), action: 'notifications.read', objectType: 'notification', objectId: id, details: {} });
  });
}

export async function markAllRead(db: Db, actor: Actor | null): Promise<number> {
  const me = signedIn(actor);
  return db.transaction().execute(async (tx) => {
    const count = await store.markAllRead(tx, me.personId, nowIso());
    if (count) await audit(tx, { ...auditActor(me), action: 'notifications.read_all', objectType: 'person', objectId: me.personId, details: { count } });
    return count;
  });
}

// ---- preferences ----

export function preferencesOf(db: DbOrTx, actor: Actor | null): Promise<Preferences> {
  return store.preferencesOf(db, signedIn(actor).personId);
}

const frequencyOf = (kind: NotificationKind) =>
  z.enum(FREQUENCIES, { error: `Vælg hvor ofte du vil have e-mail om »${NOTIFICATION_KIND_LABELS[kind]}«.` });

const preferencesInput = z.object(Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, frequencyOf(k)])) as Record<NotificationKind, ReturnType<typeof frequencyOf>>);

/**
 * Saves the person's choice for every kind at once: all three are valid, or nothing is written. Only a real change
 * is audited, with what it was before.
 */
export async function savePreferences(db: Db, actor: Actor | null, input: Record<string, string>): Promise<Preferences> {
  const me = signedIn(actor);
  const parsed = preferencesInput.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  const chosen: Preferences = parsed.data;
  return db.transaction().execute(async (tx) => {
    const before = await store.preferencesOf(tx, me.personId);
    const changed = NOTIFICATION_KINDS.filter((k) => before[k] !== chosen[k]);
    await store.savePreferences(tx, me.personId, chosen, nowIso());
    if (changed.length) {
      const pick = (p: Preferences) => Object.fromEntries(changed.map((k) => [k, p[k]])) as Partial<Record<NotificationKind, Frequency>>;
      await audit(tx, { ...auditActor(me), action: 'notification_preferences.changed', objectType: 'person', objectId: me.personId, details: { from: pick(before), to: pick(chosen) } });
    }
    return chosen;
  });
}
