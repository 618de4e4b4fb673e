import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pictureFor } from '../content/media-markup.ts';
import { listMedia } from '../content/media-store.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { type Errors, formOf, noticeFor, paramsOf, text, type Values } from '../platform/forms.ts';
import { dateToLocalInput } from '../platform/time.ts';
import { mayApprove, mayUse, rightsOf } from './access.ts';
import { accountFor, accountsFor } from './accounts.ts';
import { approvePost, cancelPost, editPost, type EditForm, type EditOutcome, editRefusal, isEditable, readEditForm, rejectPost, submitPost } from './compose.ts';
import { GUIDELINES_PATH, GUIDELINES_TITLE } from './guidelines.ts';
import { type Account, accountLabel, ERROR_KIND_LABELS, type ErrorKind, ERROR_KINDS, POST_STATE_LABELS, POST_STATE_TONE, type PostState } from './model.ts';
import { finalText } from './post-text.ts';
import { NETWORK_LABELS } from './providers/types.ts';
import { accountPath, postPath } from './sender.ts';
import * as store from './store.ts';
import type { SocialPostRow } from './tables.ts';

// One post's page: what was written, where it stands, every attempt to send it, and the actions its state allows.

const NOTICES = {
  kladde: 'Opslaget er gemt som kladde. Det bliver ikke sendt, før du sender det til godkendelse eller planlægger det.',
  planlagt: 'Opslaget er planlagt. Det bliver sendt på det valgte tidspunkt.',
  'til-godkendelse': 'Opslaget er sendt til godkendelse. Redaktørgruppen for sociale medier har fået besked.',
  oprettet: 'Opslagene er oprettet. Herunder kan du se, hvad der sker med hvert af dem.',
  godkendt: 'Opslaget er godkendt og planlagt.',
  'sendt-tilbage': 'Opslaget er sendt tilbage til forfatteren med din begrundelse.',
  indsendt: 'Opslaget er sendt videre.',
  'proever-igen': 'Opslaget bliver prøvet igen.',
  annulleret: 'Opslaget er annulleret og bliver ikke sendt.',
  rettet: 'Ændringerne er gemt.',
  'rettet-til-godkendelse': 'Ændringerne er gemt. Opslaget skal godkendes igen, fordi godkendelsen gjaldt den tidligere tekst. Redaktørgruppen for sociale medier har fået besked.',
  'rettet-proev-igen': 'Ændringerne er gemt. Opslaget bliver ikke sendt, før du trykker "Prøv igen".',
  uaendret: 'Du ændrede ikke noget, så opslaget er som før.',
};

/** What the attempts table says about each outcome (see sender.ts). */
const OUTCOME_LABELS: Record<string, string> = {
  sent: 'Sendt',
  found: 'Var kommet igennem (fundet på netværket)',
  unknown: 'Uvist: netværket svarede ikke i tide',
  retry: 'Mislykkedes; prøves igen',
  reauthorize: 'Adgangsnøglen virkede ikke',
  bad_content: 'Afvist af netværket',
};

/** DKFDS badge variants; a neutral state has none. */
export const badgeOf = (tone: string): string => (tone === 'neutral' ? 'none' : tone);

export interface PostSummary {
  id: string;
  href: string;
  accountName: string;
  networkLabel: string;
  excerpt: string;
  state: PostState;
  stateLabel: string;
  badge: string;
  scheduledAt: string;
  sentAt: string | null;
  overdue: boolean;
}

const excerptOf = (s: string, max = 90): string => {
  const flat = s.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
};

/** Posts as the lists and the calendar show them; `now` decides what counts as overdue. */
export function summarise(posts: SocialPostRow[], accounts: Map<string, Account>, now = Date.now()): PostSummary[] {
  return posts.map((p) => {
    const a = accounts.get(p.account_id);
    const state = p.state as PostState;
    return {
      id: p.id,
      href: postPath(p.id),
      accountName: a ? accountLabel(a) : 'Ukendt konto',
      networkLabel: a ? NETWORK_LABELS[a.network] : '',
      excerpt: excerptOf(p.text),
      state,
      stateLabel: POST_STATE_LABELS[state] ?? p.state,
      badge: badgeOf(POST_STATE_TONE[state] ?? 'neutral'),
      scheduledAt: p.scheduled_at,
      sentAt: p.sent_at,
      overdue: (state === 'scheduled' || state === 'sending') && Date.parse(p.scheduled_at) < now - 5 * 60_000,
    };
  });
}

