import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pictureFor } from '../content/media-markup.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import { type Errors, formOf, noticeFor, paramsOf, text, type Values } from '../platform/forms.ts';
import { mayApprove, mayUse, rightsOf } from './access.ts';
import { accountFor, accountsFor } from './accounts.ts';
import { approvePost, cancelPost, rejectPost, submitPost } from './compose.ts';
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
      copy: uses,
    },
    copyHref: `/admin/sociale-medier/opslag/nyt?opslag=${encodeURIComponent(post.id)}`,
    guidelines: { href: GUIDELINES_PATH, title: GUIDELINES_TITLE },
  });
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
