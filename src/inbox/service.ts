import type { Actor } from '../org/actor.ts';
import { auditActor } from '../org/actor.ts';
import { audit } from '../platform/audit/service.ts';
import type { DbOrTx } from '../platform/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { mayKeepRegistry, mayUse, rightsOf } from '../social/access.ts';
import { accountsFor } from '../social/accounts.ts';
import type { SocialContext } from '../social/context.ts';
import type { Account } from '../social/model.ts';
import { ProviderError } from '../social/providers/types.ts';
import * as store from '../social/store.ts';
import { providerAccountFor } from '../social/tokens.ts';
import type { InboxItemRow } from './tables.ts';

// What an editor does with an inbox item: take it (or give it to a colleague), mark it done or open it again, and
// answer it on the network, with the saved replies as a start. Rights are checked here, not only in the routes.

type Ctx = Pick<SocialContext, 'db'>;

export interface ItemInAccount {
  item: InboxItemRow;
  account: Account;
}

/** The item, if the person may use its account. */
export async function itemFor(ctx: Ctx, actor: Actor | null, id: string): Promise<ItemInAccount> {
  const item = await ctx.db.selectFrom('inbox_items').selectAll().where('id', '=', id).executeTakeFirst();
  if (!item) throw new NotFoundError('Henvendelsen findes ikke.');
  const account = await store.findAccount(ctx.db, item.account_id);
  const rights = await rightsOf(ctx.db, actor);
  if (!account || !(mayUse(rights, account) || mayKeepRegistry(rights))) throw new ForbiddenError('Du er ikke redaktør for den konto, henvendelsen kom til.');
  return { item, account };
}

/** The ids of the accounts whose inbox the person sees. */
export async function inboxAccountsFor(ctx: Ctx, actor: Actor | null): Promise<Account[]> {
  return accountsFor(ctx, actor);
}

/** The people an item can be given to: the account's editor group. */
export async function colleaguesFor(ctx: Ctx, account: Account): Promise<{ id: string; name: string }[]> {
  const ids = await store.activeMemberIds(ctx.db, account.editorGroupId);
  if (!ids.length) return [];
  return ctx.db.selectFrom('people').select(['id', 'name']).where('id', 'in', ids).where('active', '=', 1).orderBy('name').execute();
}

/** Gives the item to the person themself or to a member of the account's editor group; null takes it back. */
export async function assignItem(ctx: Ctx, actor: Actor, id: string, personId: string | null): Promise<void> {
  const { item, account } = await itemFor(ctx, actor, id);
  if (personId && personId !== actor.personId && !(await colleaguesFor(ctx, account)).some((p) => p.id === personId)) {
    throw new ValidationError({ assignedTo: 'Vælg dig selv eller en i kontoens redaktørgruppe' });
  }
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('inbox_items').set({ assigned_to: personId }).where('id', '=', id).execute();
    await audit(tx, { ...auditActor(actor), action: 'inbox.assigned', objectType: 'inbox_item', objectId: id, details: { to: personId, from: item.assigned_to } });
  });
}

export async function setDone(ctx: Ctx, actor: Actor, id: string, done: boolean): Promise<void> {
  await itemFor(ctx, actor, id);
  await ctx.db.transaction().execute(async (tx) => {
    await markState(tx, id, done, actor.personId);
    await audit(tx, { ...auditActor(actor), action: done ? 'inbox.done' : 'inbox.reopened', objectType: 'inbox_item', objectId: id });
  });
}

// The category rows carry the state too, so a category filter stays one index range; both change together.
async function markState(tx: DbOrTx, id: string, done: boolean, personId: string): Promise<void> {
  const state = done ? 'done' : 'open';
  await tx
    .updateTable('inbox_items')
    .set(done ? { state, done_by: personId, done_at: nowIso() } : { state, done_by: null, done_at: null })
    .where('id', '=', id)
    .execute();
  await tx.updateTable('inbox_item_categories').set({ state }).where('item_id', '=', id).execute();
}

export const MAX_REPLY_LENGTH = 5000;

/** The network's answer in words an editor can act on. */
function replyFailure(error: unknown): string {
  if (!(error instanceof ProviderError)) return 'Svaret kunne ikke sendes. Prøv igen om lidt.';
  if (error.kind === 'reauthorize') return 'Svaret blev ikke sendt: kontoen skal forbindes igen, fordi netværket ikke længere godtager adgangen. Forbind kontoen under Sociale medier, og prøv igen.';
  if (error.kind === 'bad_content') return 'Svaret blev ikke sendt: netværket afviste teksten. Ret den, og prøv igen.';
  if (error.retryAt) return `Svaret blev ikke sendt: netværket beder os vente til kl. ${error.retryAt.toLocaleTimeString('da-DK', { timeZone: 'Europe/Copenhagen', hour: '2-digit', minute: '2-digit' })}. Prøv igen derefter.`;
  return 'Svaret blev ikke sendt, fordi netværket ikke svarede. Prøv igen om lidt.';
}

export interface ReplyInput {
  text: string;
  savedReplyId?: string | null;
  markDone?: boolean;
}

