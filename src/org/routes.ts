import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditObjectTypes, auditPage } from '../platform/audit/queries.ts';
import { entriesFor } from '../platform/audit/store.ts';
import type { DbOrTx } from '../platform/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import type { AuditRow } from '../platform/tables.ts';
import { localDate } from '../platform/time.ts';
import { canAdministerOrg, canManageGroups, canReadAudit } from './access.ts';
import type { Actor } from './actor.ts';
import { deriveCapabilities, sortedCapabilities } from './capabilities.ts';
import {
  CHANNEL_LABELS,
  CHANNELS,
  GROUP_KIND_LABELS,
  GROUP_KINDS,
  type Group,
  JOB_ROLE_LABELS,
  JOB_ROLES,
  type JobRole,
  LEADERSHIP_LEVEL_LABELS,
  LEADERSHIP_LEVELS,
  MEMBER_ROLE_LABELS,
  MEMBER_ROLES,
  type Person,
  type Unit,
  UNIT_KIND_LABELS,
  UNIT_KINDS,
  WEEKDAY_LABELS,
} from './model.ts';
import * as service from './service.ts';
import * as store from './store.ts';

// ---- small helpers shared by the screens ----

type Form = Record<string, string | string[] | undefined>;
type Values = Record<string, string | string[]>;
type Errors = Record<string, string>;

const formOf = (request: FastifyRequest): Form => (request.body && typeof request.body === 'object' ? (request.body as Form) : {});
const queryOf = (request: FastifyRequest): Form => (request.query && typeof request.query === 'object' ? (request.query as Form) : {});
const paramsOf = (request: FastifyRequest): Record<string, string> => request.params as Record<string, string>;

/** A browser may send a field twice; the first value is the one the form meant. */
function text(form: Form, key: string): string {
  const v = form[key];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

function list(form: Form, key: string): string[] {
  const v = form[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

const pick = (form: Form, keys: readonly string[]): Record<string, string> => Object.fromEntries(keys.map((k) => [k, text(form, k)]));

/** The messages of a refused form; anything else is not the form's fault and goes to the error pages. */
function fieldsOf(error: unknown): Errors {
  if (error instanceof ValidationError) return error.fields;
  throw error;
}

function guard(allowed: (actor: Actor | null) => boolean) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!allowed(request.actor)) throw new ForbiddenError();
  };
}

const options = <K extends string>(keys: readonly K[], labels: Record<K, string>) => keys.map((k) => ({ value: k, text: labels[k] }));

/** Success is carried in the address after the redirect, so a reload neither repeats the change nor needs a session. */
const NOTICES: Record<string, string> = {
  oprettet: 'Oprettet.',
  gemt: 'Ændringerne er gemt.',
  deaktiveret: 'Deaktiveret.',
  aktiveret: 'Aktiveret igen.',
  aabningstider: 'Åbningstiderne er gemt.',
  undtagelse: 'Undtagelsen er gemt.',
  'undtagelse-slettet': 'Undtagelsen er slettet.',
  medlem: 'Medlemmet er gemt.',
  'medlem-fjernet': 'Medlemmet er fjernet fra gruppen.',
};

function noticeFor(request: FastifyRequest): string | null {
  const q = queryOf(request);
  const flag = Object.keys(NOTICES).find((k) => q[k] !== undefined);
  return flag ? NOTICES[flag]! : null;
}

const flagged = (value: string): boolean => value !== '' && value !== '0';

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

interface PageLink {
  number: number;
  href: string;
  current: boolean;
}

/** Page links for server-side paging: first, last, and the neighbours of the current page; `null` marks a gap. */
function pagination(page: number, totalPages: number, hrefFor: (page: number) => string) {
  if (totalPages <= 1) return null;
  const wanted = new Set([1, totalPages, page - 1, page, page + 1].filter((n) => n >= 1 && n <= totalPages));
  const items: (PageLink | null)[] = [];
  let last = 0;
  for (const n of [...wanted].sort((a, b) => a - b)) {
    if (n > last + 1) items.push(null);
    items.push({ number: n, href: hrefFor(n), current: n === page });
    last = n;
  }
  return {
    page,
    totalPages,
    items,
    first: page > 1 ? hrefFor(1) : null,
    previous: page > 1 ? hrefFor(page - 1) : null,
    next: page < totalPages ? hrefFor(page + 1) : null,
    last: page < totalPages ? hrefFor(totalPages) : null,
  };
}

