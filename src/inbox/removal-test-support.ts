import type { TestApp } from '../../test/support/app.ts';
import { facebookProvider } from '../social/providers/facebook.ts';
import type { ContractAccount } from '../social/testing/contract.ts';
import type { FacebookContractServer } from '../social/testing/facebook-server.ts';
import { sealTokens } from '../social/tokens.ts';
import { ingestItems } from './ingest.ts';

// For the removal tests: the demo's common Facebook page connected to a Facebook contract server, with our post on
// it (the demo's sent post now carries the server's id), and citizens' comments put on the server and into the inbox
// as the poll would bring them.

export interface ConnectedPage {
  accountId: string;
  page: ContractAccount;
  postId: string;
  postText: string;
  /** A citizen's comment under our post, on the server and in the inbox; returns the inbox item's id. */
  comment(author: string, text: string, options?: { handle?: string | null; minutesAgo?: number }): Promise<string>;
  /** Points the account at a port where nothing answers, or back at the server. */
  unreachable(down: boolean): Promise<void>;
}

export async function connectDemoFacebook(t: TestApp, fb: FacebookContractServer): Promise<ConnectedPage> {
  const row = await t.db.selectFrom('social_accounts').select(['id']).where('network', '=', 'facebook').where('handle', '=', 'toenderkommune').executeTakeFirstOrThrow();
  const page = fb.createAccount({ handle: 'toenderkommune', name: 'Tønder Kommune' });
  await t.db
    .updateTable('social_accounts')
    .set({ api_base: page.apiBase, external_id: page.externalId, status: 'connected', token_sealed: sealTokens(t.app.ctx.social, row.id, { accessToken: page.accessToken, refreshToken: null }) })
    .where('id', '=', row.id)
    .execute();
  const postText = 'Vejarbejdet på Storegade er færdigt. Tak for tålmodigheden!';
  const published = await facebookProvider.publish({ network: 'facebook', externalId: page.externalId, handle: page.handle, apiBase: page.apiBase, accessToken: page.accessToken }, { text: postText, link: null, image: null, idempotencyKey: 'removal-test' });
  const ours = await t.db.selectFrom('social_posts').select('id').where('account_id', '=', row.id).where('state', '=', 'sent').executeTakeFirst();
  if (ours) await t.db.updateTable('social_posts').set({ external_id: published.externalId, text: postText }).where('id', '=', ours.id).execute();
  return {
    accountId: row.id,
    page,
    postId: published.externalId,
    postText,
    async comment(author, text, options = {}) {
      const createdAt = new Date(Date.now() - (options.minutesAgo ?? 5) * 60_000);
      const externalId = fb.addIncoming(page.externalId, { postId: published.externalId, authorName: author, text, createdAt });
      const added = await ingestItems(t.db, { id: row.id, business_hours: null }, [
        {
          externalId,
          parentExternalId: published.externalId,
          rootExternalId: published.externalId,
          authorName: author,
          authorHandle: options.handle ?? null,
          text,
          createdAt,
          url: `https://www.facebook.com/${externalId}`,
          hidden: false,
        },
      ]);
      return added.ids[0]!;
    },
    async unreachable(down) {
      await t.db
        .updateTable('social_accounts')
        .set({ api_base: down ? 'http://127.0.0.1:1/v23.0' : page.apiBase })
        .where('id', '=', row.id)
        .execute();
    },
  };
}
