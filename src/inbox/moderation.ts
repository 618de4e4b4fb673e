import type { Category } from '../moderation/categories.ts';
import type { Actor } from '../org/actor.ts';
import { auditActor } from '../org/actor.ts';
import { audit } from '../platform/audit/service.ts';
import type { DbOrTx } from '../platform/database.ts';
import { ValidationError } from '../platform/errors.ts';
import { newId, nowIso } from '../platform/ids.ts';
import type { SocialContext } from '../social/context.ts';
import { ProviderError } from '../social/providers/types.ts';
import { providerAccountFor } from '../social/tokens.ts';
import { recordFor } from './removal-records.ts';
import { itemFor } from './service.ts';
import type { RemovalRecordRow } from './tables.ts';

// Hiding and deleting a citizen's comment on the network, with the removal record the duty to take notes
// (notatpligt) asks for. The record is written first, in full, in one transaction with its audit entry; only then is
// the network asked. A network that fails leaves the record (not carried out) and the item as it was, and the editor
// may try again. Hiding is preferred: it can be undone ("Vis igen"); a deleted comment cannot be shown again.
//
// CPR numbers: the record is the archive, so it keeps the text exactly as the citizen wrote it — a masked copy
// could not show what was removed, and the record may have to go to the archive (journalising) as it was. Every
// way out of the record — the pages, the citizen's page, CSV and JSON — passes the texts through maskCpr, so no
// view or export ever shows a full CPR number. The record is deleted when its keeping period (keep_until) is over.

type Ctx = Pick<SocialContext, 'db'>;

export const DEFAULT_REMOVAL_KEEP_DAYS = 1825;
const DAY = 86_400_000;

/**
 * The points under "Det fjerner vi" in the municipality's guidelines (src/social/guidelines.ts), each tied to the
 * categories it covers. The editor chooses one; its words go into the record.
 */
export const GUIDELINE_POINTS = [
  { id: 'kraenkende', text: 'Krænkende, anstødeligt eller uhøvisk indhold', categories: ['offensive'] },
  { id: 'chikane', text: 'Chikane og mobning', categories: ['harassment'] },
  { id: 'ulovligt', text: 'Indlæg, der er i strid med loven', categories: ['unlawful'] },
  { id: 'personsager', text: 'Indlæg om personsager, også andres', categories: ['casework', 'personal_data'] },
  { id: 'spam', text: 'Reklame og spam', categories: ['spam'] },
] as const satisfies readonly { id: string; text: string; categories: readonly Category[] }[];

export type GuidelinePointId = (typeof GUIDELINE_POINTS)[number]['id'];
export const GUIDELINE_SECTION = 'Retningslinjer for kommunens sociale medier, "Det fjerner vi"';

/** The words kept in the record for a point. */
export const guidelineWords = (id: GuidelinePointId): string => `${GUIDELINE_SECTION}: ${GUIDELINE_POINTS.find((p) => p.id === id)!.text}`;

/** The point that fits the item's first category that has one; the form starts there. */
export function suggestedPoint(categories: readonly string[]): GuidelinePointId | '' {
  for (const c of categories) {
    const point = GUIDELINE_POINTS.find((p) => (p.categories as readonly string[]).includes(c));
    if (point) return point.id;
  }
  return '';
}

/** Mastodon lets an account neither hide nor delete other people's replies: blocking (and reporting) is what is left. */
export const MASTODON_CANNOT_REMOVE = 'Mastodon lader ikke kontoen skjule eller slette andres svar. Blokér afsenderen, så svarene ikke længere når kontoen, og anmeld indlægget til instansens moderatorer, hvis det er ulovligt.';
export const canRemoveOn = (network: string): boolean => network !== 'mastodon';

export type RemovalAction = 'hide' | 'delete';
export const ACTION_LABELS: Record<RemovalAction, string> = { hide: 'Skjult', delete: 'Slettet' };

export interface RemovalInput {
  action: string;
  guideline: string;
  reason: string;
}

