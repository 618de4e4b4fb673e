import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../org/actor.ts';
import { JOB_ROLE_LABELS, LEADERSHIP_LEVEL_LABELS, type LeadershipLevel } from '../org/model.ts';
import * as org from '../org/store.ts';
import { indented, unitsInTreeOrder } from '../org/unit-tree.ts';
import type { DbOrTx } from '../platform/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { formOf, guard, options, pageNumber, pagination, paramsOf, queryOf, queryString, text } from '../platform/forms.ts';
import { localDate, showDate } from '../platform/time.ts';
import { canEditItem, canPublishItem, canUseEditor, seesAllContent } from './access.ts';
import { type Block, blocksChanged, lineDiff, type Segment, segmentsChanged, wordDiff } from './diff.ts';
import * as queries from './queries.ts';
import { EditConflictError, parseContent, restoreRevision } from './service.ts';
import * as store from './store.ts';
import type { ItemRow } from './tables.ts';
import { APP_SECTIONS, type Content, ITEM_TYPE_LABELS, ITEM_TYPES, type ItemState, type Placement, SEVERITY_LABELS, STATE_LABELS, STATES, TYPE_FIELD_LABELS, WEBSITE_SECTIONS } from './types.ts';

const PAGE_SIZE = 25;

const CHANNEL_NAMES: Record<string, string> = { website: 'Hjemmesiden', intranet: 'Intranettet', app: 'Appen', social: 'Sociale medier' };
const SUBSITE = 'subsite:';

/** The channel keys in which the actor holds a right, read from their capabilities. */
export function channelsWithRight(actor: Actor, right: 'edit' | 'publish'): string[] {
  const suffix = `.${right}`;
  return [...actor.capabilities]
    .filter((c) => c.endsWith(suffix))
    .map((c) => c.slice(0, -suffix.length))
    .filter((k) => k in CHANNEL_NAMES || (k.startsWith(SUBSITE) && k.length > SUBSITE.length))
    .sort();
}

/** Undefined for the platform owner, who sees every item; everyone else sees the channels they edit and items placed nowhere. */
const visibleChannelsOf = (actor: Actor): string[] | undefined => (seesAllContent(actor) ? undefined : channelsWithRight(actor, 'edit'));

async function subsiteNames(db: DbOrTx): Promise<Map<string, string>> {
  const units = await org.listUnits(db, { includeInactive: true });
  return new Map(units.filter((u) => u.kind === 'institution').map((u) => [`${SUBSITE}${u.id}`, u.name]));
}

const channelLabel = (key: string, subsites: Map<string, string>) => CHANNEL_NAMES[key] ?? (subsites.has(key) ? `Subsite: ${subsites.get(key)}` : key);

// ---- tasks ----

export interface Tasks {
  drafts: queries.TaskRow[];
  review: queries.TaskRow[];
  scheduled: queries.TaskRow[];
  outdated: queries.TaskRow[];
  notReviewed: queries.TaskRow[];
}

/** What waits for this person: the same rules as the workflow's, so nothing is offered that would then be refused. */
export async function loadTasks(db: DbOrTx, actor: Actor): Promise<Tasks> {
  const me = actor.personId;
  const publishable = channelsWithRight(actor, 'publish');
  const [drafts, inReview, scheduled, outdated, emergency] = await Promise.all([
    me ? queries.draftsOf(db, me) : [],
    queries.inReviewWithin(db, publishable),
    queries.scheduledItems(db, visibleChannelsOf(actor)),
    queries.outdatedFor(db, localDate(), channelsWithRight(actor, 'edit'), actor.unitIds),
    queries.notReviewedWithin(db, publishable),
  ]);
  const review: queries.TaskRow[] = [];
  for (const row of inReview) {
    if (!canPublishItem(actor, await store.channelsOf(db, row.id))) continue;
    if ((await store.editionAuthors(db, row.id, row.edition_start)).includes(me)) continue;
    review.push(row);
  }
  const notReviewed: queries.TaskRow[] = [];
  for (const row of emergency) {
    if (row.emergency_by !== me && canPublishItem(actor, await store.channelsOf(db, row.id))) notReviewed.push(row);
  }
  return { drafts, review, scheduled, outdated, notReviewed };
}

