import type { FastifyInstance } from 'fastify';
import { JOB_ROLE_LABELS, JOB_ROLES, LEADERSHIP_LEVEL_LABELS, UNIT_KIND_LABELS, type Unit } from '../org/model.ts';
import { indented, unitsInTreeOrder, unitTree } from '../org/unit-tree.ts';
import { NotFoundError } from '../platform/errors.ts';
import { options, pageNumber, pagination, paramsOf, queryOf, queryString, text } from '../platform/forms.ts';
import { telHref } from '../site/opening-hours-routes.ts';
import { unitContact } from '../site/item-page.ts';
import { activePersonName, activeUnits, type DirectoryPerson, isJobRole, LETTERS, personCard, searchPeople, unitWithSubUnits } from './queries.ts';

const PAGE_SIZE = 25;

/** What the views need of a person in a list: phone and e-mail as links that call and write. */
const shown = (p: DirectoryPerson) => ({ ...p, roleLabel: JOB_ROLE_LABELS[p.jobRole], tel: p.phone ? telHref(p.phone) : null });

const pageInfo = (page: number, count: number, total: number) => ({ total, firstShown: total ? (page - 1) * PAGE_SIZE + 1 : 0, lastShown: (page - 1) * PAGE_SIZE + count });

/** The directory of people and units on TønderPortalen (I5), for every signed-in person. */
export async function directoryRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  app.get('/personer', async (request, reply) => {
    const q = queryOf(request);
    const units = await activeUnits(db);
    const unit = units.find((u) => u.slug === text(q, 'enhed'));
    const letter = LETTERS.find((l) => l === text(q, 'bogstav').toLocaleUpperCase('da'));
    const filter = { q: text(q, 'q').trim().slice(0, 200), enhed: unit?.slug ?? '', rolle: isJobRole(text(q, 'rolle')) ? text(q, 'rolle') : '', bogstav: letter ?? '' };
    const searching = !!(filter.q || filter.enhed || filter.rolle || filter.bogstav);
    const page = pageNumber(q);
    const viewer = request.viewer!;
    // With nothing asked, the reader starts among the colleagues of their own units.
    const ownUnits = units.filter((u) => viewer.unitIds.includes(u.id));
    const { people, total } =
      searching || ownUnits.length
        ? await searchPeople(db, units, {
            q: filter.q,
            unitIds: searching ? (unit ? unitWithSubUnits(units, unit.id) : undefined) : ownUnits.map((u) => u.id),
            jobRole: isJobRole(filter.rolle) ? filter.rolle : undefined,
            letter: filter.bogstav || undefined,
            limit: PAGE_SIZE,
            offset: (page - 1) * PAGE_SIZE,
          })
        : { people: [], total: 0 };
    return reply.view('directory/views/people.njk', {
      title: 'Personer',
      filter,
      searching,
      ownUnits,
      people: people.map(shown),
      ...pageInfo(page, people.length, total),
      letters: LETTERS.map((l) => ({ letter: l, href: `/intranet/personer${queryString({ bogstav: l })}`, current: l === filter.bogstav })),
      unitOptions: unitsInTreeOrder(units).map((n) => ({ value: n.unit.slug, text: indented(n.depth, n.unit.name) })),
      roleOptions: options(JOB_ROLES, JOB_ROLE_LABELS),
      pagination: pagination(page, Math.ceil(total / PAGE_SIZE), (n) => `/intranet/personer${queryString({ ...filter, side: n === 1 ? undefined : n })}`),
    });
  });

  app.get('/personer/:id', async (request, reply) => {
    const units = await activeUnits(db);
    const person = await personCard(db, units, paramsOf(request).id ?? '');
    if (!person) throw new NotFoundError('Personen findes ikke i TønderPortalen.');
    return reply.view('directory/views/person.njk', {
      title: person.name,
      person: shown(person),
      leadershipLabel: person.jobRole === 'manager' && person.leadershipLevel ? LEADERSHIP_LEVEL_LABELS[person.leadershipLevel] : null,
    });
  });

  app.get('/enheder', async (request, reply) => {
    const units = await activeUnits(db);
    const all = new Set(units.map((u) => u.id));
    return reply.view('directory/views/units.njk', { title: 'Enheder', tree: unitTree(units, all, all), unitKindLabels: UNIT_KIND_LABELS });
  });

  app.get('/enheder/:slug', async (request, reply) => {
    const units = await activeUnits(db);
    const unit = units.find((u) => u.slug === paramsOf(request).slug);
    if (!unit) throw new NotFoundError('Enheden findes ikke.');
    const page = pageNumber(queryOf(request));
    const [contact, head, { people, total }] = await Promise.all([
      unitContact(db, unit.id),
      activePersonName(db, unit.headId),
      searchPeople(db, units, { unitIds: [unit.id], limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    ]);
    const byId = new Map(units.map((u) => [u.id, u]));
    const ancestors: Unit[] = [];
    for (let p = unit.parentId ? byId.get(unit.parentId) : undefined; p; p = p.parentId ? byId.get(p.parentId) : undefined) ancestors.unshift(p);
    return reply.view('directory/views/unit.njk', {
      title: unit.name,
      unit,
      kindLabel: UNIT_KIND_LABELS[unit.kind],
      ancestors,
      crumbs: [
        { text: 'TønderPortalen', href: '/intranet' },
        { text: 'Enheder', href: '/intranet/enheder' },
        ...ancestors.map((a) => ({ text: a.name, href: `/intranet/enheder/${a.slug}` })),
        { text: unit.name },
      ],
      contact,
      head,
      subUnits: units.filter((u) => u.parentId === unit.id),
      people: people.map(shown),
      ...pageInfo(page, people.length, total),
      pagination: pagination(page, Math.ceil(total / PAGE_SIZE), (n) => `/intranet/enheder/${unit.slug}${queryString({ side: n === 1 ? undefined : n })}#personer`),
    });
  });
}