export const MAX_REASON_LENGTH = 2000;

/** The thread as it stood when the decision was made, kept in the record. */
export interface RecordThread {
  post: { text: string; sentAt: string | null; url: string | null } | null;
  comments: { authorName: string; authorHandle: string | null; text: string; writtenAt: string; url: string | null; removed: boolean }[];
  replies: { text: string; sentAt: string }[];
}

/** What is wrong with each answer, in Danish, by field; the form asks one question per page and checks each. */
export function removalErrors(input: RemovalInput): Partial<Record<keyof RemovalInput, string>> {
  const errors: Partial<Record<keyof RemovalInput, string>> = {};
  const reason = input.reason.trim();
  if (input.action !== 'hide' && input.action !== 'delete') errors.action = 'Vælg, om kommentaren skal skjules eller slettes';
  if (!GUIDELINE_POINTS.some((p) => p.id === input.guideline)) errors.guideline = 'Vælg det punkt i retningslinjerne, der er anvendt';
  if (!reason) errors.reason = 'Skriv en begrundelse';
  else if (reason.length > MAX_REASON_LENGTH) errors.reason = `Begrundelsen må højst være ${MAX_REASON_LENGTH} tegn`;
  return errors;
}

function checkInput(input: RemovalInput): { action: RemovalAction; guideline: GuidelinePointId; reason: string } {
  const errors = removalErrors(input);
  if (Object.keys(errors).length) throw new ValidationError(errors as Record<string, string>);
  return { action: input.action as RemovalAction, guideline: input.guideline as GuidelinePointId, reason: input.reason.trim() };
}

/** The network's answer in words an editor can act on. */
function networkFailure(error: unknown, action: RemovalAction | 'show'): string {
  const what = action === 'hide' ? 'skjult' : action === 'delete' ? 'slettet' : 'vist igen';
  if (!(error instanceof ProviderError)) return `Kommentaren blev ikke ${what} på netværket. Prøv igen om lidt.`;
  if (error.kind === 'reauthorize') return `Kommentaren blev ikke ${what}: kontoen skal forbindes igen, fordi netværket ikke længere godtager adgangen. Forbind kontoen under Sociale medier, og prøv igen.`;
  if (error.kind === 'bad_content') {
    return action === 'hide' || action === 'show'
      ? `Kommentaren blev ikke ${what}: netværket kan ikke skjule denne kommentar. Vælg at slette den, eller gør det direkte på netværket.`
      : 'Kommentaren blev ikke slettet: netværket tillader ikke, at kontoen sletter den. Skjul den i stedet, eller gør det direkte på netværket.';
  }
  if (error.retryAt) return `Kommentaren blev ikke ${what}: netværket beder os vente til kl. ${error.retryAt.toLocaleTimeString('da-DK', { timeZone: 'Europe/Copenhagen', hour: '2-digit', minute: '2-digit' })}. Prøv igen derefter.`;
  return `Kommentaren blev ikke ${what}, fordi netværket ikke svarede. Prøv igen om lidt.`;
}

/** The post, the other comments and our replies around an item, as they stand now (for the record). */
export async function threadOf(db: DbOrTx, itemId: string): Promise<RecordThread> {
  const item = await db.selectFrom('inbox_items').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow();
  const [post, siblings, replies] = await Promise.all([
    item.social_post_id ? db.selectFrom('social_posts').select(['text', 'sent_at', 'external_url']).where('id', '=', item.social_post_id).executeTakeFirst() : Promise.resolve(undefined),
    item.root_external_id
      ? db.selectFrom('inbox_items').selectAll().where('account_id', '=', item.account_id).where('root_external_id', '=', item.root_external_id).where('id', '!=', item.id).orderBy('written_at').limit(200).execute()
      : Promise.resolve([]),
    db.selectFrom('inbox_replies').select(['text', 'sent_at']).where('item_id', '=', item.id).orderBy('sent_at').execute(),
  ]);
  return {
    post: post ? { text: post.text, sentAt: post.sent_at, url: post.external_url } : null,
    comments: siblings.map((s) => ({ authorName: s.author_name, authorHandle: s.author_handle, text: s.text, writtenAt: s.written_at, url: s.url, removed: !!(s.hidden || s.deleted) })),
    replies: replies.map((r) => ({ text: r.text, sentAt: r.sent_at })),
  };
}

