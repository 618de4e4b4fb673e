import { notify } from '../notifications/notify.ts';
import { auditActor, type Actor } from '../org/actor.ts';
import { audit } from '../platform/audit/service.ts';
import type { DbOrTx, Tx } from '../platform/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { dateToLocalInput, localInputToDate } from '../platform/time.ts';
import { mayApprove, mayUse, rightsOf, type SocialRights } from './access.ts';
import type { SocialContext } from './context.ts';
import { accountLabel, type Account, type PostState } from './model.ts';
import { finalText } from './post-text.ts';
import { NETWORK_LABELS } from './providers/types.ts';
import { askForApproval } from './approval.ts';
import { postPath, wakeSender } from './sender.ts';
import * as store from './store.ts';
import type { SocialPostRow } from './tables.ts';

// Composing (a text per account, a link, an image with alt text, a time), approval where the account requires it,
// and the editor's actions on a planned or failed post. Sending is sender.ts's.

export interface ComposeForm {
  accountIds: string[];
  /** The text per account id. */
  texts: Record<string, string>;
  link: string;
  itemId: string;
  mediaId: string;
  imageAlt: string;
  /** "now" or "later". */
  when: string;
  /** datetime-local in Copenhagen time, when `when` is "later". */
  scheduledAt: string;
  /** "draft" keeps it; "submit" plans it (or sends it for approval). */
  action: string;
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);
const asText = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The form as posted: accounts checked, and one "text_<account-id>" field per account. */
export function readComposeForm(body: Record<string, unknown>): ComposeForm {
  const texts: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (k.startsWith('text_')) texts[k.slice(5)] = asText(v);
  return {
    accountIds: asList(body.accountIds),
    texts,
    link: asText(body.link).trim(),
    itemId: asText(body.itemId).trim(),
    mediaId: asText(body.mediaId).trim(),
    imageAlt: asText(body.imageAlt).trim(),
    when: asText(body.when) || 'now',
    scheduledAt: asText(body.scheduledAt).trim(),
    action: asText(body.action) || 'submit',
  };
}

/** The address of an item on the website, when it is published there. */
export async function itemLink(db: DbOrTx, baseUrl: string, itemId: string): Promise<{ title: string; url: string } | null> {
  const row = await db
    .selectFrom('items as i')
    .innerJoin('live_placements as p', 'p.item_id', 'i.id')
    .select(['i.title', 'i.slug', 'p.target'])
    .where('i.id', '=', itemId)
    .where('p.channel', '=', 'website')
    .orderBy('p.target')
    .executeTakeFirst();
  return row ? { title: row.title, url: `${baseUrl}/${row.target}/${row.slug}` } : null;
}

type Problems = Record<string, string>;

/** What every post of a composition shares: the link, the image with its alt text, and the time. */
interface Shared {
  link: string | null;
  image: { mediaId: string; alt: string } | null;
  scheduledAt: Date;
}

type SharedFields = Pick<ComposeForm, 'link' | 'mediaId' | 'imageAlt' | 'when' | 'scheduledAt'>;

/** The link, image and time, checked alike for a new post and an edited one. */
async function checkShared(ctx: SocialContext, form: SharedFields, now: Date, problems: Problems): Promise<Shared> {
  let link: string | null = null;
  if (form.link) {
    if (!/^https?:\/\/[^\s]+$/.test(form.link) || !URL.canParse(form.link)) problems.link = 'Skriv linket som en hel adresse, der begynder med https://';
    else link = form.link;
  }

  let image: { mediaId: string; alt: string } | null = null;
  if (form.mediaId) {
    const media = await ctx.db.selectFrom('media').select(['id', 'alt']).where('id', '=', form.mediaId).executeTakeFirst();
    if (!media) problems.mediaId = 'Billedet findes ikke i mediebiblioteket';
    else {
      const alt = form.imageAlt || media.alt;
      if (!alt) problems.imageAlt = 'Skriv en alternativ tekst, der beskriver billedet for dem, der ikke kan se det';
      image = { mediaId: media.id, alt };
    }
  }

  let scheduledAt = now;
  if (form.when === 'later') {
    const at = localInputToDate(form.scheduledAt);
    if (!at) problems.scheduledAt = 'Skriv tidspunktet som dato og klokkeslæt, fx 01-12-2026 10:00';
    else if (at.getTime() < now.getTime() - 60_000) problems.scheduledAt = 'Tidspunktet er allerede passeret. Vælg et senere tidspunkt, eller vælg "Send nu"';
    else scheduledAt = at;
  }
  return { link, image, scheduledAt };
}

