import type { DbOrTx } from '../platform/database.ts';
import { nowIso } from '../platform/ids.ts';
import type { SocialContext } from './context.ts';
import type { Network, ProviderAccount } from './providers/types.ts';
import type { SocialAccountRow } from './tables.ts';

// Tokens are sealed with the account's id bound in, kept only in social_accounts.token_sealed, and opened only here,
// just before a call to the network. Nothing else reads them; no page shows them and no log line carries them.

export interface Tokens {
  accessToken: string;
  refreshToken: string | null;
}

export class NoSecretKeyError extends Error {
  constructor() {
    super('MEDIEHUS_SECRET_KEY is not set, so tokens cannot be stored or read');
    this.name = 'NoSecretKeyError';
  }
}

export function sealTokens(ctx: Pick<SocialContext, 'secrets'>, accountId: string, tokens: Tokens): string {
  if (!ctx.secrets) throw new NoSecretKeyError();
  return ctx.secrets.seal(JSON.stringify(tokens), `social_account:${accountId}`);
}

export function openTokens(ctx: Pick<SocialContext, 'secrets'>, accountId: string, sealed: string): Tokens {
  if (!ctx.secrets) throw new NoSecretKeyError();
  const parsed = JSON.parse(ctx.secrets.open(sealed, `social_account:${accountId}`)) as Tokens;
  return { accessToken: parsed.accessToken, refreshToken: parsed.refreshToken ?? null };
}

/** The account as an adapter needs it; renewed tokens are sealed and stored again. */
export function providerAccount(ctx: SocialContext, row: SocialAccountRow, db: DbOrTx = ctx.db): ProviderAccount | null {
  if (!row.token_sealed || !row.external_id) return null;
  const tokens = openTokens(ctx, row.id, row.token_sealed);
  return {
    network: row.network as Network,
    externalId: row.external_id,
    handle: row.handle,
    apiBase: ctx.networks.resolve(row.api_base),
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    oauthClient: row.network === 'x' ? (ctx.xClient ?? null) : null,
    storedTokens: async () => {
      const now = await db.selectFrom('social_accounts').select('token_sealed').where('id', '=', row.id).executeTakeFirst();
      return now?.token_sealed ? openTokens(ctx, row.id, now.token_sealed) : null;
    },
    onTokensRefreshed: async (renewed) => {
      await db.updateTable('social_accounts').set({ token_sealed: sealTokens(ctx, row.id, renewed), updated_at: nowIso() }).where('id', '=', row.id).execute();
    },
  };
}

/** The account as an adapter needs it, read afresh; null when it is not connected or its tokens cannot be opened. */
export async function providerAccountFor(ctx: SocialContext, accountId: string): Promise<ProviderAccount | null> {
  const row = await ctx.db.selectFrom('social_accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
  try {
    return row ? providerAccount(ctx, row) : null;
  } catch {
    return null;
  }
}