export interface RemovalResult {
  recordId: string;
  /** False when the network failed; the record stays, not carried out, and `message` says why in Danish. */
  carriedOut: boolean;
  message: string | null;
}

/**
 * Writes the removal record (and its audit entry) first, then asks the network to hide or delete the comment. On
 * success the record is marked carried out and the item hidden or deleted; on failure the record stays as a record
 * of the decision and the editor may try again (`retryRemoval`).
 */
export async function removeItem(ctx: SocialContext, actor: Actor, id: string, raw: RemovalInput, options: { keepDays?: number } = {}): Promise<RemovalResult> {
  const { item, account } = await itemFor(ctx, actor, id);
  if (!canRemoveOn(account.network)) throw new ValidationError({ action: MASTODON_CANNOT_REMOVE });
  const input = checkInput(raw);
  if (item.deleted) throw new ValidationError({ _form: 'Kommentaren er allerede slettet på netværket.' });
  if (item.hidden && input.action === 'hide') throw new ValidationError({ action: 'Kommentaren er allerede skjult. Vælg at slette den, eller vis den igen først' });
  // An earlier decision the network did not carry out (e.g. "hide" on a network that cannot hide) is closed by the
  // new one; its record stays, marked as withdrawn.
  const pending = await pendingRecord(ctx, id);

  const recordId = newId();
  const decidedAt = new Date();
  const keepDays = options.keepDays ?? DEFAULT_REMOVAL_KEEP_DAYS;
  await ctx.db.transaction().execute(async (tx) => {
    const thread = await threadOf(tx, id);
    await tx
      .insertInto('removal_records')
      .values({
        id: recordId,
        item_id: id,
        account_id: item.account_id,
        action: input.action,
        item_text: item.text,
        author_name: item.author_name,
        author_handle: item.author_handle,
        written_at: item.written_at,
        network_url: item.url,
        thread: JSON.stringify(thread),
        categories: item.categories,
        guideline: guidelineWords(input.guideline),
        reason: input.reason,
        decided_by: actor.personId,
        decided_at: decidedAt.toISOString(),
        carried_out_at: null,
        undone_at: null,
        undone_by: null,
        keep_until: new Date(decidedAt.getTime() + keepDays * DAY).toISOString(),
      })
      .execute();
    await audit(tx, { ...auditActor(actor), action: 'removal_record.created', objectType: 'removal_record', objectId: recordId, details: { itemId: id, accountId: item.account_id, action: input.action, guideline: input.guideline } });
    if (pending) {
      await tx.updateTable('removal_records').set({ undone_at: decidedAt.toISOString(), undone_by: actor.personId }).where('id', '=', pending.id).where('carried_out_at', 'is', null).execute();
      await audit(tx, { ...auditActor(actor), action: 'removal_record.withdrawn', objectType: 'removal_record', objectId: pending.id, details: { itemId: id, replacedBy: recordId } });
    }
  });
  return carryOut(ctx, actor, recordId);
}

/** The record of a decision to remove the item that the network has not yet carried out, if any. */
export async function pendingRecord(ctx: Ctx, itemId: string): Promise<RemovalRecordRow | undefined> {
  return ctx.db.selectFrom('removal_records').selectAll().where('item_id', '=', itemId).where('carried_out_at', 'is', null).where('undone_at', 'is', null).orderBy('decided_at', 'desc').executeTakeFirst();
}