/** One account's text against its network's limits, with the shared link and image; a text problem is named `field`. */
function checkAccountText(ctx: SocialContext, account: Account, typed: string, shared: Shared, field: string, problems: Problems): void {
  const text = typed.trim();
  const provider = ctx.provider(account.network);
  const { link, image } = shared;
  if (!text) {
    problems[field] = `Skriv teksten til ${accountLabel(account)}`;
    return;
  }
  const length = provider.countText(finalText(account.network, text, link));
  if (length > provider.limits.maxText) problems[field] = `Teksten til ${NETWORK_LABELS[account.network]} er ${length} tegn med linket; højst ${provider.limits.maxText}. Forkort den med ${length - provider.limits.maxText} tegn.`;
  if (image && image.alt.length > provider.limits.maxAltText) problems.imageAlt = `Den alternative tekst må højst være ${provider.limits.maxAltText} tegn på ${NETWORK_LABELS[account.network]}`;
  if (image && provider.limits.maxImages < 1) problems.mediaId = `${NETWORK_LABELS[account.network]} kan ikke vise billeder fra Mediehus`;
}

/** Checks a composed post against each network's limits and the person's rights; names the field of every problem. */
async function checkComposition(ctx: SocialContext, rights: SocialRights, form: ComposeForm, now: Date): Promise<{ accounts: Account[] } & Shared> {
  const problems: Problems = {};
  const accounts: Account[] = [];
  for (const id of new Set(form.accountIds)) {
    const a = await store.findAccount(ctx.db, id);
    if (!a || !a.active || !mayUse(rights, a)) {
      problems.accountIds = 'Vælg kun konti, du er redaktør for';
      continue;
    }
    accounts.push(a);
  }
  if (!accounts.length && !problems.accountIds) problems.accountIds = 'Vælg mindst én konto';
  const shared = await checkShared(ctx, form, now, problems);
  for (const a of accounts) checkAccountText(ctx, a, form.texts[a.id] ?? '', shared, `text_${a.id}`, problems);
  if (Object.keys(problems).length) throw new ValidationError(problems);
  return { accounts, ...shared };
}

/** Makes one post per chosen account. Returns the batch id. */
export async function compose(ctx: SocialContext, actor: Actor, form: ComposeForm): Promise<string> {
  const rights = await rightsOf(ctx.db, actor);
  if (!rights) throw new ForbiddenError();
  const now = new Date();
  const { accounts, scheduledAt, link, image } = await checkComposition(ctx, rights, form, now);
  const itemId = form.itemId && (await ctx.db.selectFrom('items').select('id').where('id', '=', form.itemId).executeTakeFirst()) ? form.itemId : null;
  const batchId = newId();
  const at = nowIso();
  await ctx.db.transaction().execute(async (tx) => {
    for (const a of accounts) {
      const id = newId();
      const state = form.action === 'draft' ? 'draft' : a.requiresApproval ? 'awaiting_approval' : 'scheduled';
      await store.insertPost(tx, {
        id,
        batch_id: batchId,
        account_id: a.id,
        item_id: itemId,
        text: (form.texts[a.id] ?? '').trim(),
        link_url: link,
        media_id: image?.mediaId ?? null,
        image_alt: image?.alt ?? null,
        state,
        scheduled_at: scheduledAt.toISOString(),
        next_attempt_at: state === 'scheduled' ? scheduledAt.toISOString() : null,
        attempts: 0,
        created_by: actor.personId,
        created_at: at,
        updated_at: at,
        submitted_at: state === 'draft' ? null : at,
        approved_by: null,
        approved_at: null,
        external_id: null,
        external_url: null,
        sent_at: null,
        error_kind: null,
        last_error: null,
      });
      await audit(tx, { ...auditActor(actor), action: `social_post.${state === 'draft' ? 'drafted' : state === 'scheduled' ? 'scheduled' : 'submitted'}`, objectType: 'social_post', objectId: id, details: { accountId: a.id, handle: a.handle, scheduledAt: scheduledAt.toISOString() } });
      if (state === 'scheduled') await wakeSender(tx, a.id, scheduledAt > now ? scheduledAt : undefined);
      if (state === 'awaiting_approval') await askForApproval(tx, a, id, actor);
    }
  });
  return batchId;
}

