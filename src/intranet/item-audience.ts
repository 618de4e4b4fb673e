import type { Content, ItemType } from '../content/types.ts';
import type { DbOrTx } from '../platform/database.ts';
import { audienceKeys, removeAudience, writeAudience, type AudienceEntry } from './audience.ts';
import { indexIntranetText, removeIntranetText } from './search.ts';

/** The category under which an item that must be acknowledged is also listed. */
export const MUST_READ = 'must_read';

/**
 * Rewrites who sees a live item on the intranet, in the transaction that publishes or unpublishes it.
 * News keeps its place by first publication, so a correction does not push it to the top again; an event is
 * listed by its start.
 */
export async function writeItemAudience(tx: DbOrTx, itemId: string, content: Content | null, publishedAt: string): Promise<void> {
  const ref = { type: 'item' as const, id: itemId };
  const placement = content?.placements.find((p) => p.channel === 'intranet');
  if (!content || !placement || placement.channel !== 'intranet') {
    await removeIntranetText(tx, ref);
    return removeAudience(tx, ref);
  }
  const item = await tx.selectFrom('items').select(['type', 'first_published_at']).where('id', '=', itemId).executeTakeFirstOrThrow();
  const type = item.type as ItemType;
  const startsAt = typeof content.fields.startsAt === 'string' ? content.fields.startsAt : '';
  const since = item.first_published_at ?? publishedAt;
  const entries: AudienceEntry[] = [{ category: type, sortAt: type === 'event' && startsAt ? startsAt : since }];
  if (placement.mustRead) entries.push({ category: MUST_READ, sortAt: since });
  await writeAudience(tx, ref, audienceKeys(placement), entries);
  await indexIntranetText(tx, ref, [content.title, content.summary, content.body, content.topics.join(' ')].join('\n'), since);
}
