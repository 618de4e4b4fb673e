import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CATEGORIES, CATEGORY_IDS, type Category } from '../moderation/categories.ts';
import type { Reason } from '../moderation/classify.ts';
import { maskCpr } from '../moderation/cpr.ts';
import type { Actor } from '../org/actor.ts';
import { NotFoundError } from '../platform/errors.ts';
import { type Errors, formOf, noticeFor, paramsOf, queryOf, text, type Values } from '../platform/forms.ts';
import { accountsFor } from '../social/accounts.ts';
import type { Account } from '../social/model.ts';
import { NETWORK_LABELS } from '../social/providers/types.ts';
import { countInbox, type InboxFilter, listInbox, showCount } from './list-queries.ts';
import * as inbox from './service.ts';
import { inboxGate, refusalOf } from './route-gate.ts';
import { BLOCKED_TAG, blockedSenders, isBlocked } from './blocking.ts';
import { escalationOf } from './escalation.ts';
import type { InboxItemRow } from './tables.ts';

// The inbox pages: the list with its filters, one item in its thread with the actions, and the saved replies.
// Every text a citizen wrote is shown with CPR numbers masked.

export const INBOX_PATH = '/admin/indbakke';
export const itemPath = (id: string) => `${INBOX_PATH}/${id}`;
const PAGE_SIZE = 50;

const NOTICES = {
  tildelt: 'Henvendelsen er tildelt.',
  afsluttet: 'Henvendelsen er markeret som færdig.',
  genaabnet: 'Henvendelsen er åbnet igen.',
  besvaret: 'Svaret er sendt.',
  'besvaret-afsluttet': 'Svaret er sendt, og henvendelsen er markeret som færdig.',
  'sendt-videre': 'Henvendelsen er sendt videre.',
};
const SAVED_NOTICES = { oprettet: 'Det gemte svar er oprettet.', gemt: 'Ændringerne er gemt.', slettet: 'Det gemte svar er slettet.' };

const KIND_LABELS: Record<string, string> = { comment: 'Kommentar', reply: 'Svar i tråd', mention: 'Omtale' };

/** A category tag: warnings for what may have to be removed, info for what needs an answer. */
const CATEGORY_TONE: Record<Category, string> = {
  question: 'info',
  casework: 'warning',
  political: 'info',
  offensive: 'error',
  harassment: 'error',
  unlawful: 'error',
  personal_data: 'warning',
  spam: 'warning',
  ok: 'success',
};

const parseJson = <T>(json: string, fallback: T): T => {
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
};

const categoriesOf = (item: InboxItemRow): Category[] => parseJson<string[]>(item.categories, []).filter((c): c is Category => (CATEGORY_IDS as readonly string[]).includes(c));

function tagsOf(item: InboxItemRow) {
  return categoriesOf(item).map((c) => ({ id: c, text: CATEGORIES[c].label, tone: CATEGORY_TONE[c] }));
}

function deadlineOf(item: InboxItemRow, now: number) {
  if (!item.answer_due_at) return null;
  if (item.answered_at) return { text: 'Besvaret', tone: 'success', at: item.answered_at };
  const overdue = Date.parse(item.answer_due_at) < now;
  return { text: overdue ? 'Overskredet' : 'Svarfrist', tone: overdue ? 'error' : 'info', at: item.answer_due_at, overdue };
}

function rowOf(item: InboxItemRow, accounts: Map<string, Account>, people: Map<string, string>, now: number, blocked?: Set<string>) {
  const account = accounts.get(item.account_id);
  return {
    id: item.id,
    href: itemPath(item.id),
    authorName: item.author_name,
    authorHandle: item.author_handle,
    text: maskCpr(item.text),
    kindLabel: KIND_LABELS[item.kind] ?? item.kind,
    writtenAt: item.written_at,
    accountName: account ? `${account.name} (${NETWORK_LABELS[account.network]})` : '',
    tags: blocked && isBlocked(blocked, item) ? [...tagsOf(item), BLOCKED_TAG] : tagsOf(item),
    deadline: deadlineOf(item, now),
    assignedName: item.assigned_to ? (people.get(item.assigned_to) ?? '') : null,
    state: item.state,
    hidden: !!item.hidden,
    deleted: !!item.deleted,
  };
}