function pageNumber(q: Form): number {
  const n = Number.parseInt(text(q, 'side'), 10);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

function queryString(entries: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(entries)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

// ---- the unit tree ----

interface UnitNode {
  unit: Unit;
  /** False for an ancestor that is shown only so a match keeps its place in the tree. */
  matched: boolean;
  children: UnitNode[];
}

/** Builds the tree of `shown` units; a unit whose parent is not shown becomes a root. */
function unitTree(units: Unit[], shown: Set<string>, matched: Set<string>): UnitNode[] {
  const nodes = new Map<string, UnitNode>();
  for (const u of units) if (shown.has(u.id)) nodes.set(u.id, { unit: u, matched: matched.has(u.id), children: [] });
  const roots: UnitNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.unit.parentId ? nodes.get(node.unit.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

function flatten(nodes: UnitNode[], depth = 0, out: { unit: Unit; depth: number }[] = []) {
  for (const n of nodes) {
    out.push({ unit: n.unit, depth });
    flatten(n.children, depth + 1, out);
  }
  return out;
}

/** Every unit in tree order with its depth, for selects and checkbox lists. */
function unitsInTreeOrder(units: Unit[]) {
  const all = new Set(units.map((u) => u.id));
  return flatten(unitTree(units, all, all));
}

// Options cannot be styled, so depth is shown with non-breaking spaces, which screen readers skip.
const indented = (depth: number, name: string) => '\u00a0\u00a0\u00a0'.repeat(depth) + name;

function descendantsOf(units: Unit[], id: string): Set<string> {
  const found = new Set<string>([id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const u of units) {
      if (u.parentId && found.has(u.parentId) && !found.has(u.id)) {
        found.add(u.id);
        grew = true;
      }
    }
  }
  return found;
}

// ---- units ----

const UNIT_FIELDS = ['name', 'slug', 'kind', 'parentId', 'email', 'phone', 'address', 'description', 'headId'] as const;

const unitValues = (u: Unit): Values => ({
  name: u.name,
  slug: u.slug,
  kind: u.kind,
  parentId: u.parentId ?? '',
  email: u.email ?? '',
  phone: u.phone ?? '',
  address: u.address ?? '',
  description: u.description ?? '',
  headId: u.headId ?? '',
});

interface UnitPageState {
  values?: Values;
  errors?: Errors;
  hours?: Record<string, string>;
  hoursErrors?: Errors;
  exception?: Values;
  exceptionErrors?: Errors;
  formErrors?: Errors;
}

async function allPeople(db: DbOrTx): Promise<Person[]> {
  return (await store.listPeople(db, { limit: 100_000, offset: 0 })).people;
}

/** The unit form's choices; a unit may not be placed below itself or its own sub-units, so those are left out. */
async function unitFormChoices(db: DbOrTx, selfId: string | null) {
  const [units, people] = await Promise.all([store.listUnits(db, { includeInactive: true }), allPeople(db)]);
  const excluded = selfId ? descendantsOf(units, selfId) : new Set<string>();
  return {
    kindOptions: options(UNIT_KINDS, UNIT_KIND_LABELS),
    parentOptions: unitsInTreeOrder(units)
      .filter((n) => !excluded.has(n.unit.id))
      .map((n) => ({ value: n.unit.id, text: indented(n.depth, n.unit.name) + (n.unit.active ? '' : ' (deaktiveret)') })),
    headOptions: people.map((p) => ({ value: p.id, text: `${p.name} (${p.email})` })),
  };
}

async function showUnitPage(request: FastifyRequest, reply: FastifyReply, id: string, state: UnitPageState = {}) {
  const db = request.server.ctx.db;
  const unit = await store.findUnit(db, id);
  if (!unit) throw new NotFoundError('Enheden findes ikke.');
  const [choices, units, members, hours, exceptions] = await Promise.all([
    unitFormChoices(db, id),
    store.listUnits(db, { includeInactive: true }),
    store.listPeople(db, { unitId: id, includeInactive: true, limit: 1000, offset: 0 }),
    store.weeklyHours(db, id),
    store.openingExceptions(db, id, localDate()),
  ]);
  const savedHours: Record<string, string> = {};
  // The form has one interval per weekday; the earliest one is shown.
  for (const h of [...hours].reverse()) {
    savedHours[`opens-${h.weekday}`] = h.opens;
    savedHours[`closes-${h.weekday}`] = h.closes;
  }
  const hourValues = state.hours ?? savedHours;
  const errors = { ...state.formErrors, ...state.errors, ...state.hoursErrors, ...state.exceptionErrors };
  return reply.view('org/views/unit.njk', {
    title: unit.name,
    notice: Object.keys(errors).length ? null : noticeFor(request),
    unit,
    kindLabel: UNIT_KIND_LABELS[unit.kind],
    parent: unit.parentId ? units.find((u) => u.id === unit.parentId) : null,
    subUnits: units.filter((u) => u.parentId === id),
    members: members.people,
    jobRoleLabels: JOB_ROLE_LABELS,
    unitKindLabels: UNIT_KIND_LABELS,
    ...choices,
    values: state.values ?? unitValues(unit),
    unitErrors: state.errors ?? {},
    errors,
    weekdays: WEEKDAY_LABELS.map((label, i) => ({ number: i + 1, label })),
    hours: hourValues,
    hoursErrors: state.hoursErrors ?? {},
    exceptions,
    exception: state.exception ?? { date: '', closed: '', opens: '', closes: '', note: '' },
    exceptionErrors: state.exceptionErrors ?? {},
  });
}

async function showNewUnit(request: FastifyRequest, reply: FastifyReply, values: Values, errors: Errors) {
  return reply.view('org/views/unit.njk', { title: 'Ny enhed', unit: null, values, unitErrors: errors, errors, ...(await unitFormChoices(request.server.ctx.db, null)) });
}

async function unitRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  app.addHook('preHandler', guard(canAdministerOrg));

  app.get('/enheder', async (request, reply) => {
    const q = queryOf(request);
    const search = text(q, 'q').trim();
    const includeInactive = flagged(text(q, 'deaktiverede'));
    const units = await store.listUnits(db, { includeInactive });
    const matches = search ? await store.listUnits(db, { includeInactive, q: search }) : units;
    const matched = new Set(matches.map((u) => u.id));
    const shown = new Set(matched);
    const byId = new Map(units.map((u) => [u.id, u]));
    // A match keeps its ancestors so it is seen where it sits in the organisation.
    for (const id of matched) for (let p = byId.get(id)?.parentId; p && !shown.has(p); p = byId.get(p)?.parentId) shown.add(p);
    return reply.view('org/views/units.njk', {
      title: 'Enheder',
      notice: noticeFor(request),
      tree: unitTree(units, shown, matched),
      matchCount: matches.length,
      search,
      includeInactive,
      unitKindLabels: UNIT_KIND_LABELS,
    });
  });

  app.get('/enheder/ny', async (request, reply) => showNewUnit(request, reply, { kind: 'department', parentId: text(queryOf(request), 'under') }, {}));

  app.post('/enheder/ny', async (request, reply) => {
    const values = pick(formOf(request), UNIT_FIELDS);
    try {
      const id = await service.createUnit(db, request.actor!, values);
      return reply.redirect(`/admin/enheder/${id}?oprettet=1`, 303);
    } catch (error) {
      return showNewUnit(request, reply.code(422), values, fieldsOf(error));
    }
  });

  app.get('/enheder/:id', async (request, reply) => showUnitPage(request, reply, paramsOf(request).id!));

  app.post('/enheder/:id', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const values = pick(formOf(request), UNIT_FIELDS);
    try {
      await service.updateUnit(db, request.actor!, id, values);
      return reply.redirect(`/admin/enheder/${id}?gemt=1`, 303);
    } catch (error) {
      return showUnitPage(request, reply.code(422), id, { values, errors: fieldsOf(error) });
    }
  });

  for (const [path, active] of [['deaktiver', false], ['aktiver', true]] as const) {
    app.post(`/enheder/:id/${path}`, async (request, reply) => {
      const { id } = paramsOf(request) as { id: string };
      try {
        await service.setUnitActive(db, request.actor!, id, active);
        return reply.redirect(`/admin/enheder/${id}?${active ? 'aktiveret' : 'deaktiveret'}=1`, 303);
      } catch (error) {
        return showUnitPage(request, reply.code(422), id, { formErrors: fieldsOf(error) });
      }
    });
  }

  app.post('/enheder/:id/aabningstider', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const form = formOf(request);
    const typed = pick(
      form,
      WEEKDAY_LABELS.flatMap((_, i) => [`opens-${i + 1}`, `closes-${i + 1}`]),
    );
    // An empty row means closed that day, so only filled rows are sent.
    const rows = WEEKDAY_LABELS.map((_, i) => ({ weekday: i + 1, opens: typed[`opens-${i + 1}`]!.trim(), closes: typed[`closes-${i + 1}`]!.trim() })).filter(
      (r) => r.opens || r.closes,
    );
    try {
      await service.setWeeklyHours(db, request.actor!, id, rows);
      return reply.redirect(`/admin/enheder/${id}?aabningstider=1`, 303);
    } catch (error) {
      const hoursErrors: Errors = {};
      for (const [key, message] of Object.entries(fieldsOf(error))) {
        const row = rows[Number(key.replace('hours-', ''))];
        if (row) hoursErrors[`opens-${row.weekday}`] = `${capitalise(WEEKDAY_LABELS[row.weekday - 1]!)}: ${message}`;
        else hoursErrors[key] = message;
      }
      return showUnitPage(request, reply.code(422), id, { hours: typed, hoursErrors });
    }
  });

  app.post('/enheder/:id/undtagelser', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const exception = pick(formOf(request), ['date', 'closed', 'opens', 'closes', 'note']);
    const closed = flagged(exception.closed!);
    try {
      await service.setOpeningException(db, request.actor!, id, {
        date: exception.date,
        closed,
        // A closed day has no times, whatever was left in the fields.
        opens: closed ? null : exception.opens!.trim() || null,
        closes: closed ? null : exception.closes!.trim() || null,
        note: exception.note,
      });
      return reply.redirect(`/admin/enheder/${id}?undtagelse=1`, 303);
    } catch (error) {
      return showUnitPage(request, reply.code(422), id, { exception, exceptionErrors: fieldsOf(error) });
    }
  });

  app.post('/enheder/:id/undtagelser/:date/slet', async (request, reply) => {
    const { id, date } = paramsOf(request) as { id: string; date: string };
    await service.removeOpeningException(db, request.actor!, id, date);
    return reply.redirect(`/admin/enheder/${id}?undtagelse-slettet=1`, 303);
  });
}