async function loadForAction(ctx: SocialContext, actor: Actor, id: string): Promise<{ post: SocialPostRow; account: Account; rights: SocialRights }> {
  const rights = await rightsOf(ctx.db, actor);
  const post = await store.findPost(ctx.db, id);
  if (!post) throw new NotFoundError('Opslaget findes ikke.');
  const account = await store.findAccount(ctx.db, post.account_id);
  if (!account || !rights || !mayUse(rights, account)) throw new ForbiddenError('Du er ikke redaktør for denne konto.');
  return { post, account, rights };
}

export async function approvePost(ctx: SocialContext, actor: Actor, id: string): Promise<void> {
  const { post, account, rights } = await loadForAction(ctx, actor, id);
  if (!mayApprove(rights, account)) throw new ForbiddenError('Kun redaktørgruppen for sociale medier kan godkende opslag til denne konto.');
  if (post.created_by === actor.personId) throw new ForbiddenError('En anden redaktør skal godkende dit opslag.');
  const now = new Date();
  const sendAt = new Date(Math.max(now.getTime(), Date.parse(post.scheduled_at)));
  await ctx.db.transaction().execute(async (tx) => {
    const moved = await store.movePost(tx, id, ['awaiting_approval'], { state: 'scheduled', approved_by: actor.personId, approved_at: nowIso(), next_attempt_at: sendAt.toISOString(), updated_at: nowIso() });
    if (!moved) throw new ValidationError({}, 'Opslaget venter ikke længere på godkendelse.');
    await audit(tx, { ...auditActor(actor), action: 'social_post.approved', objectType: 'social_post', objectId: id, details: { accountId: account.id } });
    await wakeSender(tx, account.id, sendAt > now ? sendAt : undefined);
  });
}

export async function rejectPost(ctx: SocialContext, actor: Actor, id: string, reason: string): Promise<void> {
  const { account, rights } = await loadForAction(ctx, actor, id);
  if (!mayApprove(rights, account)) throw new ForbiddenError('Kun redaktørgruppen for sociale medier kan sende opslag tilbage.');
  const why = reason.trim();
  if (!why) throw new ValidationError({ reason: 'Skriv, hvad der skal rettes' });
  if (why.length > 1000) throw new ValidationError({ reason: 'Begrundelsen må højst være 1000 tegn' });
  await ctx.db.transaction().execute(async (tx) => {
    const post = await store.findPost(tx, id);
    const moved = await store.movePost(tx, id, ['awaiting_approval'], { state: 'draft', last_error: `Sendt tilbage af ${actor.name}: ${why}`, error_kind: null, updated_at: nowIso() });
    if (!moved || !post) throw new ValidationError({}, 'Opslaget venter ikke længere på godkendelse.');
    await audit(tx, { ...auditActor(actor), action: 'social_post.rejected', objectType: 'social_post', objectId: id, details: { reason: why } });
    await notify(tx, { personIds: [post.created_by], kind: 'social', sourceKey: `social_rejected:${id}:${nowIso()}`, title: `Dit opslag til ${account.name} er sendt tilbage`, text: why, url: postPath(id) });
  });
}

/** A draft goes to approval or into the plan; a failed post is tried again from the start. */
export async function submitPost(ctx: SocialContext, actor: Actor, id: string): Promise<void> {
  const { post, account } = await loadForAction(ctx, actor, id);
  const now = new Date();
  const sendAt = new Date(Math.max(now.getTime(), Date.parse(post.scheduled_at)));
  const state = post.state === 'failed' || !account.requiresApproval || post.approved_by ? 'scheduled' : 'awaiting_approval';
  await ctx.db.transaction().execute(async (tx) => {
    const moved = await store.movePost(tx, id, ['draft', 'failed'], {
      state,
      submitted_at: nowIso(),
      next_attempt_at: state === 'scheduled' ? sendAt.toISOString() : null,
      attempts: post.state === 'failed' ? 0 : post.attempts,
      error_kind: null,
      last_error: null,
      updated_at: nowIso(),
    });
    if (!moved) throw new ValidationError({}, 'Opslaget kan ikke sendes herfra længere.');
    await audit(tx, { ...auditActor(actor), action: post.state === 'failed' ? 'social_post.retried' : state === 'scheduled' ? 'social_post.scheduled' : 'social_post.submitted', objectType: 'social_post', objectId: id, details: { accountId: account.id } });
    if (state === 'scheduled') await wakeSender(tx, account.id, sendAt > now ? sendAt : undefined);
    else await askForApproval(tx, account, id, actor);
  });
}