// ---- comparing revisions ----

interface FieldComparison {
  label: string;
  changed: boolean;
  segments?: Segment[];
  blocks?: Block[];
}


function fieldValue(key: string, value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  if (key === 'leadershipLevel') return LEADERSHIP_LEVEL_LABELS[value as LeadershipLevel] ?? value;
  if (key === 'severity') return (SEVERITY_LABELS as Record<string, string>)[value] ?? value;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? value.replace('T', ' kl. ') : value;
}

/** The type's own fields, one line per value, so a list such as the steps compares item by item. */
function fieldLines(fields: Record<string, unknown>): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    const label = TYPE_FIELD_LABELS[key] ?? key;
    if (Array.isArray(value)) for (const v of value) lines.push(`${label}: ${fieldValue(key, v)}`);
    else lines.push(`${label}: ${fieldValue(key, value)}`);
  }
  return lines.join('\n');
}

interface Names {
  units: Map<string, string>;
  groups: Map<string, string>;
  media: Map<string, string>;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

function placementLine(p: Placement, names: Names): string {
  switch (p.channel) {
    case 'website':
      return `Hjemmesiden: ${WEBSITE_SECTIONS[p.section] ?? p.section}`;
    case 'subsite':
      return `Subsite: ${names.units.get(p.unitId) ?? p.unitId}`;
    case 'app':
      return `Appen: ${APP_SECTIONS[p.section] ?? p.section}`;
    case 'social':
      return `Sociale medier (${p.accountId}): ${oneLine(p.text)}`;
    case 'intranet': {
      if (p.everyone) return 'Intranettet: alle';
      const parts = [
        p.roles.length ? `roller: ${p.roles.map((r) => JOB_ROLE_LABELS[r]).join(', ')}` : '',
        p.unitIds.length ? `enheder: ${p.unitIds.map((u) => names.units.get(u) ?? u).join(', ')}` : '',
        p.groupIds.length ? `grupper: ${p.groupIds.map((g) => names.groups.get(g) ?? g).join(', ')}` : '',
      ];
      return `Intranettet: ${parts.filter(Boolean).join('; ')}`;
    }
  }
}

const imageLine = (i: Content['images'][number], names: Names) =>
  `${names.media.get(i.mediaId) ?? i.mediaId}: ${i.alt.trim() ? `alternativ tekst „${oneLine(i.alt)}“` : 'mangler alternativ tekst'}`;

const words = (label: string, before: string, after: string): FieldComparison => {
  const segments = wordDiff(before, after);
  return { label, changed: segmentsChanged(segments), segments };
};
const lines = (label: string, before: string, after: string): FieldComparison => {
  const blocks = lineDiff(before, after);
  return { label, changed: blocksChanged(blocks), blocks };
};

/** Every field an editor can change, in the order of the edit form. */
export function compareContent(a: Content, b: Content, names: Names): FieldComparison[] {
  const placements = (c: Content) => c.placements.map((p) => placementLine(p, names)).join('\n');
  const images = (c: Content) => c.images.map((i) => imageLine(i, names)).join('\n');
  const reviewBy = (c: Content) => (c.reviewBy ? showDate(c.reviewBy) : 'Ingen dato');
  const language = (c: Content) => (c.language === 'en' ? 'Engelsk' : 'Dansk');
  return [
    words('Titel', a.title, b.title),
    words('Resumé', a.summary, b.summary),
    lines('Brødtekst', a.body, b.body),
    lines('Felter for indholdstypen', fieldLines(a.fields ?? {}), fieldLines(b.fields ?? {})),
    lines('Placering', placements(a), placements(b)),
    lines('Billeder', images(a), images(b)),
    lines('Emner', a.topics.join('\n'), b.topics.join('\n')),
    words('Gennemses senest', reviewBy(a), reviewBy(b)),
    words('Ejer', names.units.get(a.ownerUnitId) ?? a.ownerUnitId, names.units.get(b.ownerUnitId) ?? b.ownerUnitId),
    words('Kontakt', a.contact, b.contact),
    words('Sprog', language(a), language(b)),
  ];
}

// ---- routes ----

async function requireItem(db: DbOrTx, id: string): Promise<ItemRow> {
  const item = await store.findItem(db, id);
  if (!item) throw new NotFoundError('Indholdet findes ikke.');
  return item;
}

/** Reading the history shows every earlier text, so it needs what editing needs; the platform owner reads all. */
async function requireHistoryReader(db: DbOrTx, actor: Actor, item: ItemRow): Promise<string[]> {
  const channels = await store.channelsOf(db, item.id);
  if (!canEditItem(actor, channels) && !seesAllContent(actor)) throw new ForbiddenError('Du har ikke adgang til dette indholds historik.');
  return channels;
}

interface HistoryProblem {
  message: string;
  details: string[];
}

async function showHistory(request: FastifyRequest, reply: FastifyReply, id: string, problem: HistoryProblem | null = null) {
  const db = request.server.ctx.db;
  const actor = request.actor!;
  const item = await requireItem(db, id);
  const channels = await requireHistoryReader(db, actor, item);
  const revisions = await store.revisionsOf(db, id);
  const latest = item.latest_revision;
  return reply.view('content/views/history.njk', {
    title: `Historik: ${item.title}`,
    item,
    stateLabel: STATE_LABELS[item.state as ItemState] ?? item.state,
    revisions,
    canRestore: canEditItem(actor, channels),
    compare: { fra: latest > 1 ? latest - 1 : latest, til: latest },
    problem,
  });
}

/** The content list, the person's tasks and each item's history, inside the signed-in admin. */
export async function listRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  app.addHook('onRequest', guard(canUseEditor));

