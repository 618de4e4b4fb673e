import { listAccounts as listSocialAccounts } from '../social/store.ts';
import { providerFor } from '../social/providers/index.ts';
import { NETWORK_LABELS } from '../social/providers/types.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listSites } from '../sites/store.ts';
import { borgerdkEditorChoices } from '../borgerdk/page-view.ts';
import type { Actor } from '../org/actor.ts';
import { JOB_ROLE_LABELS, JOB_ROLES, LEADERSHIP_LEVEL_LABELS, LEADERSHIP_LEVELS } from '../org/model.ts';
import * as org from '../org/store.ts';
import { indented, unitsInTreeOrder } from '../org/unit-tree.ts';
import type { DbOrTx } from '../platform/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { COMMON_NOTICES, type Errors, type Form, formOf, noticeFor, paramsOf, queryOf, text, type Values } from '../platform/forms.ts';
import { showDate } from '../platform/time.ts';
import { canEditItem, canPlaceIn, seesAllContent } from './access.ts';
import { CHANNEL_FORM_FIELDS, contentToFormValues, type FormChannel, formToContentInput, formValues, imageRowCount, TYPE_FORM_FIELDS, withChannelsFrom } from './form.ts';
import { lix } from './lix.ts';
import { markdownToPlainText, renderMarkdown } from './markdown.ts';
import { listMedia } from './media-store.ts';
import { loadJargon } from './jargon.ts';
import { plainLanguageHints } from './plain-language.ts';
import { createItem, EditConflictError, parseContent, saveItem, transition, workflowFacts } from './service.ts';
import * as store from './store.ts';
import type { ItemRow } from './tables.ts';
import {
  APP_SECTIONS,
  type Content,
  ITEM_TYPE_LABELS,
  ITEM_TYPES,
  type ItemType,
  LANGUAGE_LABELS,
  type Placement,
  SEVERITY_LABELS,
  STATE_LABELS,
  type ItemState,
  TYPE_FIELD_LABELS,
  UNPUBLISH_REASON_LABELS,
  UNPUBLISH_REASONS,
  WEBSITE_SECTIONS,
} from './types.ts';
import { availableTransitions, TRANSITIONS, type TransitionName } from './workflow.ts';

const TYPE_DESCRIPTIONS: Record<ItemType, string> = {
  page: 'En fast side med information, fx om et tilbud eller en ydelse.',
  news: 'En nyhed med dato. Vises i nyhedslisterne på hjemmesiden, intranettet og i appen.',
  event: 'Et arrangement med tidspunkt og sted.',
  selfservice: 'En indgang til en digital selvbetjening, fx på borger.dk.',
  campaign: 'En kampagne i en periode, eventuelt med en knap til at handle.',
  knowledge: 'En videnartikel til medarbejderne, fx en vejledning eller en procedure.',
  leader_module: 'Et modul til Leder-GPS med trin og tjekliste til et bestemt ledelsesniveau.',
  alert: 'Et varsel om fx vejarbejde, nedbrud eller ekstremt vejr.',
};

/** "Ny" or "Nyt" after the noun's gender. */
const NEW_TITLES: Record<ItemType, string> = {
  page: 'Ny side',
  news: 'Ny nyhed',
  event: 'Nyt arrangement',
  selfservice: 'Ny selvbetjening',
  campaign: 'Ny kampagne',
  knowledge: 'Ny videnartikel',
  leader_module: 'Nyt ledermodul',
  alert: 'Nyt varsel',
};

const STATE_BADGES: Record<ItemState, string> = { draft: 'none', in_review: 'info', approved: 'success', scheduled: 'info', published: 'success', archived: 'warning' };


/** A section to suggest when the channel is ticked, by type. */
const DEFAULT_WEBSITE_SECTION: Partial<Record<ItemType, string>> = { news: 'nyheder', event: 'arrangementer' };
const DEFAULT_APP_SECTION: Partial<Record<ItemType, string>> = { news: 'nyheder', event: 'arrangementer', campaign: 'kampagner', leader_module: 'leder-gps', selfservice: 'genveje' };