export async function cancelPost(ctx: SocialContext, actor: Actor, id: string): Promise<void> {
  const { account } = await loadForAction(ctx, actor, id);
  await ctx.db.transaction().execute(async (tx) => {
    // "sending" is left out on purpose: a post on its way cannot be called back.
    const moved = await store.movePost(tx, id, ['draft', 'awaiting_approval', 'scheduled', 'failed'], { state: 'cancelled', next_attempt_at: null, updated_at: nowIso() });
    if (!moved) throw new ValidationError({}, 'Opslaget er allerede sendt eller på vej og kan ikke annulleres.');
    await audit(tx, { ...auditActor(actor), action: 'social_post.cancelled', objectType: 'social_post', objectId: id, details: { accountId: account.id } });
  });
}

// ---- editing a planned post ----

/** What an editor may change in a post that has not gone out: its text, link, image with alt text, and time. */
export type EditForm = Pick<ComposeForm, 'link' | 'mediaId' | 'imageAlt' | 'when' | 'scheduledAt'> & { text: string };

export function readEditForm(body: Record<string, unknown>): EditForm {
  return {
    text: asText(body.text),
    link: asText(body.link).trim(),
    mediaId: asText(body.mediaId).trim(),
    imageAlt: asText(body.imageAlt).trim(),
    when: asText(body.when) || 'now',
    scheduledAt: asText(body.scheduledAt).trim(),
  };
}

export const EDITABLE_STATES: readonly PostState[] = ['draft', 'awaiting_approval', 'scheduled', 'failed'];
export const isEditable = (state: string): boolean => (EDITABLE_STATES as readonly string[]).includes(state);

const NOT_EDITABLE: Partial<Record<PostState, string>> = {
  sending: 'Opslaget er ved at blive sendt og kan ikke længere rettes.',
  sent: 'Opslaget er allerede sendt og kan ikke rettes her. Ret det på netværket, eller skriv et nyt opslag ud fra dette.',
  cancelled: 'Opslaget er annulleret og kan ikke rettes. Skriv et nyt opslag ud fra dette.',
};

/** Why a post in this state cannot be edited, or null when it can. */
export const editRefusal = (state: string): string | null => (isEditable(state) ? null : (NOT_EDITABLE[state as PostState] ?? 'Opslaget kan ikke rettes.'));

/** What became of an edit: nothing to save, saved in the same state, or sent back for approval. */
export type EditOutcome = 'unchanged' | 'saved' | 'back_to_approval';

type Changed = 'text' | 'link' | 'image' | 'imageAlt' | 'scheduledAt';

/**
 * Saves new text, link, image and time for a post that has not gone out, checked as composing checks it. Changed
 * content on an account that requires approval needs a new approval: the old one was for the old text. A new time
 * moves the sender's next look at the post.
 */
