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
import { NETWORK_LABELS } from '../social/providers/types.ts';
import * as store from '../social/store.ts';
import { itemFor } from './service.ts';
import type { InboxItemRow } from './tables.ts';

// Blocking an author on one account: only with a written reason and a date to look at it again (at most a year
// ahead). It is recorded in Mediehus — the networks' APIs differ and none of our adapters can block — so the editor
// blocks on the network too when needed. New items from a blocked author carry a "Blokeret afsender" tag.
//
// An author is known by their handle on the network; where the network gives none (Facebook's Graph API when
// polled), by the name they write under, which is the best Mediehus has.

type Ctx = Pick<SocialContext, 'db'>;

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
}

function blockQuery(db: DbOrTx) {
  return db
    .selectFrom('inbox_blocks as b')
    .leftJoin('people as p', 'p.id', 'b.decided_by')
    .select(['b.id', 'b.account_id', 'b.author_name', 'b.author_handle', 'b.reason', 'b.review_on', 'b.decided_at', 'p.name as decidedByName'])
    .where('b.lifted_at', 'is', null);
}

type BlockRow = Awaited<ReturnType<ReturnType<typeof blockQuery>['execute']>>[number];

const toBlock = (r: BlockRow): ActiveBlock => ({
  id: r.id,
  accountId: r.account_id,
  authorName: r.author_name,
  authorHandle: r.author_handle,
  reason: r.reason,
  reviewOn: r.review_on,
  decidedAt: r.decided_at,
  decidedByName: r.decidedByName ?? '',
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

/** Blocks the item's author on the item's account; only the account's editors may. */
export async function blockAuthor(ctx: Ctx, actor: Actor, itemId: string, raw: BlockInput, now = new Date()): Promise<string> {
  const { item } = await itemFor(ctx, actor, itemId);
  const input = checkBlock(raw, localDate(now));
  if (await activeBlockFor(ctx.db, item)) throw new ValidationError({ _form: `${item.author_name} er allerede blokeret på denne konto. Ophæv den gældende blokering først, hvis den skal ændres.` });
  const id = newId();
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('inbox_blocks')
      .values({ id, account_id: item.account_id, author_handle: senderKey(item), author_name: item.author_name, reason: input.reason, review_on: input.reviewOn, decided_by: actor.personId, decided_at: nowIso(), lifted_at: null })
      .execute();
    await audit(tx, { ...auditActor(actor), action: 'inbox.blocked', objectType: 'inbox_block', objectId: id, details: { itemId, accountId: item.account_id, reviewOn: input.reviewOn } });
  });
  return id;
}

export interface BlockListEntry extends ActiveBlock {
  accountName: string;
  /** The review date has come: the block must be looked at again. */
  due: boolean;
}

/** The active blocks on the person's accounts: those due for review first, then by review date. */
export async function listActiveBlocks(ctx: Ctx, actor: Actor, now = new Date()): Promise<BlockListEntry[]> {
  const accounts = await accountsFor(ctx, actor);
  if (!accounts.length) return [];
  const names = new Map(accounts.map((a) => [a.id, `${a.name} (${NETWORK_LABELS[a.network]})`]));
  const rows = await blockQuery(ctx.db).where('b.account_id', 'in', [...names.keys()]).orderBy('b.review_on').orderBy('b.decided_at').execute();
  const today = localDate(now);
  return rows.map((r) => ({ ...toBlock(r), accountName: names.get(r.account_id) ?? '', due: r.review_on <= today }));
}

/** Lifts a block; the account's editors may. */
export async function liftBlock(ctx: Ctx, actor: Actor, blockId: string): Promise<void> {
  const block = await ctx.db.selectFrom('inbox_blocks').selectAll().where('id', '=', blockId).executeTakeFirst();
  if (!block) throw new NotFoundError('Blokeringen findes ikke.');
  const account = await store.findAccount(ctx.db, block.account_id);
  const rights = await rightsOf(ctx.db, actor);
  if (!account || !(mayUse(rights, account) || mayKeepRegistry(rights))) throw new ForbiddenError('Du er ikke redaktør for den konto, blokeringen gælder.');
  if (block.lifted_at) return;
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('inbox_blocks').set({ lifted_at: nowIso() }).where('id', '=', blockId).where('lifted_at', 'is', null).execute();
    await audit(tx, { ...auditActor(actor), action: 'inbox.block_lifted', objectType: 'inbox_block', objectId: blockId, details: { accountId: block.account_id } });
  });
}