/** The query flag each step leaves after its redirect, and what it says. */
const STEP_FLAGS: Record<Exclude<TransitionName, 'publish_scheduled' | 'unpublish_scheduled'>, [string, string]> = {
  submit: ['sendt', 'Indholdet er sendt til godkendelse.'],
  approve: ['godkendt', 'Indholdet er godkendt og kan nu udgives.'],
  send_back: ['sendt-tilbage', 'Indholdet er sendt tilbage med din kommentar.'],
  publish: ['udgivet', 'Indholdet er udgivet.'],
  schedule: ['planlagt', 'Udgivelsen er planlagt.'],
  unschedule: ['planlaegning-annulleret', 'Den planlagte udgivelse er annulleret. Indholdet er stadig godkendt.'],
  emergency_publish: ['hasteudgivet', 'Indholdet er udgivet uden godkendelse. En anden redaktør skal gennemse det.'],
  mark_reviewed: ['gennemset', 'Indholdet er markeret som gennemset.'],
  unpublish: ['afpubliceret', 'Indholdet er afpubliceret.'],
  schedule_unpublish: ['afpublicering-planlagt', 'Afpubliceringen er planlagt.'],
};
type StepName = keyof typeof STEP_FLAGS;

const NOTICES = { ...COMMON_NOTICES, ...Object.fromEntries(Object.values(STEP_FLAGS)) };

/** The fields of each step's own little form; their errors are shown there, everything else beside the content. */
const STEP_FIELDS: Partial<Record<StepName, readonly string[]>> = {
  send_back: ['comment'],
  schedule: ['at'],
  emergency_publish: ['reason'],
  unpublish: ['reason', 'note', 'replacedBy', 'replacedBySlug'],
  schedule_unpublish: ['at', 'reason', 'note', 'replacedBy', 'replacedBySlug'],
};

const AUTOSAVE_NOTE = 'Automatisk gemt';

const isType = (type: string): type is ItemType => (ITEM_TYPES as readonly string[]).includes(type);
const isStep = (name: string): name is StepName => Object.hasOwn(STEP_FLAGS, name);

/** Errors in the order their fields stand in the form, so the summary reads from the top down. */
function inFormOrder(errors: Errors, type: ItemType): Errors {
  const order = ['_form', 'type', 'title', 'summary', 'body', 'ownerUnitId', 'contact', 'topics', 'language', 'reviewBy', ...TYPE_FORM_FIELDS[type].map((f) => `fields.${f}`), 'images', 'placements'];
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b)));
}

// ---- placements the person may not change ----

/** A placement written the same way whatever order its keys and lists came in, for comparing. */
function canonical(p: Placement): string {
  const sorted = Object.fromEntries(
    Object.entries(p)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, Array.isArray(v) ? [...v].sort() : v]),
  );
  return JSON.stringify(sorted);
}

/** Form channels shown as hidden inputs: those the person may not place in. */
function hiddenChannels(actor: Actor): FormChannel[] {
  return (Object.keys(CHANNEL_FORM_FIELDS) as FormChannel[]).filter((c) => !canPlaceIn(actor, c));
}

const CHANNEL_NAMES: Record<FormChannel, string> = { website: 'hjemmesiden', intranet: 'intranettet', app: 'appen', social: 'sociale medier' };

/**
 * The service refuses adding or removing a channel the person may not place in, naming it by its key;
 * this check comes first so the message names it in words, and it also refuses a placement in such a
 * channel that is kept but changed (another intranet audience, another social text), which the service does not see.
 */
