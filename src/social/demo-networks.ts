import type { Db } from '../platform/database.ts';
import { nowIso } from '../platform/ids.ts';
import { NetworkDirectory, type SocialContext } from './context.ts';
import type { ContractServer } from './testing/contract.ts';
import { startBlueskyContractServer } from './testing/bluesky-server.ts';
import { startFacebookContractServer } from './testing/facebook-server.ts';
import { startMastodonContractServer } from './testing/mastodon-server.ts';
import { startXContractServer } from './testing/x-server.ts';
import { isNetwork } from './providers/types.ts';
import { sealTokens } from './tokens.ts';
import { replayOnDemoNetworks } from './demo-replay.ts';

// Demo mode's stand-ins for Facebook, X, Mastodon and Bluesky: the contract servers the tests use, started beside
// the server on local ports. The demo accounts (api_base "demo:<network>") are connected to them at every start, so
// a newcomer can compose, plan and send, and see what arrived, without real accounts or the internet.

export interface DemoNetworks {
  directory: NetworkDirectory;
  servers: ContractServer[];
  /** Gives every demo account an account and a token on its demo network. */
  connect(ctx: SocialContext): Promise<void>;
  close(): Promise<void>;
}

export async function startDemoNetworks(db: Db): Promise<DemoNetworks> {
  const servers = await Promise.all([startFacebookContractServer(), startXContractServer(), startMastodonContractServer(), startBlueskyContractServer()]);
  const directory = new NetworkDirectory();
  for (const s of servers) directory.setDemo(s.network, s.url);
  return {
    directory,
    servers,
    async connect(ctx) {
      if (!ctx.secrets) return;
      const accounts = await db.selectFrom('social_accounts').select(['id', 'network', 'handle', 'name', 'status']).where('api_base', 'like', 'demo:%').execute();
      for (const a of accounts) {
        const server = servers.find((s) => s.network === a.network);
        // Accounts the demo shows as needing a new connection keep that state until someone connects them.
        if (!server || !isNetwork(a.network) || a.status !== 'connected') continue;
        const made = server.createAccount({ handle: a.handle.replace(/^@/, ''), name: a.name });
        await db
          .updateTable('social_accounts')
          .set({ external_id: made.externalId, token_sealed: sealTokens(ctx, a.id, { accessToken: made.accessToken, refreshToken: made.refreshToken }), status: 'connected', sending_until: null, sending_by: null, updated_at: nowIso() })
          .where('id', '=', a.id)
          .execute();
      }
      await replayOnDemoNetworks(ctx, db, servers);
    },
    async close() {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}