// ---- people ----

const PERSON_FIELDS = ['name', 'email', 'jobRole', 'leadershipLevel', 'title', 'phone'] as const;
const PAGE_SIZE = 25;

const personValues = (p: Person): Values => ({
  name: p.name,
  email: p.email,
  jobRole: p.jobRole,
  leadershipLevel: p.leadershipLevel ?? '',
  title: p.title ?? '',
  phone: p.phone ?? '',
  unitIds: p.unitIds,
});

const personForm = (form: Form): Values => ({ ...pick(form, PERSON_FIELDS), unitIds: list(form, 'unitIds') });

async function personFormChoices(db: DbOrTx, current: string[]) {
  const units = await store.listUnits(db, { includeInactive: true });
  return {
    jobRoleOptions: options(JOB_ROLES, JOB_ROLE_LABELS),
    leadershipOptions: options(LEADERSHIP_LEVELS, LEADERSHIP_LEVEL_LABELS),
    // A disabled unit is offered only to someone already in it, so it can be taken away.
    unitChoices: unitsInTreeOrder(units)
      .filter((n) => n.unit.active || current.includes(n.unit.id))
      .map((n) => ({ ...n, checked: current.includes(n.unit.id) })),
  };
}

async function showPersonPage(request: FastifyRequest, reply: FastifyReply, id: string, state: { values?: Values; errors?: Errors } = {}) {
  const db = request.server.ctx.db;
  const [person, row] = await Promise.all([store.findPerson(db, id), store.findPersonRow(db, id)]);
  if (!person || !row) throw new NotFoundError('Personen findes ikke.');
  const values = state.values ?? personValues(person);
  const [choices, groups, sources, log] = await Promise.all([
    personFormChoices(db, list(values, 'unitIds')),
    store.groupsOf(db, id),
    store.capabilitySources(db, row, localDate()),
    entriesFor(db, { objectType: 'person', objectId: id, limit: 20 }),
  ]);
  const errors = state.errors ?? {};
  return reply.view('org/views/person.njk', {
    title: person.name,
    notice: Object.keys(errors).length ? null : noticeFor(request),
    person,
    values,
    errors,
    ...choices,
    groups,
    groupKindLabels: GROUP_KIND_LABELS,
    memberRoleLabels: MEMBER_ROLE_LABELS,
    capabilities: sortedCapabilities(deriveCapabilities(sources)),
    log: log.map(describeEntry),
  });
}

