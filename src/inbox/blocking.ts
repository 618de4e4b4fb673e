import { maskCpr } from '../moderation/cpr.ts';
import type { Actor } from '../org/actor.ts';
import { auditActor } from '../org/actor.ts';
import { audit } from '../platform/audit/service.ts';
import type { DbOrTx } from '../platform/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { localDate } from '../platform/time.ts';
import { mayKeepRegistry, mayUse, rightsOf } from '../social/access.ts';
import { accountsFor } from '../social/accounts.ts';
import type { SocialContext } from '../social/context.ts';
import type { Account } from '../social/model.ts';
import { AUTHOR_GONE, NETWORK_LABELS, NETWORKS, type Network, ProviderError } from '../social/providers/types.ts';
import * as store from '../social/store.ts';
import { providerAccountFor } from '../social/tokens.ts';
import { itemFor } from './service.ts';
import type { InboxItemRow } from './tables.ts';

// Blocking an author on one account: only with a written reason and a date to look at it again (at most a year
// ahead). The block is recorded in Mediehus first, with its audit entry; then, where the network's API allows it
// (Mastodon, Bluesky: the adapter has blockAuthor), the author is blocked on the network too, and the outcome is kept
// on the block (network_blocked_at, or network_note with the Danish reason it failed). A network that fails leaves the
// block recorded, and "Prøv igen" asks again. Lifting works the same way: recorded first, then unblocked on the
// network. On Facebook and X the block is recorded in Mediehus only, and the editor blocks on the network when needed.
// New items from a blocked author carry a "Blokeret afsender" tag.
//
// An author is known by their handle on the network; where the network gives none (Facebook's Graph API when
// polled), by the name they write under, which is the best Mediehus has.

type Ctx = Pick<SocialContext, 'db'>;
type ListCtx = Pick<SocialContext, 'db' | 'provider'>;

/** Whether Mediehus blocks on the network itself (the adapter can), or only records the block. */
export const blocksOnNetwork = (ctx: Pick<SocialContext, 'provider'>, network: Network): boolean => typeof ctx.provider(network).blockAuthor === 'function';

/** What a block means on the network, in the words the pages use. */
export function networkBlockText(ctx: Pick<SocialContext, 'provider'>, network: Network): string {
  const label = NETWORK_LABELS[network];
  return blocksOnNetwork(ctx, network) ? `Blokeres også på ${label}` : `Registreres kun i Mediehus – bloker også på ${label}`;
}

/** The networks Mediehus blocks on, and those it only records for, by label. */
export function networksByBlocking(ctx: Pick<SocialContext, 'provider'>): { onNetwork: string[]; recordOnly: string[] } {
  return {
    onNetwork: NETWORKS.filter((n) => blocksOnNetwork(ctx, n)).map((n) => NETWORK_LABELS[n]),
    recordOnly: NETWORKS.filter((n) => !blocksOnNetwork(ctx, n)).map((n) => NETWORK_LABELS[n]),
  };
}

export const MAX_REASON_LENGTH = 1000;
export const BLOCKED_TAG = { id: 'blocked', text: 'Blokeret afsender', tone: 'error' };

/** The author as a block names them: the handle, or the name where the network gives no handle. */
export const senderKey = (item: Pick<InboxItemRow, 'author_handle' | 'author_name'>): string => item.author_handle || item.author_name;

const keyOf = (accountId: string, sender: string) => `${accountId}\u0000${sender}`;

/** Which of these items' authors are blocked on the item's account: one small query for a page of items. */
export async function blockedSenders(db: DbOrTx, items: Pick<InboxItemRow, 'account_id' | 'author_handle' | 'author_name'>[]): Promise<Set<string>> {
  if (!items.length) return new Set();
  const accounts = [...new Set(items.map((i) => i.account_id))];
  const senders = [...new Set(items.map(senderKey))];
  const rows = await db
    .selectFrom('inbox_blocks')
    .select(['account_id', 'author_handle'])
    .where('lifted_at', 'is', null)
    .where('account_id', 'in', accounts)
    .where('author_handle', 'in', senders)
    .execute();
  return new Set(rows.map((r) => keyOf(r.account_id, r.author_handle)));
}

/** Whether the item's author is in the set from blockedSenders. */
export const isBlocked = (blocked: Set<string>, item: Pick<InboxItemRow, 'account_id' | 'author_handle' | 'author_name'>): boolean => blocked.has(keyOf(item.account_id, senderKey(item)));

export interface ActiveBlock {
  id: string;
  accountId: string;
  authorName: string;
  authorHandle: string;
  reason: string;
  reviewOn: string;
  decidedAt: string;
  decidedByName: string;
  liftedAt: string | null;
  /** When the network itself blocked the author; null when it did not (yet), or was never asked. */
  networkBlockedAt: string | null;
  /** Why the network did not do as asked the last time, in Danish. */
  networkNote: string | null;
}

