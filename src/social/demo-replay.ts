import type { Db } from '../platform/database.ts';
import type { SocialContext } from './context.ts';
import { isNetwork } from './providers/types.ts';
import type { ContractServer } from './testing/contract.ts';
import { providerAccount } from './tokens.ts';

// The demo networks start empty at every start, while the demo's sent posts and inbox comments live on in the
// database with the ids the networks gave them last time. So that answering, hiding, deleting and blocking work in
// the showroom, each sent post is published again on its demo network and each comment is put back under it (or as
// a mention, when it was not on one of our posts), and the database takes the new ids.

export async function replayOnDemoNetworks(ctx: SocialContext, db: Db, servers: ContractServer[]): Promise<void> {
  const accounts = await db.selectFrom('social_accounts').selectAll().where('api_base', 'like', 'demo:%').where('status', '=', 'connected').execute();
  for (const row of accounts) {
    const server = servers.find((s) => s.network === row.network);
    const account = providerAccount(ctx, row);
    if (!server || !account || !isNetwork(row.network)) continue;
    const renamed = new Map<string, string>();

    const posts = await db.selectFrom('social_posts').select(['id', 'text', 'external_id']).where('account_id', '=', row.id).where('state', '=', 'sent').where('external_id', 'is not', null).orderBy('sent_at').execute();
    for (const post of posts) {
      const published = await ctx.provider(row.network).publish(account, { text: post.text, link: null, image: null, idempotencyKey: `demo-${post.id}` }, { timeoutMs: ctx.timeoutMs });
      renamed.set(post.external_id!, published.externalId);
      await db.updateTable('social_posts').set({ external_id: published.externalId, external_url: published.url }).where('id', '=', post.id).execute();
    }

    const items = await db
      .selectFrom('inbox_items')
      .select(['id', 'external_id', 'parent_external_id', 'root_external_id', 'author_name', 'author_handle', 'text', 'written_at'])
      .where('account_id', '=', row.id)
      .orderBy('written_at')
      .execute();
    const moves: { id: string; external_id: string; root_external_id: string | null; parent_external_id: string | null }[] = [];
    for (const item of items) {
      const root = item.root_external_id ? renamed.get(item.root_external_id) : undefined;
      const externalId = server.addIncoming(row.external_id!, { postId: root ?? null, authorName: item.author_name, authorHandle: item.author_handle ?? undefined, text: item.text, createdAt: new Date(item.written_at) });
      renamed.set(item.external_id, externalId);
      moves.push({ id: item.id, external_id: externalId, root_external_id: root ?? item.root_external_id, parent_external_id: item.parent_external_id ? (renamed.get(item.parent_external_id) ?? item.parent_external_id) : null });
    }
    // A network numbering from the start again may hand out an id another comment held last time: every comment
    // steps aside to an id of its own first, all in one transaction, so no two ever share one.
    await db.transaction().execute(async (tx) => {
      for (const m of moves) await tx.updateTable('inbox_items').set({ external_id: `replay:${m.id}` }).where('id', '=', m.id).execute();
      for (const m of moves) await tx.updateTable('inbox_items').set({ external_id: m.external_id, root_external_id: m.root_external_id, parent_external_id: m.parent_external_id }).where('id', '=', m.id).execute();
    });
  }
}