async function showNewPerson(request: FastifyRequest, reply: FastifyReply, values: Values, errors: Errors) {
  const choices = await personFormChoices(request.server.ctx.db, list(values, 'unitIds'));
  return reply.view('org/views/person.njk', { title: 'Ny person', person: null, values, errors, ...choices });
}

async function personRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  app.addHook('preHandler', guard(canAdministerOrg));

  app.get('/personer', async (request, reply) => {
    const q = queryOf(request);
    const filter = {
      q: text(q, 'q').trim(),
      enhed: text(q, 'enhed'),
      rolle: (JOB_ROLES as readonly string[]).includes(text(q, 'rolle')) ? text(q, 'rolle') : '',
      deaktiverede: flagged(text(q, 'deaktiverede')) ? '1' : '',
    };
    const page = pageNumber(q);
    const [{ people, total }, units] = await Promise.all([
      store.listPeople(db, {
        q: filter.q || undefined,
        unitId: filter.enhed || undefined,
        jobRole: (filter.rolle || undefined) as JobRole | undefined,
        includeInactive: !!filter.deaktiverede,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      }),
      store.listUnits(db, { includeInactive: true }),
    ]);
    const unitNames = Object.fromEntries(units.map((u) => [u.id, u.name]));
    return reply.view('org/views/people.njk', {
      title: 'Personer',
      notice: noticeFor(request),
      people: people.map((p) => ({ ...p, unitNames: p.unitIds.map((u) => unitNames[u]).filter(Boolean).sort() })),
      total,
      firstShown: total ? (page - 1) * PAGE_SIZE + 1 : 0,
      lastShown: (page - 1) * PAGE_SIZE + people.length,
      filter,
      unitOptions: unitsInTreeOrder(units).map((n) => ({ value: n.unit.id, text: indented(n.depth, n.unit.name) })),
      jobRoleOptions: options(JOB_ROLES, JOB_ROLE_LABELS),
      jobRoleLabels: JOB_ROLE_LABELS,
      pagination: pagination(page, Math.ceil(total / PAGE_SIZE), (n) => `/admin/personer${queryString({ ...filter, side: n === 1 ? undefined : n })}`),
    });
  });

  app.get('/personer/ny', async (request, reply) => {
    const unit = text(queryOf(request), 'enhed');
    return showNewPerson(request, reply, { jobRole: 'employee', unitIds: unit ? [unit] : [] }, {});
  });

  app.post('/personer/ny', async (request, reply) => {
    const values = personForm(formOf(request));
    try {
      const id = await service.createPerson(db, request.actor!, values);
      return reply.redirect(`/admin/personer/${id}?oprettet=1`, 303);
    } catch (error) {
      return showNewPerson(request, reply.code(422), values, fieldsOf(error));
    }
  });

  app.get('/personer/:id', async (request, reply) => showPersonPage(request, reply, paramsOf(request).id!));

  app.post('/personer/:id', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const values = personForm(formOf(request));
    try {
      await service.updatePerson(db, request.actor!, id, values);
      return reply.redirect(`/admin/personer/${id}?gemt=1`, 303);
    } catch (error) {
      return showPersonPage(request, reply.code(422), id, { values, errors: fieldsOf(error) });
    }
  });

  for (const [path, active] of [['deaktiver', false], ['aktiver', true]] as const) {
    app.post(`/personer/:id/${path}`, async (request, reply) => {
      const { id } = paramsOf(request) as { id: string };
      try {
        await service.setPersonActive(db, request.actor!, id, active);
        return reply.redirect(`/admin/personer/${id}?${active ? 'aktiveret' : 'deaktiveret'}=1`, 303);
      } catch (error) {
        return showPersonPage(request, reply.code(422), id, { errors: fieldsOf(error) });
      }
    });
  }
}