/** Blocks with the name of who decided, lifted ones included. */
function anyBlockQuery(db: DbOrTx) {
  return db
    .selectFrom('inbox_blocks as b')
    .leftJoin('people as p', 'p.id', 'b.decided_by')
    .select(['b.id', 'b.account_id', 'b.author_name', 'b.author_handle', 'b.reason', 'b.review_on', 'b.decided_at', 'b.lifted_at', 'b.network_blocked_at', 'b.network_note', 'p.name as decidedByName']);
}

/** The blocks in force. */
const blockQuery = (db: DbOrTx) => anyBlockQuery(db).where('b.lifted_at', 'is', null);

type BlockRow = Awaited<ReturnType<ReturnType<typeof blockQuery>['execute']>>[number];

const toBlock = (r: BlockRow): ActiveBlock => ({
  id: r.id,
  accountId: r.account_id,
  authorName: r.author_name,
  authorHandle: r.author_handle,
  reason: maskCpr(r.reason),
  reviewOn: r.review_on,
  decidedAt: r.decided_at,
  decidedByName: r.decidedByName ?? '',
  liftedAt: r.lifted_at,
  networkBlockedAt: r.network_blocked_at,
  networkNote: r.network_note,
});

/** The active block on the item's author, if any. */
export async function activeBlockFor(db: DbOrTx, item: Pick<InboxItemRow, 'account_id' | 'author_handle' | 'author_name'>): Promise<ActiveBlock | null> {
  const row = await blockQuery(db).where('b.account_id', '=', item.account_id).where('b.author_handle', '=', senderKey(item)).orderBy('b.decided_at', 'desc').executeTakeFirst();
  return row ? toBlock(row) : null;
}

/** Today's date plus a year, YYYY-MM-DD (29 February becomes 28 February). */
export function latestReviewDate(today: string): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y + 1, m - 1, d));
  if (date.getUTCMonth() !== m - 1) date.setUTCDate(0);
  return date.toISOString().slice(0, 10);
}

