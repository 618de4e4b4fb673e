import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CATEGORIES, type Category, isCategory } from '../moderation/categories.ts';
import type { Reason } from '../moderation/classify.ts';
import { maskCpr } from '../moderation/cpr.ts';
import { NotFoundError } from '../platform/errors.ts';
import { type Errors, formOf, noticeFor, paramsOf, queryOf, text, type Values } from '../platform/forms.ts';
import { localDate, localInputToDate } from '../platform/time.ts';
import { accountsFor } from '../social/accounts.ts';
import { GUIDELINES_PATH, GUIDELINES_TITLE } from '../social/guidelines.ts';
import { NETWORK_LABELS, type Network } from '../social/providers/types.ts';
import * as moderation from './moderation.ts';
import * as recordStore from './removal-records.ts';
import { inboxGate, refusalOf } from './route-gate.ts';
import { itemFor } from './service.ts';

// Hiding and deleting a comment, and the removal records (notater): the form on an item, the list of records with
// its exports (CSV for Danish Excel, JSON for the archive), one record in full, and a page for the citizen concerned.
// Every citizen's text passes through maskCpr before a view or an export sees it (moderation.ts showRecords).

const INBOX_PATH = '/admin/indbakke';
const RECORDS_PATH = `${INBOX_PATH}/fjernet`;
const recordPath = (id: string) => `${RECORDS_PATH}/${id}`;

const RECORD_NOTICES = {
  gennemfoert: 'Kommentaren er fjernet på netværket, og notatet er gemt.',
  'vist-igen': 'Kommentaren er vist igen på netværket. Notatet er bevaret med oplysning om, at den er vist igen.',
};

/** What hiding means on each network, in the editor's words; Mastodon cannot hide (or delete) other people's replies. */
const HIDE_HINTS: Record<Network, string | null> = {
  facebook: 'Foretrækkes. Kommentaren kan kun ses af forfatteren og dennes venner, og den kan vises igen.',
  x: 'Foretrækkes. Svaret flyttes ned under "skjulte svar", hvor andre stadig kan finde det, og det kan vises igen.',
  bluesky: 'Foretrækkes. Svaret vises ikke i tråden under vores opslag (men kan findes via et direkte link), og det kan vises igen.',
  mastodon: null,
};

/** What a hidden comment means, told to the citizen who wrote it. */
const HIDDEN_FOR_CITIZEN: Record<Network, string> = {
  facebook: 'Kommentaren er skjult: kun du og dine venner kan se den på Facebook.',
  x: 'Kommentaren er skjult: den står under "skjulte svar" til vores opslag på X.',
  bluesky: 'Kommentaren er skjult: den vises ikke i tråden under vores opslag på Bluesky.',
  mastodon: 'Kommentaren er skjult.',
};

function actionChoices(network: Network): { value: string; text: string; hint: string }[] {
  const hide = HIDE_HINTS[network];
  return [
    ...(hide ? [{ value: 'hide', text: 'Skjul kommentaren', hint: hide }] : []),
    { value: 'delete', text: 'Slet kommentaren', hint: 'Kun når indholdet ikke må stå nogen steder, fx ulovligt indhold eller andres personoplysninger. Kan ikke fortrydes.' },
  ];
}

const STEP_FIELDS = ['action', 'guideline', 'reason'] as const;
const STEP_TITLES = ['Skjul eller slet', 'Punkt i retningslinjerne', 'Begrundelse'];

const parseJson = <T>(json: string, fallback: T): T => {
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
};


/** "2026-11-01" as the start of that day in Copenhagen; anything else is no filter. */
function dayStart(value: string): Date | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? (localInputToDate(`${value}T00:00`) ?? undefined) : undefined;
}

