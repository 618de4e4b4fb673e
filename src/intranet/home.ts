import type { DbOrTx } from '../platform/database.ts';
import { localDate } from '../platform/time.ts';
import { eventFacts } from '../site/item-page.ts';
import { visibleObjects, type Viewer } from './audience.ts';
import { describeAudiences, keysOfMany, liveItems } from './items.ts';

export const HOME_NEWS = 6;
export const HOME_EVENTS = 5;

const SEVERITY_VARIANT: Record<string, string> = { danger: 'error', warning: 'warning', info: 'info' };

/**
 * What the personal home page shows from the content hub: live crisis messages, the newest news and the coming
 * events that are meant for this reader. Each list is a few index range scans (src/intranet/audience.ts).
 */
export async function homeContent(db: DbOrTx, viewer: Viewer) {
  const [alerts, news, events] = await Promise.all([
    visibleObjects(db, viewer, { categories: ['alert'], limit: 3 }),
    visibleObjects(db, viewer, { categories: ['news'], limit: HOME_NEWS }),
    visibleObjects(db, viewer, { categories: ['event'], order: 'asc', from: localDate(), limit: HOME_EVENTS }),
  ]);
  const [alertItems, newsItems, eventItems, audiences] = await Promise.all([
    liveItems(db, alerts.map((a) => a.id)),
    liveItems(db, news.map((n) => n.id)),
    liveItems(db, events.map((e) => e.id)),
    keysOfMany(db, 'item', news.map((n) => n.id)).then((keys) => describeAudiences(db, keys)),
  ]);
  return {
    alerts: alertItems.map((a) => ({
      href: a.href,
      title: a.content.title,
      summary: a.content.summary,
      variant: SEVERITY_VARIANT[String(a.content.fields.severity)] ?? 'warning',
    })),
    news: newsItems.map((n) => ({ href: n.href, title: n.content.title, summary: n.content.summary, publishedAt: n.firstPublishedAt, audience: audiences.get(n.id) ?? '' })),
    events: eventItems.map((e) => ({ href: e.href, title: e.content.title, when: eventFacts(e.content)?.when ?? '', place: eventFacts(e.content)?.place ?? '' })),
  };
}
