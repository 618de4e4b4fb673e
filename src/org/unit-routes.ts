import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DbOrTx } from '../platform/database.ts';
import { NotFoundError } from '../platform/errors.ts';
import {
  COMMON_NOTICES,
  type Errors,
  fieldsOf,
  flagged,
  formOf,
  guard,
  noticeFor,
  options,
  paramsOf,
  pick,
  queryOf,
  text,
  type Values,
} from '../platform/forms.ts';
import { localDate } from '../platform/time.ts';
import { canAdministerOrg } from './access.ts';
import { type Person, type Unit, JOB_ROLE_LABELS, UNIT_KIND_LABELS, UNIT_KINDS, WEEKDAY_LABELS } from './model.ts';
import * as service from './service.ts';
import * as store from './store.ts';
import { descendantsOf, indented, unitsInTreeOrder, unitTree, withAncestors } from './unit-tree.ts';

const NOTICES = {
  ...COMMON_NOTICES,
  aabningstider: 'Åbningstiderne er gemt.',
  undtagelse: 'Undtagelsen er gemt.',
  'undtagelse-slettet': 'Undtagelsen er slettet.',
};

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

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
    notice: Object.keys(errors).length ? null : noticeFor(request, NOTICES),
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

/** Units with their opening hours, for the organisation's administrators. */
export async function unitRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  app.addHook('onRequest', guard(canAdministerOrg));

  app.get('/enheder', async (request, reply) => {
    const q = queryOf(request);
    const search = text(q, 'q').trim();
    const includeInactive = flagged(text(q, 'deaktiverede'));
    const units = await store.listUnits(db, { includeInactive });
    const matches = search ? await store.listUnits(db, { includeInactive, q: search }) : units;
    const matched = new Set(matches.map((u) => u.id));
    return reply.view('org/views/units.njk', {
      title: 'Enheder',
      notice: noticeFor(request, NOTICES),
      tree: unitTree(units, withAncestors(units, matched), matched),
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