  app.get('/indhold', async (request, reply) => {
    const actor = request.actor!;
    const q = queryOf(request);
    const visible = visibleChannelsOf(actor);
    const [units, subsites] = await Promise.all([org.listUnits(db, { includeInactive: true }), subsiteNames(db)]);
    const channelKeys = visible ?? ['website', 'intranet', 'app', 'social', ...subsites.keys()];
    const channelOptions = channelKeys.map((k) => ({ value: k, text: channelLabel(k, subsites) }));
    const filter = {
      q: text(q, 'q').trim().slice(0, 200),
      type: (ITEM_TYPES as readonly string[]).includes(text(q, 'type')) ? text(q, 'type') : '',
      tilstand: (STATES as readonly string[]).includes(text(q, 'tilstand')) ? text(q, 'tilstand') : '',
      enhed: units.some((u) => u.id === text(q, 'enhed')) ? text(q, 'enhed') : '',
      kanal: channelOptions.some((o) => o.value === text(q, 'kanal')) ? text(q, 'kanal') : '',
    };
    const page = pageNumber(q);
    const { rows, total } = await store.listItems(db, {
      type: filter.type || undefined,
      state: filter.tilstand || undefined,
      ownerUnitId: filter.enhed || undefined,
      channel: filter.kanal || undefined,
      q: filter.q || undefined,
      visibleChannels: visible,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    const latest = await queries.latestRevisions(db, rows.filter((r) => r.live_revision !== null).map((r) => r.id));
    return reply.view('content/views/list.njk', {
      title: 'Indhold',
      items: rows.map((r) => ({
        ...r,
        typeLabel: ITEM_TYPE_LABELS[r.type as keyof typeof ITEM_TYPE_LABELS] ?? r.type,
        stateLabel: STATE_LABELS[r.state as ItemState] ?? r.state,
        live: r.live_revision !== null,
        unpublishedChanges: r.live_revision !== null && r.live_revision < (latest.get(r.id) ?? r.live_revision),
      })),
      total,
      firstShown: rows.length ? (page - 1) * PAGE_SIZE + 1 : 0,
      lastShown: (page - 1) * PAGE_SIZE + rows.length,
      filter,
      filtered: Object.values(filter).some(Boolean),
      typeOptions: options(ITEM_TYPES, ITEM_TYPE_LABELS),
      stateOptions: options(STATES, STATE_LABELS),
      unitOptions: unitsInTreeOrder(units).map((n) => ({ value: n.unit.id, text: indented(n.depth, n.unit.name) })),
      channelOptions,
      pagination: pagination(page, Math.ceil(total / PAGE_SIZE), (n) => `/admin/indhold${queryString({ ...filter, side: n === 1 ? undefined : n })}`),
    });
  });

  app.get('/opgaver', async (request, reply) => {
    const tasks = await loadTasks(db, request.actor!);
    const label = (r: queries.TaskRow) => ({
      ...r,
      typeLabel: ITEM_TYPE_LABELS[r.type as keyof typeof ITEM_TYPE_LABELS] ?? r.type,
      stateLabel: STATE_LABELS[r.state as ItemState] ?? r.state,
    });
    return reply.view('content/views/tasks.njk', {
      title: 'Mine opgaver',
      drafts: tasks.drafts.map(label),
      review: tasks.review.map(label),
      scheduled: tasks.scheduled.map(label),
      outdated: tasks.outdated.map(label),
      notReviewed: tasks.notReviewed.map(label),
    });
  });

  app.get('/indhold/:id/historik', async (request, reply) => showHistory(request, reply, paramsOf(request).id!));

  app.get('/indhold/:id/sammenlign', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const item = await requireItem(db, id);
    await requireHistoryReader(db, request.actor!, item);
    const q = queryOf(request);
    const number = (key: string, fallback: number) => {
      const raw = text(q, key);
      return /^\d{1,9}$/.test(raw) ? Number(raw) : fallback;
    };
    const til = number('til', item.latest_revision);
    const fra = number('fra', Math.max(1, til - 1));
    const [from, to, revisions] = await Promise.all([store.findRevision(db, id, fra), store.findRevision(db, id, til), store.revisionsOf(db, id)]);
    if (!from || !to) throw new NotFoundError('Versionen findes ikke.');
    const a = parseContent(from.content);
    const b = parseContent(to.content);
    const groupIds = [...a.placements, ...b.placements].flatMap((p) => (p.channel === 'intranet' ? p.groupIds : []));
    const [units, groups, media] = await Promise.all([
      org.listUnits(db, { includeInactive: true }),
      queries.groupNames(db, groupIds),
      queries.mediaNames(db, [...a.images, ...b.images].map((i) => i.mediaId)),
    ]);
    const fields = compareContent(a, b, { units: new Map(units.map((u) => [u.id, u.name])), groups, media });
    const meta = (n: number) => revisions.find((r) => r.number === n)!;
    return reply.view('content/views/compare.njk', {
      title: `Sammenlign version ${fra} og ${til}: ${item.title}`,
      item,
      from: meta(fra),
      to: meta(til),
      changed: fields.filter((f) => f.changed),
      unchanged: fields.filter((f) => !f.changed).map((f) => f.label),
      revisions,
    });
  });

  app.post('/indhold/:id/gendan/:number', async (request, reply) => {
    const { id, number } = paramsOf(request) as { id: string; number: string };
    const item = await requireItem(db, id);
    if (!canEditItem(request.actor, await store.channelsOf(db, id))) throw new ForbiddenError('Du har ikke ret til at redigere dette indhold.');
    if (!/^\d{1,9}$/.test(number)) throw new NotFoundError('Versionen findes ikke.');
    const base = text(formOf(request), 'baseRevision');
    const baseRevision = /^\d{1,9}$/.test(base) ? Number(base) : item.latest_revision;
    try {
      await restoreRevision(db, request.actor!, id, Number(number), baseRevision);
      return reply.redirect(`/admin/indhold/${id}?gemt=1`, 303);
    } catch (error) {
      // A conflict or an old revision that no longer passes today's rules is explained beside the history, not on an error page.
      if (error instanceof EditConflictError) {
        return showHistory(request, reply.code(409), id, { message: 'Nogen har gemt en nyere version, siden du åbnede historikken. Se den nyeste version igennem, og gendan igen, hvis det stadig skal ske.', details: [] });
      }
      if (error instanceof ValidationError) {
        return showHistory(request, reply.code(400), id, { message: `Version ${number} kan ikke gendannes, som den er:`, details: Object.values(error.fields) });
      }
      throw error;
    }
  });
}