async function checkLockedPlacements(db: DbOrTx, actor: Actor, before: Placement[], after: Placement[]): Promise<void> {
  const of = (ps: Placement[], key: string) =>
    ps
      .filter((p) => (p.channel === 'subsite' ? `subsite:${p.unitId}` : p.channel) === key)
      .map(canonical)
      .sort()
      .join('\n');
  const keys = new Set([...before, ...after].map((p) => (p.channel === 'subsite' ? `subsite:${p.unitId}` : p.channel)));
  const changed = [...keys].filter((key) => !canPlaceIn(actor, key) && of(before, key) !== of(after, key));
  if (!changed.length) return;
  const names: string[] = [];
  for (const key of changed) {
    if (!key.startsWith('subsite:')) names.push(CHANNEL_NAMES[key as FormChannel] ?? key);
    else names.push(`subsitet for ${(await org.findUnit(db, key.slice('subsite:'.length)))?.name ?? 'en ukendt enhed'}`);
  }
  throw new ValidationError({ placements: `Du har ikke ret til at ændre placeringen på ${names.join(', ')}. Spørg en redaktør for kanalen.` });
}

// ---- what the form shows ----

interface Lookups {
  unitName: (id: string) => string;
  groupName: (id: string) => string;
  mediaName: (id: string) => string;
  accountName: (id: string) => string;
}

