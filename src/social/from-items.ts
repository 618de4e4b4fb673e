import type { Content } from '../content/types.ts';
import { audit } from '../platform/audit/service.ts';
import type { Db } from '../platform/database.ts';
import { newId, nowIso } from '../platform/ids.ts';
import type { OutboxEventPayload } from '../platform/outbox/dispatcher.ts';
import { itemLink } from './compose.ts';
import { askForApproval } from './approval.ts';
import { wakeSender } from './sender.ts';
import * as store from './store.ts';

/** Follows 'item.published': an item's social placements become posts, once per item and account (X1). */
export const ITEM_PUBLISHED_JOB = 'social.item_published';

/**
 * The live edition's social placements, each a post with the placement's text and a link to the item on the
 * website. Published the first time only: a corrected re-publication finds its posts there and adds none. The item's
 * approval covers the text, so a post goes straight into the plan unless the account requires the social editors'
 * approval too.
 */
export async function postsFromPublishedItem(ctx: { db: Db; baseUrl: string }, event: OutboxEventPayload): Promise<number> {
  const db = ctx.db;
  const item = await db.selectFrom('items').select(['id', 'live_revision']).where('id', '=', event.objectId).executeTakeFirst();
  if (!item?.live_revision) return 0;
  const revision = await db.selectFrom('revisions').select(['content', 'author_id']).where('item_id', '=', item.id).where('number', '=', item.live_revision).executeTakeFirst();
  if (!revision?.author_id) return 0;
  const content = JSON.parse(revision.content) as Content;
  const placements = content.placements.filter((p): p is Extract<Content['placements'][number], { channel: 'social' }> => p.channel === 'social' && p.text.trim() !== '');
  if (!placements.length) return 0;
  const link = (await itemLink(db, ctx.baseUrl, item.id))?.url ?? null;
  const authorId = revision.author_id;
  return db.transaction().execute(async (tx) => {
    const existing = new Set((await store.postsOfItem(tx, item.id)).map((p) => p.account_id));
    const batchId = newId();
    const now = new Date();
    let made = 0;
    for (const p of placements) {
      if (existing.has(p.accountId)) continue;
      const account = await store.findAccount(tx, p.accountId);
      if (!account?.active) continue;
      const id = newId();
      const state = account.requiresApproval ? 'awaiting_approval' : 'scheduled';
      await store.insertPost(tx, {
        id, batch_id: batchId, account_id: account.id, item_id: item.id, text: p.text.trim(), link_url: link, media_id: null, image_alt: null, state,
        scheduled_at: now.toISOString(), next_attempt_at: state === 'scheduled' ? now.toISOString() : null, attempts: 0, created_by: authorId,
        created_at: nowIso(), updated_at: nowIso(), submitted_at: nowIso(), approved_by: null, approved_at: null, external_id: null, external_url: null,
        sent_at: null, error_kind: null, last_error: null,
      });
      await audit(tx, { actorId: null, actorLabel: 'udgivelse', ip: null, action: state === 'scheduled' ? 'social_post.scheduled' : 'social_post.submitted', objectType: 'social_post', objectId: id, details: { accountId: account.id, itemId: item.id } });
      if (state === 'scheduled') await wakeSender(tx, account.id);
      else await askForApproval(tx, account, id, { personId: authorId, name: 'Indholdets forfatter' });
      made++;
    }
    return made;
  });
}