/** Tries the network again for a record that was not carried out. */
export async function retryRemoval(ctx: SocialContext, actor: Actor, recordId: string): Promise<RemovalResult> {
  const record = await recordFor(ctx, actor, recordId);
  if (record.carried_out_at) return { recordId, carriedOut: true, message: null };
  if (record.undone_at) throw new ValidationError({ _form: 'Beslutningen er trukket tilbage.' });
  return carryOut(ctx, actor, recordId);
}

async function carryOut(ctx: SocialContext, actor: Actor, recordId: string): Promise<RemovalResult> {
  const record = await ctx.db.selectFrom('removal_records').selectAll().where('id', '=', recordId).executeTakeFirstOrThrow();
  const { item, account } = await itemFor(ctx, actor, record.item_id);
  const action = record.action as RemovalAction;
  const pa = await providerAccountFor(ctx, account.id);
  let failure: string | null = pa ? null : 'Kommentaren er ikke fjernet: kontoen er ikke forbundet til netværket. Forbind den under Sociale medier, og prøv igen. Notatet er gemt.';
  if (pa) {
    const provider = ctx.provider(account.network);
    try {
      if (action === 'hide') await provider.setHidden(pa, { externalId: item.external_id, rootExternalId: item.root_external_id }, true, { timeoutMs: ctx.timeoutMs });
      else await provider.deleteItem(pa, item.external_id, { timeoutMs: ctx.timeoutMs });
    } catch (error) {
      failure = `${networkFailure(error, action)} Notatet er gemt.`;
    }
  }
  if (failure) {
    await ctx.db.transaction().execute(async (tx) => {
      await audit(tx, { ...auditActor(actor), action: 'removal_record.failed', objectType: 'removal_record', objectId: recordId, details: { itemId: item.id, action } });
    });
    return { recordId, carriedOut: false, message: failure };
  }
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('removal_records').set({ carried_out_at: nowIso() }).where('id', '=', recordId).execute();
    await tx.updateTable('inbox_items').set(action === 'hide' ? { hidden: 1 } : { deleted: 1 }).where('id', '=', item.id).execute();
    await audit(tx, { ...auditActor(actor), action: action === 'hide' ? 'inbox.hidden' : 'inbox.deleted', objectType: 'inbox_item', objectId: item.id, details: { recordId } });
  });
  return { recordId, carriedOut: true, message: null };
}

/** Shows a hidden comment again on the network; the record keeps who undid it and when. */
export async function showAgain(ctx: SocialContext, actor: Actor, id: string): Promise<void> {
  const { item, account } = await itemFor(ctx, actor, id);
  if (item.deleted) throw new ValidationError({ _form: 'Kommentaren er slettet på netværket og kan ikke vises igen.' });
  if (!item.hidden) throw new ValidationError({ _form: 'Kommentaren er ikke skjult.' });
  const pa = await providerAccountFor(ctx, account.id);
  if (!pa) throw new ValidationError({ _form: 'Kommentaren blev ikke vist igen: kontoen er ikke forbundet til netværket. Forbind den under Sociale medier, og prøv igen.' });
  try {
    await ctx.provider(account.network).setHidden(pa, { externalId: item.external_id, rootExternalId: item.root_external_id }, false, { timeoutMs: ctx.timeoutMs });
  } catch (error) {
    throw new ValidationError({ _form: networkFailure(error, 'show') });
  }
  await ctx.db.transaction().execute(async (tx) => {
    const at = nowIso();
    const records = await tx.selectFrom('removal_records').select('id').where('item_id', '=', id).where('action', '=', 'hide').where('carried_out_at', 'is not', null).where('undone_at', 'is', null).execute();
    if (records.length) await tx.updateTable('removal_records').set({ undone_at: at, undone_by: actor.personId }).where('id', 'in', records.map((r) => r.id)).execute();
    await tx.updateTable('inbox_items').set({ hidden: 0 }).where('id', '=', id).execute();
    await audit(tx, { ...auditActor(actor), action: 'inbox.shown_again', objectType: 'inbox_item', objectId: id, details: { recordIds: records.map((r) => r.id) } });
  });
}