async function lookups(db: DbOrTx, mediaIds: string[]): Promise<Lookups> {
  const [units, groups] = await Promise.all([org.listUnits(db, { includeInactive: true }), org.listGroups(db, { includeInactive: true })]);
  const media = await store.mediaNames(db, [...new Set(mediaIds)]);
  const accounts = await listSocialAccounts(db, { includeInactive: true });
  return {
    unitName: (id) => units.find((u) => u.id === id)?.name ?? 'Ukendt enhed',
    groupName: (id) => groups.find((g) => g.id === id)?.name ?? 'Ukendt gruppe',
    mediaName: (id) => media.get(id) ?? 'Billedet findes ikke længere',
    accountName: (id) => {
      const a = accounts.find((x) => x.id === id);
      return a ? `${a.name} på ${NETWORK_LABELS[a.network]}` : 'en konto, der ikke findes længere';
    },
  };
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function imageIds(values: Values): string[] {
  return Object.entries(values)
    .filter(([k, v]) => /^images\.\d+\.mediaId$/.test(k) && typeof v === 'string' && v !== '')
    .map(([, v]) => v as string);
}

/** The registry's active accounts, and any inactive one the item is already placed on. */
async function socialAccountOptions(db: DbOrTx, chosen: string[]) {
  const accounts = await listSocialAccounts(db, { includeInactive: true });
  return accounts
    .filter((a) => a.active || chosen.includes(a.id))
    .map((a) => ({ id: a.id, label: `${a.name} på ${NETWORK_LABELS[a.network]} (${a.handle})`, network: a.network, maxText: providerFor(a.network).limits.maxText }));
}

/** Choices, channels and hints for the edit form of one type, shown with `values`. */
async function formContext(db: DbOrTx, actor: Actor, type: ItemType, values: Values, savedSubsites: string[] = []) {
  const [units, groups, media, sites] = await Promise.all([org.listUnits(db, { includeInactive: true }), org.listGroups(db), listMedia(db, { limit: 100, offset: 0 }), listSites(db)]);
  const siteNames = new Map(sites.map((s) => [s.unitId, s.name]));
  const active = units.filter((u) => u.active || u.id === values.ownerUnitId);
  const mediaOptions = media.rows.map((m) => ({ value: m.id, text: m.original_name }));
  // An image chosen earlier stays choosable even when it is no longer among the newest.
  const older = [...new Set(imageIds(values))].filter((id) => !mediaOptions.some((o) => o.value === id));
  const names = await store.mediaNames(db, older);
  for (const id of older) mediaOptions.push({ value: id, text: names.get(id) ?? 'Billedet findes ikke længere' });
  const placedSubsites = new Set([...savedSubsites, ...asList(values.subsites)]);
  const hidden = hiddenChannels(actor);
  const hiddenInputs: { name: string; value: string }[] = [];
  for (const channel of hidden) {
    for (const key of CHANNEL_FORM_FIELDS[channel]) for (const value of asList(values[key])) if (value !== '') hiddenInputs.push({ name: key, value });
  }
  const ticked = (key: string) => asList(values[key]).some((v) => v !== '' && v !== '0');
  const placedIn: Record<FormChannel, boolean> = { website: ticked('website'), intranet: ticked('intranet'), app: ticked('app'), social: ticked('socialPlacements') || ticked('socialAccounts') };
  const body = typeof values.body === 'string' ? values.body : '';
  const plain = markdownToPlainText(body);
  const summary = typeof values.summary === 'string' ? values.summary : '';
  return {
    type,
    typeLabel: ITEM_TYPE_LABELS[type],
    typeFields: TYPE_FORM_FIELDS[type],
    values,
    imageRows: imageRowCount(values),
    unitOptions: unitsInTreeOrder(active).map((n) => ({ value: n.unit.id, text: indented(n.depth, n.unit.name) + (n.unit.active ? '' : ' (deaktiveret)') })),
    languageOptions: Object.entries(LANGUAGE_LABELS).map(([value, t]) => ({ value, text: t })),
    leadershipOptions: LEADERSHIP_LEVELS.map((l) => ({ value: l, text: LEADERSHIP_LEVEL_LABELS[l] })),
    severityOptions: Object.entries(SEVERITY_LABELS).map(([value, t]) => ({ value, text: t })),
    websiteSectionOptions: Object.entries(WEBSITE_SECTIONS).map(([value, t]) => ({ value, text: t })),
    appSectionOptions: Object.entries(APP_SECTIONS).map(([value, t]) => ({ value, text: t })),
    mediaOptions,
    offer: {
      social: canPlaceIn(actor, 'social') ? await socialAccountOptions(db, asList(values.socialAccounts)) : null,
      website: canPlaceIn(actor, 'website'),
      intranet: canPlaceIn(actor, 'intranet'),
      app: canPlaceIn(actor, 'app'),
      subsites: units
        .filter((u) => (u.kind === 'institution' || siteNames.has(u.id)) && ((u.active && canPlaceIn(actor, `subsite:${u.id}`)) || placedSubsites.has(u.id)))
        .map((u) => ({ value: u.id, text: siteNames.get(u.id) ?? u.name })),
      roles: JOB_ROLES.map((r) => ({ value: r, text: JOB_ROLE_LABELS[r] })),
      units: unitsInTreeOrder(units.filter((u) => u.active)).map((n) => ({ value: n.unit.id, text: n.unit.name, depth: Math.min(n.depth, 4) })),
      groups: groups.map((g) => ({ value: g.id, text: g.name })),
    },
    hiddenInputs,
    // A page may show an article from borger.dk after its own text; the form offers the imported ones.
    borgerdkChoices: type === 'page' ? await borgerdkEditorChoices(db, values['fields.borgerdkArticleId']) : null,
    keptChannels: hidden.filter((c) => placedIn[c]).map((c) => CHANNEL_NAMES[c]),
    // Counted as the schema counts, so the hint and the refusal agree.
    summaryLength: summary.trim().length,
    readability: lix(plain),
    hints: plainLanguageHints(plain, await loadJargon(db)),
  };
}

function newValues(actor: Actor, type: ItemType): Values {
  const values = contentToFormValues({
    title: '',
    summary: '',
    body: '',
    ownerUnitId: actor.unitIds[0] ?? '',
    contact: '',
    topics: [],
    language: 'da',
    reviewBy: null,
    images: [],
    placements: [],
    fields: Object.fromEntries(TYPE_FORM_FIELDS[type].map((f) => [f, ''])),
  });
  values.websiteSection = DEFAULT_WEBSITE_SECTION[type] ?? '';
  values.appSection = DEFAULT_APP_SECTION[type] ?? '';
  return values;
}

// ---- the item page ----

interface StepState {
  name: StepName;
  values: Values;
  errors: Errors;
}

interface ItemPageState {
  values?: Values;
  errors?: Errors;
  previewHtml?: string;
  step?: StepState;
}

async function requireItem(db: DbOrTx, id: string): Promise<ItemRow> {
  const item = await store.findItem(db, id);
  if (!item) throw new NotFoundError('Indholdet findes ikke.');
  return item;
}

async function personName(db: DbOrTx, id: string | null): Promise<string | null> {
  return id ? ((await org.findPersonRow(db, id))?.name ?? null) : null;
}

async function latestContent(db: DbOrTx, item: ItemRow): Promise<{ content: Content; createdAt: string; authorName: string | null; number: number }> {
  const revision = await store.findRevision(db, item.id, item.latest_revision);
  if (!revision) throw new NotFoundError('Indholdets seneste version findes ikke.');
  return { content: parseContent(revision.content), createdAt: revision.created_at, authorName: await personName(db, revision.author_id), number: revision.number };
}

const subsitesOf = (c: Content): string[] => c.placements.flatMap((p) => (p.channel === 'subsite' ? [p.unitId] : []));

async function showItemPage(request: FastifyRequest, reply: FastifyReply, id: string, state: ItemPageState = {}) {
  const db = request.server.ctx.db;
  const actor = request.actor!;
  const item = await requireItem(db, id);
  const channels = await store.channelsOf(db, id);
  const canEdit = canEditItem(actor, channels);
  if (!canEdit && !seesAllContent(actor)) throw new ForbiddenError('Du har ikke ret til at se eller redigere dette indhold.');
  const type = item.type as ItemType;
  const latest = await latestContent(db, item);
  const values = state.values ?? contentToFormValues(latest.content);
  const facts = await workflowFacts(db, actor, item);
  const steps = availableTransitions(facts).filter(isStep);
  const replacements =
    steps.includes('unpublish') || steps.includes('schedule_unpublish')
      ? (await store.liveItems(db, type)).filter((r) => r.id !== id).map((r) => ({ value: r.id, text: r.title }))
      : [];
  const errors = state.errors ?? {};
  const stepErrors: Errors = {};
  if (state.step) for (const [k, v] of Object.entries(state.step.errors)) stepErrors[`${state.step.name}-${k}`] = v;
  const itemState = item.state as ItemState;
  return reply.view('content/views/item.njk', {
    title: item.title,
    notice: Object.keys(errors).length || state.step ? null : noticeFor(request, NOTICES),
    item: {
      id: item.id,
      slug: item.slug,
      state: itemState,
      stateLabel: STATE_LABELS[itemState],
      stateBadge: STATE_BADGES[itemState],
      liveRevision: item.live_revision,
      liveSince: item.live_since,
      latestRevision: item.latest_revision,
      notReviewed: item.not_reviewed === 1,
      emergencyReason: item.emergency_reason,
      emergencyBy: await personName(db, item.emergency_by),
      publishAt: item.publish_at,
      unpublishAt: item.unpublish_at,
      unpublishReason: item.unpublish_reason ? (UNPUBLISH_REASON_LABELS as Record<string, string>)[item.unpublish_reason] : null,
      unpublishNote: item.unpublish_note,
      reviewComment: itemState === 'draft' ? item.review_comment : null,
      submittedBy: await personName(db, item.submitted_by),
      approvedBy: await personName(db, item.approved_by),
    },
    latest,
    canEdit,
    ...(await formContext(db, actor, type, values, subsitesOf(latest.content))),
    formAction: `/admin/indhold/${id}`,
    hl: 3,
    submitLabel: 'Gem',
    autosaveUrl: `/admin/indhold/${id}/autosave`,
    baseRevision: state.values ? text(state.values as Form, 'baseRevision') || String(item.latest_revision) : String(item.latest_revision),
    previewHtml: state.previewHtml ?? null,
    errors: { ...errors, ...stepErrors },
    formErrors: errors,
    steps: steps.map((name) => ({ name, label: TRANSITIONS[name].label })),
    stepValues: state.step?.values ?? {},
    stepErrors,
    failedStep: state.step?.name ?? null,
    unpublishReasons: UNPUBLISH_REASONS.map((r) => ({ value: r, text: UNPUBLISH_REASON_LABELS[r] })),
    replacements,
  });
}

// ---- the conflict page ----

function describePlacement(p: Placement, l: Lookups): string {
  switch (p.channel) {
    case 'website':
      return `Hjemmeside: ${(WEBSITE_SECTIONS as Record<string, string>)[p.section] ?? p.section}`;
    case 'subsite':
      return `Subsite: ${l.unitName(p.unitId)}`;
    case 'intranet': {
      const who = [...(p.everyone ? ['alle medarbejdere'] : []), ...p.roles.map((r) => JOB_ROLE_LABELS[r] ?? r), ...p.unitIds.map(l.unitName), ...p.groupIds.map(l.groupName)];
      const mustRead = p.mustRead ? `; skal læses og kvitteres${p.remindAfterDays ? `, påmindelse efter ${p.remindAfterDays} dage` : ''}` : '';
      return `Intranet: ${who.join(', ') || 'ingen modtagere valgt'}${mustRead}`;
    }
    case 'app':
      return `App: ${(APP_SECTIONS as Record<string, string>)[p.section] ?? p.section}`;
    case 'social':
      return `Sociale medier (${l.accountName(p.accountId)}): ${p.text}`;
  }
}

function fieldText(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join('\n');
  return value === null || value === undefined ? '' : String(value);
}

/** The two versions field by field, in the words of the form. */
function comparisonRows(type: ItemType, theirs: Content, mine: Content, l: Lookups) {
  const fields: [string, (c: Content) => string][] = [
    ['Titel', (c) => c.title],
    ['Resumé', (c) => c.summary],
    ['Brødtekst', (c) => c.body],
    ['Ejer', (c) => (c.ownerUnitId ? l.unitName(c.ownerUnitId) : '')],
    ['Kontakt', (c) => c.contact],
    ['Emner', (c) => c.topics.join(', ')],
    ['Sprog', (c) => (LANGUAGE_LABELS as Record<string, string>)[c.language] ?? c.language],
    ['Gennemses senest', (c) => (c.reviewBy ? showDate(c.reviewBy) : '')],
    ...TYPE_FORM_FIELDS[type].map((name): [string, (c: Content) => string] => [TYPE_FIELD_LABELS[name] ?? name, (c) => fieldText(c.fields?.[name])]),
    ['Billeder', (c) => c.images.map((i) => `${l.mediaName(i.mediaId)}: ${i.alt.trim() || '(ingen alternativ tekst)'}`).join('\n')],
    ['Placering', (c) => c.placements.map((p) => describePlacement(p, l)).join('\n')],
  ];
  return fields.map(([label, show]) => {
    const a = show(theirs);
    const b = show(mine);
    return { label, theirs: a, mine: b, differs: a !== b };
  });
}

async function showConflict(request: FastifyRequest, reply: FastifyReply, item: ItemRow, error: EditConflictError, form: Form) {
  const db = request.server.ctx.db;
  const actor = request.actor!;
  const type = item.type as ItemType;
  const mine = formToContentInput(form, type);
  const theirs = error.theirs;
  const l = await lookups(db, [...theirs.content.images, ...mine.images].map((i) => i.mediaId));
  // Channels this person may not change follow the newest version, so saving from here changes only what they wrote.
  const values = withChannelsFrom(formValues(form), contentToFormValues(theirs.content), hiddenChannels(actor));
  const mayPlace = (unitId: string) => canPlaceIn(actor, `subsite:${unitId}`);
  values.subsites = [...(values.subsites as string[]).filter(mayPlace), ...subsitesOf(theirs.content).filter((u) => !mayPlace(u))];
  return reply.code(409).view('content/views/conflict.njk', {
    title: `Konflikt: ${item.title}`,
    itemTitle: item.title,
    itemId: item.id,
    message: error.message,
    theirs: { number: theirs.number, authorName: theirs.authorName ?? 'en ukendt person', createdAt: theirs.createdAt },
    rows: comparisonRows(type, theirs.content, mine, l),
    ...(await formContext(db, actor, type, values, subsitesOf(theirs.content))),
    formAction: `/admin/indhold/${item.id}`,
    hl: 3,
    submitLabel: 'Gem min version',
    baseRevision: String(theirs.number),
    errors: {},
    formErrors: {},
  });
}

// ---- the new item ----

async function showNewForm(request: FastifyRequest, reply: FastifyReply, type: ItemType, values: Values, errors: Errors = {}, previewHtml: string | null = null) {
  return reply.view('content/views/new.njk', {
    title: NEW_TITLES[type],
    ...(await formContext(request.server.ctx.db, request.actor!, type, values)),
    formAction: `/admin/indhold/ny/${type}`,
    hl: 2,
    submitLabel: 'Opret kladde',
    baseRevision: null,
    errors,
    formErrors: errors,
    previewHtml,
  });
}

/** A JSON body flattened to what a form would send, so autosave reads both the same way. */
function flatForm(body: unknown): Form {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const form: Form = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v === 'string') form[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') form[k] = String(v);
    else if (Array.isArray(v)) form[k] = v.filter((x) => typeof x === 'string' || typeof x === 'number').map(String);
  }
  return form;
}