const isRealDate = (value: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

export interface BlockInput {
  reason: string;
  reviewOn: string;
}

export function checkBlock(raw: BlockInput, today: string): BlockInput {
  const errors: Record<string, string> = {};
  const reason = raw.reason.trim();
  const reviewOn = raw.reviewOn.trim();
  if (!reason) errors.reason = 'Skriv en begrundelse for blokeringen';
  else if (reason.length > MAX_REASON_LENGTH) errors.reason = `Begrundelsen må højst være ${MAX_REASON_LENGTH} tegn`;
  const latest = latestReviewDate(today);
  if (!reviewOn) errors.reviewOn = 'Skriv en dato for genvurdering';
  else if (!isRealDate(reviewOn)) errors.reviewOn = 'Datoen for genvurdering skal være en gyldig dato, fx 2027-03-01';
  else if (reviewOn <= today) errors.reviewOn = 'Datoen for genvurdering skal ligge efter i dag';
  else if (reviewOn > latest) errors.reviewOn = `Datoen for genvurdering må højst ligge et år frem (senest ${latest})`;
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { reason, reviewOn };
}

export interface BlockResult {
  blockId: string;
  network: Network;
  /** Whether the network was to block (true) or unblock (false). */
  blocked: boolean;
  /** `record_only`: the network cannot be asked; `done`: the network did as asked; `failed`: see `message`. */
  onNetwork: 'record_only' | 'done' | 'failed';
  /** Why the network did not do as asked, in Danish; null otherwise. */
  message: string | null;
}

/**
 * Blocks the item's author on the item's account; only the account's editors may. The block and its audit entry are
 * written first; then the network is asked where it can be (see the top of this file).
 */
export async function blockAuthor(ctx: SocialContext, actor: Actor, itemId: string, raw: BlockInput, now = new Date()): Promise<BlockResult> {
  const { item } = await itemFor(ctx, actor, itemId);
  const input = checkBlock(raw, localDate(now));
  if (await activeBlockFor(ctx.db, item)) throw new ValidationError({ _form: `${item.author_name} er allerede blokeret på denne konto. Ophæv den gældende blokering først, hvis den skal ændres.` });
  const id = newId();
  const already = `${item.author_name} er allerede blokeret på denne konto. Ophæv den gældende blokering først, hvis den skal ændres.`;
  await ctx.db.transaction().execute(async (tx) => {
    // The unique index on the blocks in force keeps out a second one sent at the same moment (a double click).
    const inserted = await tx
      .insertInto('inbox_blocks')
      .values({ id, account_id: item.account_id, author_handle: senderKey(item), author_name: item.author_name, reason: input.reason, review_on: input.reviewOn, decided_by: actor.personId, decided_at: nowIso(), lifted_at: null })
      .onConflict((oc) => oc.columns(['account_id', 'author_handle']).where('lifted_at', 'is', null).doNothing())
      .returning('id')
      .execute();
    if (!inserted.length) throw new ValidationError({ _form: already });
    await audit(tx, { ...auditActor(actor), action: 'inbox.blocked', objectType: 'inbox_block', objectId: id, details: { itemId, accountId: item.account_id, reviewOn: input.reviewOn } });
  });
  return onNetwork(ctx, actor, id, true);
}

export interface BlockListEntry extends ActiveBlock {
  accountName: string;
  network: Network;
  /** "Blokeres også på Mastodon" or "Registreres kun i Mediehus – bloker også på X". */
  networkText: string;
  /** `record_only`, `blocked` (on the network), or `not_blocked` (the network should block, but has not). */
  networkState: 'record_only' | 'blocked' | 'not_blocked';
  /** The review date has come: the block must be looked at again. */
  due: boolean;
}

/** The active blocks on the person's accounts: those due for review first, then by review date. */
export async function listActiveBlocks(ctx: ListCtx, actor: Actor, now = new Date()): Promise<BlockListEntry[]> {
  const accounts = await accountsFor(ctx, actor);
  if (!accounts.length) return [];
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const rows = await blockQuery(ctx.db).where('b.account_id', 'in', [...byId.keys()]).orderBy('b.review_on').orderBy('b.decided_at').execute();
  const today = localDate(now);
  return rows.map((r) => ({ ...listEntry(ctx, toBlock(r), byId.get(r.account_id)!), due: r.review_on <= today }));
}

function listEntry(ctx: ListCtx, block: ActiveBlock, account: Account): Omit<BlockListEntry, 'due'> {
  const network = account.network;
  const onNetwork = blocksOnNetwork(ctx, network);
  return {
    ...block,
    accountName: `${account.name} (${NETWORK_LABELS[network]})`,
    network,
    networkText: networkBlockText(ctx, network),
    networkState: !onNetwork ? 'record_only' : block.networkBlockedAt ? 'blocked' : 'not_blocked',
  };
}

/** Blocks lifted in Mediehus that the network still has (or may have): the lift failed there, and may be tried again. */
export async function listLiftsNotOnNetwork(ctx: ListCtx, actor: Actor): Promise<Omit<BlockListEntry, 'due'>[]> {
  const accounts = await accountsFor(ctx, actor);
  if (!accounts.length) return [];
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const rows = await anyBlockQuery(ctx.db)
    .where('b.lifted_at', 'is not', null)
    .where((eb) => eb.or([eb('b.network_blocked_at', 'is not', null), eb('b.network_note', 'is not', null)]))
    .where('b.account_id', 'in', [...byId.keys()])
    .orderBy('b.lifted_at', 'desc')
    .execute();
  return rows.filter((r) => blocksOnNetwork(ctx, byId.get(r.account_id)!.network)).map((r) => listEntry(ctx, toBlock(r), byId.get(r.account_id)!));
}

async function blockFor(ctx: Ctx, actor: Actor, blockId: string) {
  const block = await ctx.db.selectFrom('inbox_blocks').selectAll().where('id', '=', blockId).executeTakeFirst();
  if (!block) throw new NotFoundError('Blokeringen findes ikke.');
  const account = await store.findAccount(ctx.db, block.account_id);
  const rights = await rightsOf(ctx.db, actor);
  if (!account || !(mayUse(rights, account) || mayKeepRegistry(rights))) throw new ForbiddenError('Du er ikke redaktør for den konto, blokeringen gælder.');
  return { block, account };
}

/**
 * Lifts a block; the account's editors may. The lift and its audit entry are written first; then the network unblocks
 * the author where Mediehus blocked (or tried to block) there. Null when it was lifted already.
 */
export async function liftBlock(ctx: SocialContext, actor: Actor, blockId: string): Promise<BlockResult | null> {
  const { block } = await blockFor(ctx, actor, blockId);
  if (block.lifted_at) return null;
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('inbox_blocks').set({ lifted_at: nowIso() }).where('id', '=', blockId).where('lifted_at', 'is', null).execute();
    await audit(tx, { ...auditActor(actor), action: 'inbox.block_lifted', objectType: 'inbox_block', objectId: blockId, details: { accountId: block.account_id } });
  });
  return onNetwork(ctx, actor, blockId, false);
}

/** "Prøv igen": asks the network again to block (an active block) or to unblock (a lifted one). */
export async function retryOnNetwork(ctx: SocialContext, actor: Actor, blockId: string): Promise<BlockResult> {
  const { block } = await blockFor(ctx, actor, blockId);
  return onNetwork(ctx, actor, blockId, block.lifted_at === null);
}

