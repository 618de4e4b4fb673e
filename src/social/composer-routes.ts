import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listMedia } from '../content/media-store.ts';
import type { Content } from '../content/types.ts';
import type { Actor } from '../org/actor.ts';
import { type Errors, fieldsOf, formOf, queryOf, text } from '../platform/forms.ts';
import { dateToLocalInput } from '../platform/time.ts';
import { mayUse, rightsOf } from './access.ts';
import { accountsFor } from './accounts.ts';
import { compose, type ComposeForm, itemLink, readComposeForm } from './compose.ts';
import type { SocialContext } from './context.ts';
import { GUIDELINES_PATH, GUIDELINES_TITLE } from './guidelines.ts';
import { type Account, accountLabel } from './model.ts';
import { finalText } from './post-text.ts';
import { NETWORK_LABELS } from './providers/types.ts';
import { postPath } from './sender.ts';
import * as store from './store.ts';

// The composer: one text per account with a count as the network counts, a link, an image with alt text, and a
// time. The count is the server's when the page loads; assets/social-composer.js keeps it up while typing.

const RECENT_MEDIA = 60;

const emptyForm = (): ComposeForm => ({ accountIds: [], texts: {}, link: '', itemId: '', mediaId: '', imageAlt: '', when: 'now', scheduledAt: '', action: 'submit' });

/** The accounts a person may write for: active, and theirs to use. */
async function composableAccounts(ctx: SocialContext, actor: Actor): Promise<Account[]> {
  const rights = await rightsOf(ctx.db, actor);
  return (await accountsFor(ctx, actor)).filter((a) => a.active && mayUse(rights, a));
}

/** From a content item: its link on the website, its social placements' texts, its first image. */
async function fromItem(ctx: SocialContext, accounts: Account[], itemId: string): Promise<ComposeForm | null> {
  const item = await ctx.db.selectFrom('items').select(['id', 'latest_revision']).where('id', '=', itemId).executeTakeFirst();
  if (!item) return null;
  const revision = await ctx.db.selectFrom('revisions').select('content').where('item_id', '=', item.id).where('number', '=', item.latest_revision).executeTakeFirst();
  let content: Partial<Content> = {};
  try {
    content = revision ? (JSON.parse(revision.content) as Content) : {};
  } catch {
    content = {};
  }
  const usable = new Set(accounts.map((a) => a.id));
  const form = emptyForm();
  form.itemId = item.id;
  form.link = (await itemLink(ctx.db, ctx.baseUrl, item.id))?.url ?? '';
  for (const p of content.placements ?? []) {
    // Texts for accounts the person may not use stay with the item.
    if (p.channel !== 'social' || !usable.has(p.accountId)) continue;
    form.accountIds.push(p.accountId);
    form.texts[p.accountId] = p.text;
  }
  const image = content.images?.[0];
  if (image) {
    form.mediaId = image.mediaId;
    form.imageAlt = image.alt;
  }
  return form;
}

/** From an earlier post: the texts of its batch for the accounts the person may use, its link, image and item. */
async function fromPost(ctx: SocialContext, accounts: Account[], postId: string): Promise<ComposeForm | null> {
  const post = await store.findPost(ctx.db, postId);
  const usable = new Set(accounts.map((a) => a.id));
  if (!post || !usable.has(post.account_id)) return null;
  const form = emptyForm();
  for (const p of await store.postsOfBatch(ctx.db, post.batch_id)) {
    if (!usable.has(p.account_id)) continue;
    form.accountIds.push(p.account_id);
    form.texts[p.account_id] = p.text;
  }
  form.link = post.link_url ?? '';
  form.itemId = post.item_id ?? '';
  form.mediaId = post.media_id ?? '';
  form.imageAlt = post.image_alt ?? '';
  return form;
}

/** The next whole hour in Copenhagen, as a suggestion for "Planlæg". */
function suggestedTime(now = new Date()): string {
  const next = new Date(now.getTime() + 60 * 60_000);
  next.setUTCMinutes(0, 0, 0);
  return dateToLocalInput(next);
}