// ---- groups ----

const GROUP_FIELDS = ['name', 'kind', 'channel', 'subsiteUnitId', 'purpose', 'endsOn'] as const;

const groupValues = (g: Group): Values => ({
  name: g.name,
  kind: g.kind,
  channel: g.channel ?? '',
  subsiteUnitId: g.subsiteUnitId ?? '',
  purpose: g.purpose ?? '',
  endsOn: g.endsOn ?? '',
});

const isExpired = (g: Group, today: string): boolean => g.kind === 'ad_hoc' && !!g.endsOn && g.endsOn < today;

async function groupFormChoices(db: DbOrTx) {
  const units = await store.listUnits(db, { includeInactive: true });
  return {
    kindOptions: options(GROUP_KINDS, GROUP_KIND_LABELS),
    channelOptions: options(CHANNELS, CHANNEL_LABELS),
    institutionOptions: units.filter((u) => u.kind === 'institution').map((u) => ({ value: u.id, text: u.name + (u.active ? '' : ' (deaktiveret)') })),
  };
}

interface GroupPageState {
  values?: Values;
  errors?: Errors;
  member?: Values;
  memberErrors?: Errors;
}

async function showGroupPage(request: FastifyRequest, reply: FastifyReply, id: string, state: GroupPageState = {}) {
  const db = request.server.ctx.db;
  const group = await store.findGroup(db, id);
  if (!group) throw new NotFoundError('Gruppen findes ikke.');
  const [choices, members] = await Promise.all([groupFormChoices(db), store.groupMembers(db, id)]);
  const errors = { ...state.errors, ...state.memberErrors };
  return reply.view('org/views/group.njk', {
    title: group.name,
    notice: Object.keys(errors).length ? null : noticeFor(request),
    group,
    expired: isExpired(group, localDate()),
    kindLabel: GROUP_KIND_LABELS[group.kind],
    ...choices,
    values: state.values ?? groupValues(group),
    groupErrors: state.errors ?? {},
    errors,
    members,
    memberRoleOptions: options(MEMBER_ROLES, MEMBER_ROLE_LABELS),
    member: state.member ?? { email: '', role: 'member' },
    memberErrors: state.memberErrors ?? {},
  });
}