function saveMeta(form: Form) {
  const major = text(form, 'major');
  return { baseRevision: Number.parseInt(text(form, 'baseRevision'), 10), changeNote: text(form, 'changeNote'), major: major !== '' && major !== '0' };
}

/** Saving through the form: checks what only the form can know, then lets the service decide. */
async function saveFromForm(request: FastifyRequest, item: ItemRow, form: Form, changeNote?: string): Promise<{ revision: number }> {
  const db = request.server.ctx.db;
  const actor = request.actor!;
  const raw = formToContentInput(form, item.type as ItemType);
  const meta = saveMeta(form);
  // On a stale base the service answers with the conflict, which shows both versions; comparing with the newest would only hide it.
  if (meta.baseRevision === item.latest_revision) await checkLockedPlacements(db, actor, (await latestContent(db, item)).content.placements, raw.placements);
  return saveItem(db, actor, item.id, raw, changeNote === undefined ? meta : { ...meta, changeNote, major: false });
}

/** The edit form, the item page with its workflow steps, and autosave, for the signed-in editors. */
export async function editorRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  app.get('/indhold/ny', async (request, reply) => {
    const q = queryOf(request);
    const chosen = text(q, 'type');
    if (isType(chosen)) return reply.redirect(`/admin/indhold/ny/${chosen}`, 303);
    const errors: Errors = text(q, 'valgt') ? { type: 'Vælg hvilken slags indhold, du vil oprette.' } : {};
    return reply.code(Object.keys(errors).length ? 422 : 200).view('content/views/new.njk', {
      title: 'Nyt indhold',
      type: null,
      types: ITEM_TYPES.map((t) => ({ value: t, label: ITEM_TYPE_LABELS[t], description: TYPE_DESCRIPTIONS[t] })),
      errors,
    });
  });

  app.get('/indhold/ny/:type', async (request, reply) => {
    const { type } = paramsOf(request);
    if (!type || !isType(type)) throw new NotFoundError('Den indholdstype findes ikke.');
    return showNewForm(request, reply, type, newValues(request.actor!, type));
  });

  app.post('/indhold/ny/:type', async (request, reply) => {
    const { type } = paramsOf(request);
    if (!type || !isType(type)) throw new NotFoundError('Den indholdstype findes ikke.');
    const form = formOf(request);
    const values = formValues(form);
    if (form.preview !== undefined) return showNewForm(request, reply, type, values, {}, renderMarkdown(text(form, 'body')));
    try {
      const raw = formToContentInput(form, type);
      await checkLockedPlacements(db, request.actor!, [], raw.placements);
      const { id } = await createItem(db, request.actor!, type, raw, text(form, 'changeNote').trim() || 'Oprettet');
      return reply.redirect(`/admin/indhold/${id}?oprettet=1`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showNewForm(request, reply.code(422), type, values, inFormOrder(error.fields, type));
    }
  });

  app.get('/indhold/:id', async (request, reply) => showItemPage(request, reply, paramsOf(request).id!));

  app.post('/indhold/:id', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const item = await requireItem(db, id);
    const form = formOf(request);
    const values = { ...formValues(form), baseRevision: text(form, 'baseRevision') };
    if (form.preview !== undefined) return showItemPage(request, reply, id, { values, previewHtml: renderMarkdown(text(form, 'body')) });
    try {
      await saveFromForm(request, item, form);
      return reply.redirect(`/admin/indhold/${id}?gemt=1`, 303);
    } catch (error) {
      if (error instanceof EditConflictError) return showConflict(request, reply, item, error, form);
      if (!(error instanceof ValidationError)) throw error;
      return showItemPage(request, reply.code(422), id, { values, errors: inFormOrder(error.fields, item.type as ItemType) });
    }
  });

  app.post('/indhold/:id/autosave', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const item = await requireItem(db, id);
    const form = request.headers['content-type']?.includes('json') ? flatForm(request.body) : formOf(request);
    reply.header('cache-control', 'no-store');
    try {
      const { revision } = await saveFromForm(request, item, form, AUTOSAVE_NOTE);
      return reply.send({ revision });
    } catch (error) {
      if (error instanceof EditConflictError) {
        return reply.code(409).send({ error: { code: 'conflict', message: error.message }, revision: error.theirs.number });
      }
      if (error instanceof ValidationError) return reply.code(422).send({ error: { code: 'validation', message: error.message, fields: error.fields } });
      throw error;
    }
  });

  app.post('/indhold/:id/trin/:transition', async (request, reply) => {
    const { id, transition: name } = paramsOf(request) as { id: string; transition: string };
    if (!isStep(name)) throw new NotFoundError('Det trin findes ikke.');
    const item = await requireItem(db, id);
    const form = formOf(request);
    const fields = STEP_FIELDS[name] ?? [];
    const values: Values = Object.fromEntries(fields.map((f) => [f, text(form, f)]));
    try {
      await transition(db, request.actor!, id, name, {
        comment: text(form, 'comment'),
        reason: text(form, 'reason'),
        note: text(form, 'note'),
        at: text(form, 'at'),
        replacedBy: text(form, 'replacedBy').trim() || text(form, 'replacedBySlug').trim(),
      });
      return reply.redirect(`/admin/indhold/${id}?${STEP_FLAGS[name][0]}=1`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // A step's own fields are shown in its form; what stops publishing is shown beside the content.
      const stepErrors: Errors = {};
      const contentErrors: Errors = {};
      for (const [k, v] of Object.entries(error.fields)) (fields.includes(k) ? stepErrors : contentErrors)[k] = v;
      if (stepErrors.replacedBy && !values.replacedBy && values.replacedBySlug) {
        stepErrors.replacedBySlug = stepErrors.replacedBy;
        delete stepErrors.replacedBy;
      }
      const errors: Errors = Object.keys(contentErrors).length ? inFormOrder({ _form: error.message, ...contentErrors }, item.type as ItemType) : {};
      return showItemPage(request, reply.code(422), id, { errors, step: { name, values, errors: stepErrors } });
    }
  });
}