/** What the person can do about the last error, by its kind and the post's state. */
function whatToDo(post: SocialPostRow, account: Account): string | null {
  if (post.error_kind === 'reauthorize') return 'Forbind kontoen igen på kontoens side. Planlagte opslag bliver sendt, så snart den er forbundet.';
  if (post.error_kind === 'bad_content') return 'Ret teksten eller billedet, og send det som et nyt opslag. Brug knappen "Skriv nyt opslag ud fra dette".';
  if (post.error_kind === 'retry' && post.state === 'failed') return `Prøv igen senere med knappen "Prøv igen". Virker det stadig ikke, så tjek ${NETWORK_LABELS[account.network]}s driftsstatus.`;
  if (post.error_kind === 'retry') return 'Du behøver ikke gøre noget. Opslaget bliver sendt, så snart netværket svarer igen.';
  return null;
}

const isErrorKind = (v: string | null): v is ErrorKind => !!v && (ERROR_KINDS as readonly string[]).includes(v);

interface PostPageState {
  /** The form that was refused: "reject" (its reason) or "_form" for a state that moved on meanwhile. */
  values?: Values;
  errors?: Errors;
}

async function showPost(request: FastifyRequest, reply: FastifyReply, id: string, state: PostPageState = {}) {
  const ctx = request.server.ctx.social;
  const actor = request.actor!;
  const post = await store.findPost(ctx.db, id);
  if (!post) throw new NotFoundError('Opslaget findes ikke.');
  const account = await accountFor(ctx, actor, post.account_id);
  const rights = await rightsOf(ctx.db, actor);
  const [attempts, batch, media, author, approver, visible] = await Promise.all([
    store.attemptsOf(ctx.db, id),
    store.postsOfBatch(ctx.db, post.batch_id),
    post.media_id ? ctx.db.selectFrom('media').select(['id', 'renditions', 'original_name']).where('id', '=', post.media_id).executeTakeFirst() : undefined,
    ctx.db.selectFrom('people').select('name').where('id', '=', post.created_by).executeTakeFirst(),
    post.approved_by ? ctx.db.selectFrom('people').select('name').where('id', '=', post.approved_by).executeTakeFirst() : undefined,
    accountsFor(ctx, actor),
  ]);
  const byId = new Map(visible.map((a) => [a.id, a]));
  const postState = post.state as PostState;
  const uses = mayUse(rights, account);
  const own = post.created_by === actor.personId;
  const errors = state.errors ?? {};
  const provider = ctx.provider(account.network);
  return reply.view('social/views/post.njk', {
    title: `Opslag til ${account.name} på ${NETWORK_LABELS[account.network]}`,
    socialMenu: true,
    notice: Object.keys(errors).length ? null : noticeFor(request, NOTICES),
    errors,
    values: state.values ?? {},
    post: {
      id: post.id,
      text: post.text,
      link: post.link_url,
      imageAlt: post.image_alt,
      state: postState,
      stateLabel: POST_STATE_LABELS[postState] ?? post.state,
      badge: badgeOf(POST_STATE_TONE[postState] ?? 'neutral'),
      scheduledAt: post.scheduled_at,
      nextAttemptAt: post.next_attempt_at,
      sentAt: post.sent_at,
      externalUrl: post.external_url && /^https?:\/\//.test(post.external_url) ? post.external_url : null,
      authorName: author?.name ?? 'Ukendt',
      createdAt: post.created_at,
      approverName: approver?.name ?? null,
      approvedAt: post.approved_at,
      attempts: post.attempts,
      length: provider.countText(finalText(account.network, post.text, post.link_url)),
      maxLength: provider.limits.maxText,
      lastError: post.last_error,
      errorKind: isErrorKind(post.error_kind) ? ERROR_KIND_LABELS[post.error_kind] : null,
      whatToDo: post.last_error ? whatToDo(post, account) : null,
      reconnect: post.error_kind === 'reauthorize',
    },
    picture: media ? pictureFor(media, post.image_alt ?? '', '(min-width: 768px) 400px, 100vw', { maxWidth: 800 }) : null,
    imageName: media?.original_name ?? null,
    imageMissing: !!post.media_id && !media,
    account: { id: account.id, label: accountLabel(account), networkLabel: NETWORK_LABELS[account.network], href: accountPath(account.id), requiresApproval: account.requiresApproval },
    attemptRows: attempts.map((a) => ({ number: a.number, startedAt: a.started_at, outcome: a.outcome === null ? 'I gang' : (OUTCOME_LABELS[a.outcome] ?? a.outcome), detail: a.detail })),
    siblings: summarise(batch.filter((p) => p.id !== id && byId.has(p.account_id)), byId),
    actions: {
      approve: postState === 'awaiting_approval' && mayApprove(rights, account) && !own,
      // The author sees why the button is missing rather than wondering.
      approveOwn: postState === 'awaiting_approval' && mayApprove(rights, account) && own,
      submit: postState === 'draft' && uses,
      submitLabel: account.requiresApproval && !post.approved_by ? 'Send til godkendelse' : Date.parse(post.scheduled_at) > Date.now() ? 'Planlæg' : 'Send nu',
      retry: postState === 'failed' && uses,
      cancel: ['draft', 'awaiting_approval', 'scheduled', 'failed'].includes(postState) && uses,
      edit: isEditable(postState) && uses,
      copy: uses,
    },
    copyHref: `/admin/sociale-medier/opslag/nyt?opslag=${encodeURIComponent(post.id)}`,
    editHref: `${postPath(post.id)}/rediger`,
    guidelines: { href: GUIDELINES_PATH, title: GUIDELINES_TITLE },
  });
}