async function showNewGroup(request: FastifyRequest, reply: FastifyReply, values: Values, errors: Errors) {
  return reply.view('org/views/group.njk', { title: 'Ny gruppe', group: null, values, groupErrors: errors, errors, ...(await groupFormChoices(request.server.ctx.db)) });
}

async function groupRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  app.addHook('preHandler', guard(canManageGroups));

  app.get('/grupper', async (request, reply) => {
    const includeInactive = flagged(text(queryOf(request), 'deaktiverede'));
    const [groups, units] = await Promise.all([store.listGroups(db, { includeInactive }), store.listUnits(db, { includeInactive: true })]);
    const unitNames = Object.fromEntries(units.map((u) => [u.id, u.name]));
    const today = localDate();
    return reply.view('org/views/groups.njk', {
      title: 'Grupper',
      notice: noticeFor(request),
      includeInactive,
      sections: GROUP_KINDS.map((kind) => ({
        kind,
        label: GROUP_KIND_LABELS[kind],
        groups: groups
          .filter((g) => g.kind === kind)
          .map((g) => ({ ...g, expired: isExpired(g, today), subsiteName: g.subsiteUnitId ? unitNames[g.subsiteUnitId] : null })),
      })),
      channelLabels: CHANNEL_LABELS,
    });
  });

  app.get('/grupper/ny', async (request, reply) => {
    const kind = text(queryOf(request), 'type');
    return showNewGroup(request, reply, { kind: (GROUP_KINDS as readonly string[]).includes(kind) ? kind : 'ad_hoc' }, {});
  });

  app.post('/grupper/ny', async (request, reply) => {
    const values = pick(formOf(request), GROUP_FIELDS);
    try {
      const id = await service.createGroup(db, request.actor!, values);
      return reply.redirect(`/admin/grupper/${id}?oprettet=1`, 303);
    } catch (error) {
      return showNewGroup(request, reply.code(422), values, fieldsOf(error));
    }
  });

  app.get('/grupper/:id', async (request, reply) => showGroupPage(request, reply, paramsOf(request).id!));

  app.post('/grupper/:id', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const values = pick(formOf(request), GROUP_FIELDS);
    try {
      await service.updateGroup(db, request.actor!, id, values);
      return reply.redirect(`/admin/grupper/${id}?gemt=1`, 303);
    } catch (error) {
      return showGroupPage(request, reply.code(422), id, { values, errors: fieldsOf(error) });
    }
  });

  for (const [path, active] of [['deaktiver', false], ['aktiver', true]] as const) {
    app.post(`/grupper/:id/${path}`, async (request, reply) => {
      const { id } = paramsOf(request) as { id: string };
      await service.setGroupActive(db, request.actor!, id, active);
      return reply.redirect(`/admin/grupper/${id}?${active ? 'aktiveret' : 'deaktiveret'}=1`, 303);
    });
  }

  // Adding someone who is already a member changes their role, so one route serves both.
  app.post('/grupper/:id/medlemmer', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const member = pick(formOf(request), ['email', 'role']);
    try {
      await service.setGroupMember(db, request.actor!, id, member.email!, member.role!);
      return reply.redirect(`/admin/grupper/${id}?medlem=1`, 303);
    } catch (error) {
      return showGroupPage(request, reply.code(422), id, { member, memberErrors: fieldsOf(error) });
    }
  });

  app.post('/grupper/:id/medlemmer/:personId/slet', async (request, reply) => {
    const { id, personId } = paramsOf(request) as { id: string; personId: string };
    await service.removeGroupMember(db, request.actor!, id, personId);
    return reply.redirect(`/admin/grupper/${id}?medlem-fjernet=1`, 303);
  });
}