/** Sends the answer on the network, then stores it; the first answer stops the question's clock. */
export async function replyToItem(ctx: SocialContext, actor: Actor, id: string, input: ReplyInput): Promise<string> {
  const { item, account } = await itemFor(ctx, actor, id);
  const text = input.text.trim();
  if (!text) throw new ValidationError({ text: 'Skriv et svar' });
  const provider = ctx.provider(account.network);
  const max = Math.min(MAX_REPLY_LENGTH, provider.limits.maxText);
  if (provider.countText(text) > max) throw new ValidationError({ text: `Svaret må højst være ${max} tegn på ${account.network === 'x' ? 'X' : 'dette netværk'}` });
  if (item.deleted) throw new ValidationError({ text: 'Henvendelsen er slettet på netværket og kan ikke besvares' });
  const pa = await providerAccountFor(ctx, account.id);
  if (!pa) throw new ValidationError({ text: 'Kontoen er ikke forbundet til netværket. Forbind den under Sociale medier, og prøv igen.' });
  let sent;
  try {
    sent = await provider.reply(pa, item.external_id, text, { timeoutMs: ctx.timeoutMs });
  } catch (error) {
    throw new ValidationError({ text: replyFailure(error) });
  }
  const replyId = newId();
  const at = nowIso();
  await ctx.db.transaction().execute(async (tx) => {
    await tx.insertInto('inbox_replies').values({ id: replyId, item_id: id, text, saved_reply_id: input.savedReplyId || null, sent_by: actor.personId, sent_at: at, external_id: sent.externalId }).execute();
    await tx.updateTable('inbox_items').set({ answered_at: at }).where('id', '=', id).where('answered_at', 'is', null).execute();
    if (input.markDone) await markState(tx, id, true, actor.personId);
    await audit(tx, { ...auditActor(actor), action: 'inbox.replied', objectType: 'inbox_item', objectId: id, details: { replyId, externalId: sent.externalId, savedReplyId: input.savedReplyId || null, done: !!input.markDone } });
  });
  return replyId;
}

export async function repliesOf(ctx: Ctx, itemId: string) {
  return ctx.db
    .selectFrom('inbox_replies as r')
    .innerJoin('people as p', 'p.id', 'r.sent_by')
    .select(['r.id', 'r.text', 'r.sent_at', 'p.name as sentByName'])
    .where('r.item_id', '=', itemId)
    .orderBy('r.sent_at')
    .execute();
}

// Saved replies: every editor uses them; the social media editor group (and the platform owner) keeps them.

export interface SavedReply {
  id: string;
  title: string;
  text: string;
  category: string | null;
  active: boolean;
}

export async function listSavedReplies(ctx: Ctx, options: { includeInactive?: boolean } = {}): Promise<SavedReply[]> {
  let q = ctx.db.selectFrom('saved_replies').selectAll().orderBy('position').orderBy('title');
  if (!options.includeInactive) q = q.where('active', '=', 1);
  return (await q.execute()).map((r) => ({ id: r.id, title: r.title, text: r.text, category: r.category, active: !!r.active }));
}

export async function maySaveReplies(ctx: Ctx, actor: Actor | null): Promise<boolean> {
  return mayKeepRegistry(await rightsOf(ctx.db, actor));
}

async function requireKeeper(ctx: Ctx, actor: Actor): Promise<void> {
  if (!(await maySaveReplies(ctx, actor))) throw new ForbiddenError('Kun redaktørgruppen for sociale medier kan ændre de gemte svar.');
}

export interface SavedReplyInput {
  title: string;
  text: string;
  category: string | null;
  active: boolean;
}

function checkSavedReply(input: SavedReplyInput): SavedReplyInput {
  const errors: Record<string, string> = {};
  const title = input.title.trim();
  const text = input.text.trim();
  if (!title) errors.title = 'Skriv en titel';
  else if (title.length > 120) errors.title = 'Titlen må højst være 120 tegn';
  if (!text) errors.text = 'Skriv svarets tekst';
  else if (text.length > MAX_REPLY_LENGTH) errors.text = `Teksten må højst være ${MAX_REPLY_LENGTH} tegn`;
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { title, text, category: input.category || null, active: input.active };
}

export async function createSavedReply(ctx: Ctx, actor: Actor, raw: SavedReplyInput): Promise<string> {
  await requireKeeper(ctx, actor);
  const input = checkSavedReply(raw);
  const id = newId();
  await ctx.db.transaction().execute(async (tx) => {
    const last = await tx.selectFrom('saved_replies').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
    await tx.insertInto('saved_replies').values({ id, title: input.title, text: input.text, category: input.category, active: input.active ? 1 : 0, position: Number(last?.p ?? 0) + 1, updated_at: nowIso() }).execute();
    await audit(tx, { ...auditActor(actor), action: 'saved_reply.created', objectType: 'saved_reply', objectId: id, details: { title: input.title } });
  });
  return id;
}

export async function updateSavedReply(ctx: Ctx, actor: Actor, id: string, raw: SavedReplyInput): Promise<void> {
  await requireKeeper(ctx, actor);
  const input = checkSavedReply(raw);
  await ctx.db.transaction().execute(async (tx) => {
    const done = await tx.updateTable('saved_replies').set({ title: input.title, text: input.text, category: input.category, active: input.active ? 1 : 0, updated_at: nowIso() }).where('id', '=', id).executeTakeFirst();
    if (!Number(done.numUpdatedRows)) throw new NotFoundError('Det gemte svar findes ikke.');
    await audit(tx, { ...auditActor(actor), action: 'saved_reply.updated', objectType: 'saved_reply', objectId: id, details: { title: input.title } });
  });
}

export async function deleteSavedReply(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  await requireKeeper(ctx, actor);
  await ctx.db.transaction().execute(async (tx) => {
    const done = await tx.deleteFrom('saved_replies').where('id', '=', id).executeTakeFirst();
    if (!Number(done.numDeletedRows)) throw new NotFoundError('Det gemte svar findes ikke.');
    await audit(tx, { ...auditActor(actor), action: 'saved_reply.deleted', objectType: 'saved_reply', objectId: id });
  });
}
