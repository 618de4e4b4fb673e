import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeEntry } from '../platform/audit/entries.ts';
import { entriesFor } from '../platform/audit/store.ts';
import type { DbOrTx } from '../platform/database.ts';
import { NotFoundError } from '../platform/errors.ts';
import {
  COMMON_NOTICES,
  type Errors,
  fieldsOf,
  flagged,
  type Form,
  formOf,
  guard,
  list,
  noticeFor,
  options,
  pageNumber,
  pagination,
  paramsOf,
  pick,
  queryOf,
  queryString,
  text,
  type Values,
} from '../platform/forms.ts';
import { localDate } from '../platform/time.ts';
import { canAdministerOrg } from './access.ts';
import { deriveCapabilities, sortedCapabilities } from './capabilities.ts';
import { GROUP_KIND_LABELS, JOB_ROLE_LABELS, JOB_ROLES, type JobRole, LEADERSHIP_LEVEL_LABELS, LEADERSHIP_LEVELS, MEMBER_ROLE_LABELS, type Person } from './model.ts';
import * as service from './service.ts';
import * as store from './store.ts';
import { indented, unitsInTreeOrder } from './unit-tree.ts';

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
    notice: Object.keys(errors).length ? null : noticeFor(request, COMMON_NOTICES),
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

/** People and where they belong, for the organisation's administrators. */
export async function peopleRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  app.addHook('onRequest', guard(canAdministerOrg));

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
      notice: noticeFor(request, COMMON_NOTICES),
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