export async function editPost(ctx: SocialContext, actor: Actor, id: string, form: EditForm): Promise<EditOutcome> {
  const { post, account } = await loadForAction(ctx, actor, id);
  const state = post.state as PostState;
  const refusal = editRefusal(state);
  if (refusal) throw new ValidationError({}, refusal);
  const now = new Date();
  const problems: Problems = {};
  const shared = await checkShared(ctx, form, now, problems);
  checkAccountText(ctx, account, form.text, shared, 'text', problems);
  if (Object.keys(problems).length) throw new ValidationError(problems);

  const text = form.text.trim();
  // "Send nu" on a post whose time has passed keeps that time: both mean as soon as possible.
  const sameTime = form.when === 'later' ? dateToLocalInput(post.scheduled_at) === dateToLocalInput(shared.scheduledAt) : Date.parse(post.scheduled_at) <= now.getTime();
  const changed: Changed[] = [];
  if (text !== post.text) changed.push('text');
  if (shared.link !== post.link_url) changed.push('link');
  if ((shared.image?.mediaId ?? null) !== post.media_id) changed.push('image');
  else if ((shared.image?.alt ?? null) !== post.image_alt) changed.push('imageAlt');
  if (!sameTime) changed.push('scheduledAt');
  if (!changed.length) return 'unchanged';

  const contentChanged = changed.some((c) => c !== 'scheduledAt');
  if (contentChanged && (await hasUncertainAttempt(ctx, id))) {
    // The search for an earlier attempt compares texts; a new text would not be recognised and could go out twice.
    throw new ValidationError({}, `Et tidligere forsøg på at sende opslaget kan være nået frem til ${NETWORK_LABELS[account.network]}. Teksten, linket og billedet kan derfor ikke længere ændres, for så kunne opslaget komme ud to gange. Du kan stadig ændre tidspunktet.`);
  }
  if (state === 'scheduled' && post.next_attempt_at && Date.parse(post.next_attempt_at) <= now.getTime() && (await isBeingSent(ctx, account.id, now))) {
    throw new ValidationError({}, NOT_EDITABLE.sending!);
  }

  const backToApproval = contentChanged && account.requiresApproval && (state === 'scheduled' || state === 'failed');
  const newState: PostState = backToApproval ? 'awaiting_approval' : state;
  const scheduledAt = sameTime ? post.scheduled_at : shared.scheduledAt.toISOString();
  const sendAt = new Date(Math.max(now.getTime(), Date.parse(scheduledAt)));
  const at = nowIso();
  await ctx.db.transaction().execute(async (tx) => {
    const moved = await store.movePost(tx, id, [state], {
      state: newState,
      text,
      link_url: shared.link,
      media_id: shared.image?.mediaId ?? null,
      image_alt: shared.image?.alt ?? null,
      scheduled_at: scheduledAt,
      // The approval was given for the old content.
      ...(contentChanged ? { approved_by: null, approved_at: null } : {}),
      ...(newState === 'scheduled' && !sameTime ? { next_attempt_at: sendAt.toISOString() } : {}),
      ...(newState === 'awaiting_approval' ? { next_attempt_at: null } : {}),
      // A failed post starts over once approved, as "Prøv igen" does.
      ...(state === 'failed' && backToApproval ? { attempts: 0, error_kind: null, last_error: null, submitted_at: at } : {}),
      updated_at: at,
    });
    if (!moved) throw new ValidationError({}, 'Opslaget er ændret i mellemtiden. Se, hvor det står nu, og prøv igen.');
    await audit(tx, {
      ...auditActor(actor),
      action: 'social_post.edited',
      objectType: 'social_post',
      objectId: id,
      details: {
        accountId: account.id,
        changed,
        ...(changed.includes('text') ? { textLength: { from: [...post.text].length, to: [...text].length } } : {}),
        ...(changed.includes('link') ? { link: { from: post.link_url, to: shared.link } } : {}),
        ...(changed.includes('image') ? { mediaId: { from: post.media_id, to: shared.image?.mediaId ?? null } } : {}),
        ...(changed.includes('scheduledAt') ? { scheduledAt: { from: post.scheduled_at, to: scheduledAt } } : {}),
        ...(newState !== state ? { state: { from: state, to: newState } } : {}),
      },
    });
    if (newState === 'scheduled' && !sameTime) await wakeSender(tx, account.id, sendAt > now ? sendAt : undefined);
    if (backToApproval) await askForApproval(tx, account, id, actor);
  });
  return backToApproval ? 'back_to_approval' : 'saved';
}

/** An attempt whose outcome is not known may have published the post (see sender.ts). */
async function hasUncertainAttempt(ctx: SocialContext, postId: string): Promise<boolean> {
  return (await store.attemptsOf(ctx.db, postId)).some((a) => a.outcome === null || a.outcome === 'unknown');
}

/** The account's sender holds its lease, so a due post may be on its way with the text it read. */
async function isBeingSent(ctx: SocialContext, accountId: string, now: Date): Promise<boolean> {
  const row = await store.findAccountRow(ctx.db, accountId);
  return !!row?.sending_until && Date.parse(row.sending_until) > now.getTime();
}