export async function removalRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx.social;
  const keepDays = app.ctx.config.removalKeepDays ?? moderation.DEFAULT_REMOVAL_KEEP_DAYS;

  inboxGate(app);

  // The records list and its exports, before /:id routes are read.

  async function filtered(request: FastifyRequest) {
    const q = queryOf(request);
    const accounts = await accountsFor(ctx, request.actor!);
    const konto = accounts.some((a) => a.id === text(q, 'konto')) ? text(q, 'konto') : '';
    const fra = dayStart(text(q, 'fra')) ? text(q, 'fra') : '';
    const til = dayStart(text(q, 'til')) ? text(q, 'til') : '';
    const { records } = await recordStore.listRecords(ctx, request.actor!, {
      accountId: konto || undefined,
      from: fra ? dayStart(fra) : undefined,
      // The whole of the last day counts.
      to: til ? new Date(dayStart(til)!.getTime() + 86_400_000) : undefined,
    });
    const filter = { konto, fra, til };
    const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v)).toString();
    return { records: await recordStore.showRecords(ctx, records, accounts), accounts, filter, query: query ? `?${query}` : '' };
  }

  app.get('/fjernet', async (request, reply) => {
    const { records, accounts, filter, query } = await filtered(request);
    return reply.view('inbox/views/removal-records.njk', {
      title: 'Fjernede kommentarer',
      socialMenu: true,
      filter,
      accountOptions: accounts.map((a) => ({ value: a.id, text: `${a.name} (${NETWORK_LABELS[a.network]})` })),
      records: records.map((r) => ({ ...r, href: recordPath(r.id), networkLabel: NETWORK_LABELS[r.network as Network] ?? r.network, point: r.guideline.replace(`${moderation.GUIDELINE_SECTION}: `, '') })),
      csvHref: `${RECORDS_PATH}.csv${query}`,
      jsonHref: `${RECORDS_PATH}.json${query}`,
      keepYears: Math.round((keepDays / 365) * 10) / 10,
    });
  });

  app.get('/fjernet.csv', async (request, reply) => {
    const { records } = await filtered(request);
    await recordStore.auditExport(ctx, request.actor!, 'csv', records.map((r) => r.id));
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="fjernede-kommentarer-${localDate()}.csv"`)
      .send(recordStore.recordsCsv(records));
  });

  app.get('/fjernet.json', async (request, reply) => {
    const { records } = await filtered(request);
    await recordStore.auditExport(ctx, request.actor!, 'json', records.map((r) => r.id));
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="fjernede-kommentarer-${localDate()}.json"`)
      .send(recordStore.recordsJson(records));
  });

  async function showRecord(request: FastifyRequest, reply: FastifyReply, recordId: string, form: { errors?: Errors } = {}) {
    const row = await recordStore.recordFor(ctx, request.actor!, recordId);
    const [record] = await recordStore.showRecords(ctx, [row]);
    const item = await ctx.db.selectFrom('inbox_items').select(['id', 'hidden', 'deleted']).where('id', '=', row.item_id).executeTakeFirst();
    const network = NETWORK_LABELS[record!.network as Network] ?? record!.network;
    return reply.view('inbox/views/removal-record.njk', {
      title: `Notat: ${record!.actionLabel.toLowerCase()} kommentar fra ${record!.authorName}`,
      socialMenu: true,
      notice: noticeFor(request, RECORD_NOTICES),
      errors: form.errors ?? {},
      record: record!,
      network,
      itemHref: `${INBOX_PATH}/${row.item_id}`,
      // Only a removal that stands concerns the citizen: one not carried out, withdrawn or shown again does not.
      citizenHref: row.carried_out_at && !row.undone_at ? `${recordPath(row.id)}/borger` : null,
      retry: !row.carried_out_at && !row.undone_at ? `${recordPath(row.id)}/proev-igen` : null,
      showAgain: row.action === 'hide' && row.carried_out_at && !row.undone_at && item?.hidden && !item.deleted ? `${INBOX_PATH}/${row.item_id}/vis-igen` : null,
      backHref: RECORDS_PATH,
    });
  }

  app.get('/fjernet/:recordId', async (request, reply) => showRecord(request, reply, paramsOf(request).recordId!));

  app.post('/fjernet/:recordId/proev-igen', async (request, reply) => {
    const { recordId } = paramsOf(request) as { recordId: string };
    let result;
    try {
      result = await moderation.retryRemoval(ctx, request.actor!, recordId);
    } catch (error) {
      return showRecord(request, reply.code(422), recordId, { errors: refusalOf(error) });
    }
    if (!result.carriedOut) return showRecord(request, reply.code(422), recordId, { errors: { _form: result.message! } });
    return reply.redirect(`${recordPath(recordId)}?gennemfoert=1`, 303);
  });

  // For the citizen concerned: what was removed, when and why, and how to complain. It names the unit that runs the
  // account, not the employee (the decision is the authority's), and shows none of the other citizens' comments.
  app.get('/fjernet/:recordId/borger', async (request, reply) => {
    const row = await recordStore.recordFor(ctx, request.actor!, paramsOf(request).recordId!);
    if (!row.carried_out_at || row.undone_at) throw new NotFoundError('Kommentaren er ikke fjernet på netværket (eller er vist igen), så der er ingen side til borgeren.');
    const [record] = await recordStore.showRecords(ctx, [row]);
    return reply.view('inbox/views/removal-citizen.njk', {
      title: `Din kommentar er ${record!.action === 'delete' ? 'slettet' : 'skjult'}`,
      socialMenu: true,
      record: record!,
      network: NETWORK_LABELS[record!.network as Network] ?? record!.network,
      hiddenMeans: HIDDEN_FOR_CITIZEN[record!.network as Network] ?? 'Kommentaren er skjult.',
      guidelinesTitle: GUIDELINES_TITLE,
      guidelinesUrl: `${ctx.baseUrl}${GUIDELINES_PATH}`,
      backHref: recordPath(row.id),
    });
  });

  // The form on one item.

  // One question per page: 1 hide or delete, 2 the guideline point, 3 the reason (with the choices to check). The
  // earlier answers travel as hidden fields, so it works without JavaScript; "Tilbage" goes one page back, keeping them.
  async function showForm(request: FastifyRequest, reply: FastifyReply, id: string, form: { values?: Values; errors?: Errors; step?: number } = {}) {
    const { item, account } = await itemFor(ctx, request.actor!, id);
    const categories = parseJson<string[]>(item.categories, []).filter(isCategory) as Category[];
    const reasons = parseJson<Reason[]>(item.reasons, []).map((r) => ({
      category: CATEGORIES[r.category]?.label ?? r.category,
      label: r.label,
      matches: r.matches.map(maskCpr),
    }));
    const records = await recordStore.showRecords(
      ctx,
      await ctx.db.selectFrom('removal_records').selectAll().where('item_id', '=', id).orderBy('decided_at', 'desc').execute(),
      [account],
    );
    const pending = await moderation.pendingRecord(ctx, id);
    const step = form.step ?? 1;
    const values = form.values ?? { action: item.hidden ? 'delete' : 'hide', guideline: moderation.suggestedPoint(categories), reason: '' };
    return reply.view('inbox/views/removal.njk', {
      title: `${STEP_TITLES[step - 1]} – skjul eller slet kommentaren fra ${item.author_name}`,
      socialMenu: true,
      step,
      steps: STEP_TITLES.length,
      errors: form.errors ?? {},
      values,
      chosen: {
        action: actionChoices(account.network).find((a) => a.value === values.action)?.text ?? '',
        guideline: moderation.GUIDELINE_POINTS.find((p) => p.id === values.guideline)?.text ?? '',
      },
      item: {
        id: item.id,
        href: `${INBOX_PATH}/${item.id}`,
        authorName: item.author_name,
        authorHandle: item.author_handle,
        text: maskCpr(item.text),
        writtenAt: item.written_at,
        url: item.url,
        hidden: !!item.hidden,
        deleted: !!item.deleted,
        accountName: `${account.name} (${NETWORK_LABELS[account.network]})`,
        tags: categories.map((c) => CATEGORIES[c].label),
      },
      network: NETWORK_LABELS[account.network],
      reasons,
      actions: moderation.canRemoveOn(account.network) ? actionChoices(account.network).filter((a) => !(item.hidden && a.value === 'hide')) : [],
      cannotRemove: moderation.canRemoveOn(account.network) ? null : moderation.MASTODON_CANNOT_REMOVE,
      blockHref: `${INBOX_PATH}/${item.id}/bloker`,
      points: moderation.GUIDELINE_POINTS.map((p) => ({ value: p.id, text: p.text, categories: p.categories.map((c) => CATEGORIES[c].label).join(', '), suggested: p.categories.some((c) => (categories as string[]).includes(c)) })),
      guidelinesHref: GUIDELINES_PATH,
      records: records.map((r) => ({ ...r, href: recordPath(r.id) })),
      pendingHref: pending ? recordPath(pending.id) : null,
      showAgain: item.hidden && !item.deleted ? `${INBOX_PATH}/${item.id}/vis-igen` : null,
    });
  }

  app.get('/:id/fjern', async (request, reply) => showForm(request, reply, paramsOf(request).id!));

  app.post('/:id/fjern', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const form = formOf(request);
    const input = { action: text(form, 'action'), guideline: text(form, 'guideline'), reason: text(form, 'reason') };
    // Without "trin" (or on the last page) everything is sent at once.
    const step = Math.min(Math.max(Number(text(form, 'trin')) || STEP_FIELDS.length, 1), STEP_FIELDS.length);
    if (text(form, 'tilbage')) return showForm(request, reply, id, { values: input, step: Math.max(step - 1, 1) });
    if (step < STEP_FIELDS.length) {
      const field = STEP_FIELDS[step - 1]!;
      const error = moderation.removalErrors(input)[field];
      await itemFor(ctx, request.actor!, id);
      if (error) return showForm(request, reply.code(422), id, { values: input, errors: { [field]: error }, step });
      return showForm(request, reply, id, { values: input, step: step + 1 });
    }
    let result;
    try {
      result = await moderation.removeItem(ctx, request.actor!, id, input, { keepDays });
    } catch (error) {
      const errors = refusalOf(error);
      // The first page with an error is shown, with only that page's errors.
      const first = STEP_FIELDS.findIndex((f) => errors[f]);
      const shown = first >= 0 ? { [STEP_FIELDS[first]!]: errors[STEP_FIELDS[first]!]! } : errors;
      return showForm(request, reply.code(422), id, { values: input, errors: shown, step: first >= 0 ? first + 1 : STEP_FIELDS.length });
    }
    if (!result.carriedOut) return showRecord(request, reply.code(422), result.recordId, { errors: { _form: result.message! } });
    return reply.redirect(`${recordPath(result.recordId)}?gennemfoert=1`, 303);
  });

  app.post('/:id/vis-igen', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    try {
      await moderation.showAgain(ctx, request.actor!, id);
    } catch (error) {
      return showForm(request, reply.code(422), id, { errors: refusalOf(error) });
    }
    const last = await ctx.db.selectFrom('removal_records').select('id').where('item_id', '=', id).where('action', '=', 'hide').orderBy('decided_at', 'desc').executeTakeFirst();
    return reply.redirect(last ? `${recordPath(last.id)}?vist-igen=1` : `${INBOX_PATH}/${id}`, 303);
  });
}
