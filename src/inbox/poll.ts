import type { DbOrTx } from '../platform/database.ts';
import { nowIso } from '../platform/ids.ts';
import type { SocialContext } from '../social/context.ts';
import { ProviderError, type Network, type ProviderAccount } from '../social/providers/types.ts';
import type { SendLogger } from '../social/sender.ts';
import * as store from '../social/store.ts';
import { providerAccount } from '../social/tokens.ts';
import { ingestItems } from './ingest.ts';
import { activeRules } from './rules-store.ts';

// Polling: every connected account is asked for what came in since its cursor. Webhooks (Facebook) bring most
// comments sooner; polling is also the safety net for a lost webhook, and the unique key on the network's id makes
// the second arrival a no-op. A failure is written on the account's cursor row for the editors to see and the next
// minute tries again. A token the network refuses is only recorded here: marking the account for reconnection is
// the sender's decision, made when it next sends.

export interface PollOutcome {
  added: number;
  known: number;
  /** The Danish message stored as last_error, or null when the poll went well. */
  error: string | null;
}

const silent: SendLogger = { info() {}, warn() {} };

/** Accounts worth asking: connected, active and with a token. */
export async function pollableAccountIds(db: DbOrTx): Promise<string[]> {
  const rows = await db
    .selectFrom('social_accounts')
    .select('id')
    .where('status', '=', 'connected')
    .where('active', '=', 1)
    .where('external_id', 'is not', null)
    .where('token_sealed', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Reads one account's new comments, replies and mentions into the inbox and moves its cursor on. */
export async function pollAccount(ctx: SocialContext, accountId: string, options: { logger?: SendLogger } = {}): Promise<PollOutcome> {
  const logger = options.logger ?? silent;
  const account = await store.findAccountRow(ctx.db, accountId);
  if (!account || account.active !== 1 || account.status !== 'connected') return { added: 0, known: 0, error: null };
  const cursorRow = await ctx.db.selectFrom('inbox_cursors').select('cursor').where('account_id', '=', accountId).executeTakeFirst();

  let target: ProviderAccount | null;
  try {
    target = providerAccount(ctx, account);
  } catch (error) {
    logger.warn({ accountId, err: (error as Error).message }, 'social account tokens cannot be opened for the inbox');
    return failed(ctx.db, accountId, 'Adgangsnøglen kan ikke læses; forbind kontoen igen.');
  }
  if (!target) return failed(ctx.db, accountId, 'Kontoen er ikke forbundet.');

  try {
    const provider = ctx.provider(account.network as Network);
    const page = await provider.incoming(target, cursorRow?.cursor ?? null, { timeoutMs: ctx.timeoutMs });
    const rules = await activeRules(ctx.db);
    const result = await ctx.db.transaction().execute(async (tx) => {
      const ingested = await ingestItems(tx, account, page.items, { rules });
      await saveCursor(tx, accountId, { cursor: page.cursor ?? cursorRow?.cursor ?? null, polled_at: nowIso(), last_error: null });
      return ingested;
    });
    if (result.added) logger.info({ accountId, network: account.network, added: result.added }, 'inbox items polled');
    return { added: result.added, known: result.known, error: null };
  } catch (error) {
    const e = error instanceof ProviderError ? error : new ProviderError('retry', error instanceof Error ? error.message : String(error));
    logger.warn({ accountId, network: account.network, kind: e.kind, status: e.status, err: withoutSecrets(e.message, target) }, 'inbox poll failed');
    return failed(ctx.db, accountId, messageFor(e, target));
  }
}

function messageFor(e: ProviderError, target: ProviderAccount): string {
  if (e.kind === 'reauthorize') return 'Netværket godkender ikke længere adgangsnøglen; forbind kontoen igen.';
  const detail = withoutSecrets(e.message, target).slice(0, 300);
  if (e.retryAt) return `Netværket begrænser antallet af kald; der prøves igen. (${detail})`;
  if (e.timedOut) return `Netværket svarede ikke i tide; der prøves igen. (${detail})`;
  return `Indbakken kunne ikke hentes fra netværket; der prøves igen. (${detail})`;
}

/** Adapters never put tokens in messages; this makes sure of it before a message is stored or logged. */
function withoutSecrets(message: string, target: ProviderAccount): string {
  let out = message;
  for (const secret of [target.accessToken, target.refreshToken]) {
    if (secret && secret.length >= 8) out = out.split(secret).join('***');
  }
  return out;
}

async function failed(db: DbOrTx, accountId: string, message: string): Promise<PollOutcome> {
  await saveCursor(db, accountId, { last_error: message.slice(0, 500) });
  return { added: 0, known: 0, error: message };
}

async function saveCursor(db: DbOrTx, accountId: string, changes: { cursor?: string | null; polled_at?: string; last_error: string | null }): Promise<void> {
  await db
    .insertInto('inbox_cursors')
    .values({ account_id: accountId, cursor: changes.cursor ?? null, polled_at: changes.polled_at ?? null, last_error: changes.last_error })
    .onConflict((oc) => oc.column('account_id').doUpdateSet(changes))
    .execute();
}