// ---- audit log ----

const OBJECT_TYPE_LABELS: Record<string, string> = { unit: 'Enhed', person: 'Person', group: 'Gruppe' };

const ACTION_LABELS: Record<string, string> = {
  'unit.created': 'Enhed oprettet',
  'unit.updated': 'Enhed ændret',
  'unit.enabled': 'Enhed aktiveret',
  'unit.disabled': 'Enhed deaktiveret',
  'unit.hours_set': 'Åbningstider ændret',
  'unit.exception_set': 'Undtagelse i åbningstider gemt',
  'unit.exception_removed': 'Undtagelse i åbningstider slettet',
  'person.created': 'Person oprettet',
  'person.updated': 'Person ændret',
  'person.enabled': 'Person aktiveret',
  'person.disabled': 'Person deaktiveret',
  'group.created': 'Gruppe oprettet',
  'group.updated': 'Gruppe ændret',
  'group.enabled': 'Gruppe aktiveret',
  'group.disabled': 'Gruppe deaktiveret',
  'group.member_set': 'Medlem tilføjet eller ændret',
  'group.member_removed': 'Medlem fjernet',
  'signin.password': 'Logget ind med adgangskode',
  'signin.failed': 'Mislykket login',
  'signin.locked': 'Konto låst efter for mange forsøg',
  signout: 'Logget ud',
};