/** The network's answer in words an editor can act on. */
function networkFailure(error: unknown, blocked: boolean, network: string): string {
  const what = blocked ? `Afsenderen blev ikke blokeret på ${network}` : `Blokeringen blev ikke ophævet på ${network}`;
  if (!(error instanceof ProviderError)) return `${what}. Prøv igen om lidt.`;
  if (error.kind === 'reauthorize') return `${what}: kontoen skal forbindes igen, fordi netværket ikke længere godtager adgangen. Forbind kontoen under Sociale medier, og prøv igen.`;
  if (error.kind === 'bad_content') {
    return error.message.includes(AUTHOR_GONE)
      ? `${what}: ${network} kender ikke længere afsenderen. Kontoen kan være slettet eller have skiftet navn.`
      : `${what}: ${network} afviste det. Gør det direkte på ${network}, hvis det er nødvendigt.`;
  }
  if (error.retryAt) return `${what}: netværket beder os vente til kl. ${error.retryAt.toLocaleTimeString('da-DK', { timeZone: 'Europe/Copenhagen', hour: '2-digit', minute: '2-digit' })}. Prøv igen derefter.`;
  return `${what}, fordi netværket ikke svarede. Prøv igen om lidt.`;
}

/** Asks the network to block or unblock the block's author, where it can, and keeps the outcome on the block. */
async function onNetwork(ctx: SocialContext, actor: Actor, blockId: string, blocked: boolean): Promise<BlockResult> {
  const block = await ctx.db.selectFrom('inbox_blocks').selectAll().where('id', '=', blockId).executeTakeFirstOrThrow();
  const account = (await store.findAccount(ctx.db, block.account_id))!;
  const network = account.network;
  const label = NETWORK_LABELS[network];
  const provider = ctx.provider(network);
  const result = (onNetwork: BlockResult['onNetwork'], message: string | null = null): BlockResult => ({ blockId, network, blocked, onNetwork, message });
  if (!provider.blockAuthor) return result('record_only');
  // Nothing to undo where the network was never asked; where an attempt failed it may still have got through.
  if (!blocked && !block.network_blocked_at && !block.network_note) return result('done');
  // A lifted block whose author has been blocked again meanwhile: the new block is what the network should have.
  const newer = !blocked && (await ctx.db.selectFrom('inbox_blocks').select('id').where('account_id', '=', block.account_id).where('author_handle', '=', block.author_handle).where('lifted_at', 'is', null).executeTakeFirst());
  const suffix = blocked ? ' Blokeringen er registreret i Mediehus.' : ' Ophævelsen er registreret i Mediehus.';
  let failure: string | null = null;
  if (!newer) {
    const handle = block.author_handle.startsWith('@') ? block.author_handle : null;
    const pa = await providerAccountFor(ctx, account.id);
    if (!handle) failure = `${blocked ? 'Afsenderen blev ikke blokeret' : 'Blokeringen blev ikke ophævet'} på ${label}: netværket oplyste ikke afsenderens brugernavn. Gør det direkte på ${label}.`;
    else if (!pa) failure = `${blocked ? 'Afsenderen blev ikke blokeret' : 'Blokeringen blev ikke ophævet'} på ${label}: kontoen er ikke forbundet til netværket. Forbind den under Sociale medier, og prøv igen.`;
    else {
      try {
        await provider.blockAuthor(pa, { handle }, blocked, { timeoutMs: ctx.timeoutMs });
      } catch (error) {
        // An author gone from the network is no longer blocked there either.
        const gone = !blocked && error instanceof ProviderError && error.kind === 'bad_content' && error.message.includes(AUTHOR_GONE);
        if (!gone) failure = networkFailure(error, blocked, label);
      }
    }
  }
  if (failure) {
    const message = failure + suffix;
    await ctx.db.transaction().execute(async (tx) => {
      await tx.updateTable('inbox_blocks').set({ network_note: message }).where('id', '=', blockId).execute();
      await audit(tx, { ...auditActor(actor), action: blocked ? 'inbox.network_block_failed' : 'inbox.network_unblock_failed', objectType: 'inbox_block', objectId: blockId, details: { accountId: block.account_id } });
    });
    return result('failed', message);
  }
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('inbox_blocks').set({ network_blocked_at: blocked ? nowIso() : null, network_note: null }).where('id', '=', blockId).execute();
    if (blocked) {
      // Earlier, lifted blocks of the same author whose unblocking failed: the network now holds this block instead.
      await tx.updateTable('inbox_blocks').set({ network_blocked_at: null, network_note: null }).where('account_id', '=', block.account_id).where('author_handle', '=', block.author_handle).where('lifted_at', 'is not', null).execute();
    }
    if (!newer) await audit(tx, { ...auditActor(actor), action: blocked ? 'inbox.blocked_on_network' : 'inbox.unblocked_on_network', objectType: 'inbox_block', objectId: blockId, details: { accountId: block.account_id, network } });
  });
  return result('done');
}