const RECENT_MEDIA = 60;
/** The summary reads from the top of the form down. */
const EDIT_FIELDS = ['_form', 'text', 'link', 'mediaId', 'imageAlt', 'scheduledAt'];

/** The post as the edit form starts: its time under "Planlæg" while it lies ahead, else "Send nu". */
function editFormOf(post: SocialPostRow, now = Date.now()): EditForm {
  const ahead = Date.parse(post.scheduled_at) > now;
  return {
    text: post.text,
    link: post.link_url ?? '',
    mediaId: post.media_id ?? '',
    imageAlt: post.image_alt ?? '',
    when: ahead ? 'later' : 'now',
    scheduledAt: dateToLocalInput(ahead ? post.scheduled_at : new Date(Math.ceil(now / 3_600_000) * 3_600_000)),
  };
}

async function showEditForm(request: FastifyRequest, reply: FastifyReply, id: string, typed: EditForm | null, errors: Errors) {
  const ctx = request.server.ctx.social;
  const actor = request.actor!;
  const post = await store.findPost(ctx.db, id);
  if (!post) throw new NotFoundError('Opslaget findes ikke.');
  const account = await accountFor(ctx, actor, post.account_id);
  if (!mayUse(await rightsOf(ctx.db, actor), account)) throw new ForbiddenError('Du er ikke redaktør for denne konto.');
  const refusal = editRefusal(post.state);
  if (refusal) return showPost(request, reply.code(409), id, { errors: { _form: refusal } });

  const values = typed ?? editFormOf(post);
  const media = await listMedia(ctx.db, { limit: RECENT_MEDIA, offset: 0 });
  const mediaOptions = media.rows.map((m) => ({ value: m.id, text: m.alt ? m.original_name : `${m.original_name} (mangler alternativ tekst)` }));
  if (values.mediaId && !mediaOptions.some((o) => o.value === values.mediaId)) {
    const chosen = await ctx.db.selectFrom('media').select(['id', 'original_name']).where('id', '=', values.mediaId).executeTakeFirst();
    mediaOptions.unshift({ value: values.mediaId, text: chosen?.original_name ?? 'Billedet findes ikke længere' });
  }
  const provider = ctx.provider(account.network);
  const link = /^https?:\/\/\S+$/.test(values.link) ? values.link : null;
  const state = post.state as PostState;
  const rank = (k: string) => (EDIT_FIELDS.includes(k) ? EDIT_FIELDS.indexOf(k) : EDIT_FIELDS.length);
  return reply.view('social/views/post-edit.njk', {
    title: `Redigér opslag til ${account.name} på ${NETWORK_LABELS[account.network]}`,
    socialMenu: true,
    values,
    errors: Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b))),
    post: { id: post.id, href: postPath(post.id), state, stateLabel: POST_STATE_LABELS[state] ?? post.state, badge: badgeOf(POST_STATE_TONE[state] ?? 'neutral') },
    account: { label: accountLabel(account), href: accountPath(account.id), network: account.network, networkLabel: NETWORK_LABELS[account.network] },
    count: { length: provider.countText(finalText(account.network, values.text, link)), max: provider.limits.maxText },
    // Tells the editor before saving what a change does to an approval already given.
    reapproval: account.requiresApproval && (state === 'scheduled' || state === 'failed'),
    mediaOptions,
    guidelines: { href: GUIDELINES_PATH, title: GUIDELINES_TITLE },
  });
}

