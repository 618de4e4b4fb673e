import { keysOf, peopleInAudience } from '../intranet/audience.ts';
import { liveItems } from '../intranet/items.ts';
import type { Db } from '../platform/database.ts';
import { nowIso } from '../platform/ids.ts';
import type { OutboxEventPayload } from '../platform/outbox/dispatcher.ts';
import { enqueueNowMail } from './notify.ts';
import { insertForAudience, sourceExists } from './store.ts';

/** Follows 'item.published': targeted news tells its audience the first time it goes live. */
export const NEWS_PUBLISHED_JOB = 'notifications.news_published';

export const newsSourceKey = (itemId: string): string => `news:${itemId}`;

/**
 * Notifies everyone in a live intranet news item's audience, once per item: a corrected re-publication, or one
 * after an unpublication, finds the item's notifications already there and adds nobody, even when the audience has
 * grown meanwhile. Other item types, news not on the intranet and must-read news notify no one here. Returns how
 * many were notified.
 */
export async function notifyNewsAudience(db: Db, itemId: string): Promise<number> {
  const [item] = await liveItems(db, [itemId]);
  if (!item || item.type !== 'news') return 0;
  // A must-read is announced by its own notification (kind must_read); a second one as news would only repeat it.
  if (item.content.placements.some((p) => p.channel === 'intranet' && p.mustRead)) return 0;
  const keys = await keysOf(db, { type: 'item', id: itemId });
  if (!keys.length) return 0;
  const sourceKey = newsSourceKey(itemId);
  return db.transaction().execute(async (tx) => {
    if (await sourceExists(tx, sourceKey)) return 0;
    const audience = await peopleInAudience(tx, keys);
    const count = await insertForAudience(tx, audience, { kind: 'news', sourceKey, title: item.content.title, text: item.content.summary, url: item.href }, nowIso());
    if (count) await enqueueNowMail(tx, sourceKey);
    return count;
  });
}

export const onItemPublished = (db: Db, event: OutboxEventPayload): Promise<number> => notifyNewsAudience(db, event.objectId);