async function namesOf(app: FastifyInstance, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (!wanted.length) return new Map();
  const rows = await app.ctx.social.db.selectFrom('people').select(['id', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The list's address with one filter changed; the cursor is dropped whenever a filter changes. */
function hrefWith(query: Record<string, string>, change: Record<string, string | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, ...change })) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${INBOX_PATH}?${s}` : INBOX_PATH;
}


export async function inboxListRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx.social;

  inboxGate(app);

  app.get('/', async (request, reply) => {
    const actor = request.actor!;
    const accounts = await accountsFor(ctx, actor);
    const byId = new Map(accounts.map((a) => [a.id, a]));
    const q = queryOf(request);
    const filter = {
      konto: byId.has(text(q, 'konto')) ? text(q, 'konto') : '',
      kategori: (CATEGORY_IDS as readonly string[]).includes(text(q, 'kategori')) ? text(q, 'kategori') : '',
      status: text(q, 'status') === 'faerdige' ? 'faerdige' : '',
      forsinket: text(q, 'forsinket') === '1' ? '1' : '',
      mine: text(q, 'mine') === '1' ? '1' : '',
    };
    const query: InboxFilter = {
      accountIds: accounts.map((a) => a.id),
      accountId: filter.konto || undefined,
      category: (filter.kategori || undefined) as Category | undefined,
      state: filter.status === 'faerdige' ? 'done' : 'open',
      overdue: !!filter.forsinket,
      assignedTo: filter.mine ? actor.personId : undefined,
      before: text(q, 'foer') || undefined,
      limit: PAGE_SIZE,
    };
    const [page, counts] = await Promise.all([listInbox(ctx.db, query), countInbox(ctx.db, query.accountIds)]);
    const [people, blocked] = await Promise.all([namesOf(app, page.items.map((i) => i.assigned_to)), blockedSenders(ctx.db, page.items)]);
    const now = Date.now();
    return reply.view('inbox/views/list.njk', {
      title: 'Indbakke',
      socialMenu: true,
      filter,
      accountOptions: accounts.map((a) => ({ value: a.id, text: `${a.name} (${NETWORK_LABELS[a.network]})` })),
      categoryOptions: CATEGORY_IDS.map((c) => ({ value: c, text: `${CATEGORIES[c].label} (${showCount(counts.categories[c])})` })),
      counts: { open: showCount(counts.states.open), done: showCount(counts.states.done), overdue: showCount(counts.overdue) },
      items: page.items.map((i) => rowOf(i, byId, people, now, blocked)),
      nextHref: page.next ? hrefWith(filter, { foer: page.next }) : null,
      firstHref: query.before ? hrefWith(filter, {}) : null,
      mayKeepReplies: await inbox.maySaveReplies(ctx, actor),
    });
  });

  // Saved replies before /:id, so "svar" is never read as an item id.
  app.get('/svar', async (request, reply) => showSavedReplies(request, reply, {}));
  app.post('/svar', async (request, reply) => {
    const input = savedReplyInput(formOf(request));
    try {
      await inbox.createSavedReply(ctx, request.actor!, input);
    } catch (error) {
      return showSavedReplies(request, reply.code(422), { values: { ...input, category: input.category ?? '', active: input.active ? '1' : '' }, errors: refusalOf(error), editing: null });
    }
    return reply.redirect(`${INBOX_PATH}/svar?oprettet=1`, 303);
  });
  app.post('/svar/:id', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const input = savedReplyInput(formOf(request));
    try {
      await inbox.updateSavedReply(ctx, request.actor!, id, input);
    } catch (error) {
      return showSavedReplies(request, reply.code(422), { values: { ...input, category: input.category ?? '', active: input.active ? '1' : '' }, errors: refusalOf(error), editing: id });
    }
    return reply.redirect(`${INBOX_PATH}/svar?gemt=1`, 303);
  });
  app.post('/svar/:id/slet', async (request, reply) => {
    await inbox.deleteSavedReply(ctx, request.actor!, paramsOf(request).id!);
    return reply.redirect(`${INBOX_PATH}/svar?slettet=1`, 303);
  });

  async function showSavedReplies(request: FastifyRequest, reply: FastifyReply, form: { values?: Values; errors?: Errors; editing?: string | null }) {
    const actor = request.actor!;
    const mayEdit = await inbox.maySaveReplies(ctx, actor);
    const replies = await inbox.listSavedReplies(ctx, { includeInactive: mayEdit });
    const editing = form.editing ?? (mayEdit ? text(queryOf(request), 'rediger') || null : null);
    const current = editing ? replies.find((r) => r.id === editing) : undefined;
    if (editing && !current) throw new NotFoundError('Det gemte svar findes ikke.');
    return reply.view('inbox/views/saved-replies.njk', {
      title: 'Gemte svar',
      socialMenu: true,
      notice: noticeFor(request, SAVED_NOTICES),
      replies: replies.map((r) => ({ ...r, categoryLabel: r.category && r.category in CATEGORIES ? CATEGORIES[r.category as Category].label : '' })),
      mayEdit,
      editing: current ?? null,
      values: form.values ?? (current ? { title: current.title, text: current.text, category: current.category ?? '', active: current.active ? '1' : '' } : { active: '1' }),
      errors: form.errors ?? {},
      categoryOptions: CATEGORY_IDS.filter((c) => c !== 'ok').map((c) => ({ value: c, text: CATEGORIES[c].label })),
    });
  }

  app.get('/:id', async (request, reply) => showItem(request, reply, paramsOf(request).id!, {}));

  app.post('/:id/tildel', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const to = text(formOf(request), 'assignedTo');
    try {
      await inbox.assignItem(ctx, request.actor!, id, to === 'mig' ? request.actor!.personId : to || null);
    } catch (error) {
      return showItem(request, reply.code(422), id, { errors: refusalOf(error) });
    }
    return reply.redirect(`${itemPath(id)}?tildelt=1`, 303);
  });

  for (const [path, done, flag] of [
    ['afslut', true, 'afsluttet'],
    ['genaabn', false, 'genaabnet'],
  ] as const) {
    app.post(`/:id/${path}`, async (request, reply) => {
      const { id } = paramsOf(request) as { id: string };
      await inbox.setDone(ctx, request.actor!, id, done);
      return reply.redirect(`${itemPath(id)}?${flag}=1`, 303);
    });
  }

  // One form: "Indsæt" fills the text from the chosen saved reply (no JavaScript needed), "Send svar" sends it.
  app.post('/:id/svar', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const form = formOf(request);
    const savedReplyId = text(form, 'savedReplyId');
    const markDone = text(form, 'done') === '1';
    if (text(form, 'fill')) {
      const saved = (await inbox.listSavedReplies(ctx)).find((r) => r.id === savedReplyId);
      const errors: Errors = saved ? {} : { savedReplyId: 'Vælg et gemt svar' };
      return showItem(request, saved ? reply : reply.code(422), id, { values: { text: saved?.text ?? text(form, 'text'), savedReplyId, done: markDone ? '1' : '' }, errors, focusReply: true });
    }
    try {
      await inbox.replyToItem(ctx, request.actor!, id, { text: text(form, 'text'), savedReplyId: savedReplyId || null, markDone });
    } catch (error) {
      return showItem(request, reply.code(422), id, { values: { text: text(form, 'text'), savedReplyId, done: markDone ? '1' : '' }, errors: refusalOf(error), focusReply: true });
    }
    return reply.redirect(`${itemPath(id)}?${markDone ? 'besvaret-afsluttet' : 'besvaret'}=1`, 303);
  });

  async function showItem(request: FastifyRequest, reply: FastifyReply, id: string, form: { values?: Values; errors?: Errors; focusReply?: boolean }) {
    const actor: Actor = request.actor!;
    const { item, account } = await inbox.itemFor(ctx, actor, id);
    const now = Date.now();
    const root = item.root_external_id;
    const [post, siblings, replies, colleagues, savedReplies] = await Promise.all([
      item.social_post_id
        ? ctx.db.selectFrom('social_posts').select(['id', 'text', 'sent_at', 'external_url']).where('id', '=', item.social_post_id).executeTakeFirst()
        : Promise.resolve(undefined),
      root
        ? ctx.db.selectFrom('inbox_items').selectAll().where('account_id', '=', item.account_id).where('root_external_id', '=', root).orderBy('written_at').limit(200).execute()
        : Promise.resolve([item]),
      inbox.repliesOf(ctx, id),
      inbox.colleaguesFor(ctx, account),
      inbox.listSavedReplies(ctx),
    ]);
    const [people, blocked, escalation, records] = await Promise.all([
      namesOf(app, [item.assigned_to, item.done_by]),
      blockedSenders(ctx.db, siblings),
      escalationOf(ctx, item),
      ctx.db.selectFrom('removal_records').select(['id', 'action', 'decided_at', 'carried_out_at', 'undone_at']).where('item_id', '=', item.id).orderBy('decided_at', 'desc').execute(),
    ]);
    const byAccount = new Map([[account.id, account]]);
    const reasons = parseJson<Reason[]>(item.reasons, []).map((r) => ({
      category: CATEGORIES[r.category]?.label ?? r.category,
      guideline: CATEGORIES[r.category]?.guideline ?? '',
      label: r.label,
      matches: r.matches.map(maskCpr),
    }));
    const assignees = [{ value: '', text: 'Ingen' }, ...colleagues.map((p) => ({ value: p.id, text: p.id === actor.personId ? `${p.name} (dig)` : p.name }))];
    if (!colleagues.some((p) => p.id === actor.personId)) assignees.splice(1, 0, { value: actor.personId, text: 'Mig selv' });
    return reply.view('inbox/views/item.njk', {
      title: `Henvendelse fra ${item.author_name}`,
      socialMenu: true,
      notice: noticeFor(request, NOTICES),
      item: { ...rowOf(item, byAccount, people, now, blocked), url: item.url, doneName: item.done_by ? (people.get(item.done_by) ?? '') : null, doneAt: item.done_at, assignedTo: item.assigned_to ?? '' },
      network: NETWORK_LABELS[account.network],
      post: post ? { text: maskCpr(post.text), sentAt: post.sent_at, url: post.external_url, href: `/admin/sociale-medier/opslag/${post.id}` } : null,
      rootExternalId: root,
      thread: siblings.map((s) => ({ ...rowOf(s, byAccount, people, now, blocked), current: s.id === item.id })),
      reasons,
      escalation,
      records: records.map((r) => ({
        href: `${INBOX_PATH}/fjernet/${r.id}`,
        text: `${r.action === 'delete' ? 'Sletning' : 'Skjulning'} besluttet`,
        at: r.decided_at,
        state: r.undone_at ? (r.carried_out_at ? 'vist igen' : 'trukket tilbage') : r.carried_out_at ? 'gennemført' : 'ikke gennemført på netværket',
      })),
      replies: replies.map((r) => ({ ...r, text: maskCpr(r.text) })),
      assignees,
      savedReplies: [{ value: '', text: 'Vælg et gemt svar' }, ...savedReplies.map((r) => ({ value: r.id, text: r.title }))],
      values: form.values ?? { text: '', savedReplyId: '', done: '' },
      errors: form.errors ?? {},
      moderation: { remove: `${itemPath(id)}/fjern`, escalate: `${itemPath(id)}/eskaler`, block: `${itemPath(id)}/bloker` },
      backHref: INBOX_PATH,
    });
  }
}

function savedReplyInput(form: ReturnType<typeof formOf>): inbox.SavedReplyInput {
  return { title: text(form, 'title'), text: text(form, 'text'), category: text(form, 'category') || null, active: text(form, 'active') === '1' };
}