/** The notice after an edit, by what became of the post. */
function editedFlag(outcome: EditOutcome, state: string | undefined): keyof typeof NOTICES {
  if (outcome === 'unchanged') return 'uaendret';
  if (outcome === 'back_to_approval') return 'rettet-til-godkendelse';
  return state === 'failed' ? 'rettet-proev-igen' : 'rettet';
}

/** A refusal without fields (the post moved on meanwhile) is shown at the top of the page. */
function refusal(error: unknown): Errors {
  if (!(error instanceof ValidationError)) throw error;
  return Object.keys(error.fields).length ? error.fields : { _form: error.message };
}

export async function postRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx.social;

  app.get('/opslag/:id', async (request, reply) => showPost(request, reply, paramsOf(request).id!));

  const actions = [
    ['godkend', 'godkendt', (actor, id) => approvePost(ctx, actor, id)],
    ['indsend', 'indsendt', (actor, id) => submitPost(ctx, actor, id)],
    ['proev-igen', 'proever-igen', (actor, id) => submitPost(ctx, actor, id)],
    ['annuller', 'annulleret', (actor, id) => cancelPost(ctx, actor, id)],
  ] as const satisfies readonly (readonly [string, keyof typeof NOTICES, (actor: NonNullable<FastifyRequest['actor']>, id: string) => Promise<void>])[];

  for (const [path, flag, run] of actions) {
    app.post(`/opslag/:id/${path}`, async (request, reply) => {
      const { id } = paramsOf(request) as { id: string };
      try {
        await run(request.actor!, id);
      } catch (error) {
        return showPost(request, reply.code(422), id, { errors: refusal(error) });
      }
      return reply.redirect(`${postPath(id)}?${flag}=1`, 303);
    });
  }

  app.get('/opslag/:id/rediger', async (request, reply) => showEditForm(request, reply, paramsOf(request).id!, null, {}));

  app.post('/opslag/:id/rediger', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const form = readEditForm(formOf(request) as Record<string, unknown>);
    let outcome: EditOutcome;
    try {
      outcome = await editPost(ctx, request.actor!, id, form);
    } catch (error) {
      if (error instanceof ValidationError && Object.keys(error.fields).length) return showEditForm(request, reply.code(422), id, form, error.fields);
      return showPost(request, reply.code(422), id, { errors: refusal(error) });
    }
    const after = await store.findPost(ctx.db, id);
    return reply.redirect(`${postPath(id)}?${editedFlag(outcome, after?.state)}=1`, 303);
  });

  app.post('/opslag/:id/send-tilbage', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const reason = text(formOf(request), 'reason');
    try {
      await rejectPost(ctx, request.actor!, id, reason);
    } catch (error) {
      return showPost(request, reply.code(422), id, { values: { reason }, errors: refusal(error) });
    }
    return reply.redirect(`${postPath(id)}?sendt-tilbage=1`, 303);
  });
}