const ADMIN_PATHS: Record<string, string> = { unit: '/admin/enheder/', person: '/admin/personer/', group: '/admin/grupper/' };

function describeEntry(e: AuditRow) {
  return {
    seq: e.seq,
    at: e.at,
    actor: e.actor_label,
    action: ACTION_LABELS[e.action] ?? e.action,
    actionCode: e.action,
    objectType: e.object_type,
    objectTypeLabel: OBJECT_TYPE_LABELS[e.object_type] ?? e.object_type,
    objectId: e.object_id,
    ip: e.ip,
  };
}

/** Names for the objects on one page of the log, looked up once per page. */
async function objectNames(db: DbOrTx, entries: AuditRow[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const ids = (type: string) => [...new Set(entries.filter((e) => e.object_type === type && e.object_id).map((e) => e.object_id!))];
  const [units, groups, people] = await Promise.all([
    ids('unit').length ? store.listUnits(db, { includeInactive: true }) : [],
    ids('group').length ? store.listGroups(db, { includeInactive: true }) : [],
    Promise.all(ids('person').map((id) => store.findPersonRow(db, id))),
  ]);
  for (const u of units) names.set(`unit:${u.id}`, u.name);
  for (const g of groups) names.set(`group:${g.id}`, g.name);
  for (const p of people) if (p) names.set(`person:${p.id}`, p.name);
  return names;
}

async function auditRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  app.addHook('preHandler', guard(canReadAudit));
  const LOG_PAGE_SIZE = 50;

  app.get('/log', async (request, reply) => {
    const q = queryOf(request);
    const types = await auditObjectTypes(db);
    const type = types.includes(text(q, 'type')) ? text(q, 'type') : '';
    const page = pageNumber(q);
    const { entries, total } = await auditPage(db, { objectType: type || undefined, limit: LOG_PAGE_SIZE, offset: (page - 1) * LOG_PAGE_SIZE });
    const names = await objectNames(db, entries);
    const actor = request.actor!;
    const mayOpen: Record<string, boolean> = { unit: canAdministerOrg(actor), person: canAdministerOrg(actor), group: canManageGroups(actor) };
    return reply.view('org/views/log.njk', {
      title: 'Revisionslog',
      entries: entries.map((e) => ({
        ...describeEntry(e),
        objectName: e.object_id ? names.get(`${e.object_type}:${e.object_id}`) : undefined,
        href: e.object_id && ADMIN_PATHS[e.object_type] && mayOpen[e.object_type] ? ADMIN_PATHS[e.object_type] + e.object_id : null,
      })),
      total,
      type,
      typeOptions: types.map((t) => ({ value: t, text: OBJECT_TYPE_LABELS[t] ?? t })),
      pagination: pagination(page, Math.ceil(total / LOG_PAGE_SIZE), (n) => `/admin/log${queryString({ type, side: n === 1 ? undefined : n })}`),
    });
  });
}

/** Admin screens for units, people and groups, and the audit log. Each area checks its own capability, as do the services. */
export async function orgAdminRoutes(app: FastifyInstance): Promise<void> {
  await app.register(unitRoutes);
  await app.register(personRoutes);
  await app.register(groupRoutes);
  await app.register(auditRoutes);
}