async function showComposer(request: FastifyRequest, reply: FastifyReply, values: ComposeForm, errors: Errors) {
  const ctx = request.server.ctx.social;
  const accounts = await composableAccounts(ctx, request.actor!);
  const media = await listMedia(ctx.db, { limit: RECENT_MEDIA, offset: 0 });
  const mediaOptions = media.rows.map((m) => ({ value: m.id, text: m.alt ? m.original_name : `${m.original_name} (mangler alternativ tekst)` }));
  if (values.mediaId && !mediaOptions.some((o) => o.value === values.mediaId)) {
    const chosen = await ctx.db.selectFrom('media').select(['id', 'original_name']).where('id', '=', values.mediaId).executeTakeFirst();
    mediaOptions.unshift({ value: values.mediaId, text: chosen?.original_name ?? 'Billedet findes ikke længere' });
  }
  const item = values.itemId ? await itemLink(ctx.db, ctx.baseUrl, values.itemId) : null;
  const checked = new Set(values.accountIds);
  const link = values.link.trim() && /^https?:\/\/\S+$/.test(values.link.trim()) ? values.link.trim() : null;
  const rows = accounts.map((a) => {
    const provider = ctx.provider(a.network);
    const typed = values.texts[a.id] ?? '';
    return {
      id: a.id,
      label: accountLabel(a),
      network: a.network,
      networkLabel: NETWORK_LABELS[a.network],
      requiresApproval: a.requiresApproval,
      checked: checked.has(a.id),
      text: typed,
      length: provider.countText(finalText(a.network, typed, link)),
      max: provider.limits.maxText,
      error: errors[`text_${a.id}`] ?? '',
    };
  });
  const needApproval = accounts.filter((a) => a.requiresApproval).length;
  // The summary reads from the top of the form down.
  const order = ['accountIds', ...accounts.map((a) => `text_${a.id}`), 'link', 'mediaId', 'imageAlt', 'scheduledAt'];
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return reply.view('social/views/composer.njk', {
    title: 'Skriv opslag',
    socialMenu: true,
    values: { ...values, scheduledAt: values.scheduledAt || suggestedTime() },
    errors: Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b))),
    accounts: rows,
    mediaOptions,
    item,
    submitLabel: needApproval === 0 ? 'Planlæg' : needApproval === accounts.length ? 'Send til godkendelse' : 'Send til godkendelse/Planlæg',
    guidelines: { href: GUIDELINES_PATH, title: GUIDELINES_TITLE },
  });
}

/** The notice for the first post's page: what became of the batch. */
function outcomeFlag(action: string, states: string[]): string {
  if (action === 'draft') return 'kladde';
  if (states.every((s) => s === 'scheduled')) return 'planlagt';
  if (states.every((s) => s === 'awaiting_approval')) return 'til-godkendelse';
  return 'oprettet';
}

export async function composerRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx.social;

  app.get('/opslag/nyt', async (request, reply) => {
    const q = queryOf(request);
    const accounts = await composableAccounts(ctx, request.actor!);
    const itemId = text(q, 'item').trim();
    const postId = text(q, 'opslag').trim();
    const accountId = text(q, 'konto').trim();
    let form = (itemId && (await fromItem(ctx, accounts, itemId))) || (postId && (await fromPost(ctx, accounts, postId))) || emptyForm();
    if (accountId && accounts.some((a) => a.id === accountId) && !form.accountIds.includes(accountId)) form = { ...form, accountIds: [...form.accountIds, accountId] };
    return showComposer(request, reply, form, {});
  });

  app.post('/opslag', async (request, reply) => {
    const form = readComposeForm(formOf(request) as Record<string, unknown>);
    let batchId: string;
    try {
      batchId = await compose(ctx, request.actor!, form);
    } catch (error) {
      return showComposer(request, reply.code(422), form, fieldsOf(error));
    }
    const posts = await store.postsOfBatch(ctx.db, batchId);
    const first = posts[0]!;
    return reply.redirect(`${postPath(first.id)}?${outcomeFlag(form.action, posts.map((p) => p.state))}=1`, 303);
  });
}
