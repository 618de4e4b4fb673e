import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listUnits } from '../org/store.ts';
import type { DbOrTx } from '../platform/database.ts';
import { ForbiddenError, NotFoundError } from '../platform/errors.ts';
import { COMMON_NOTICES, type Errors, fieldsOf, formOf, guard, noticeFor, options, paramsOf, pick, queryOf, text, type Values } from '../platform/forms.ts';
import { canCreateSite, canEditSite, canEditSiteAny, canListSites } from './access.ts';
import { menuLines, SITE_KIND_LABELS, SITE_KINDS } from './model.ts';
import * as service from './service.ts';
import * as store from './store.ts';

const FIELDS = ['kind', 'unitId', 'name', 'slug', 'host', 'intro', 'menu', 'slotCount'] as const;
const NOTICES = { ...COMMON_NOTICES, lukket: 'Sitet er lukket og vises ikke længere.', aabnet: 'Sitet er åbnet igen.' };

const siteValues = (s: store.Site): Values => ({
  kind: s.kind,
  unitId: s.unitId,
  name: s.name,
  slug: s.slug,
  host: s.host ?? '',
  intro: s.intro,
  menu: menuLines(s.menu),
  slotCount: String(s.slotCount),
});

async function unitOptions(db: DbOrTx) {
  const [units, sites] = await Promise.all([listUnits(db), store.listSites(db)]);
  const taken = new Map(sites.map((s) => [s.unitId, s.name]));
  return units.map((u) => ({ value: u.id, text: taken.has(u.id) ? `${u.name} (har ${taken.get(u.id)})` : u.name }));
}

/** The address a reader uses: /<slug> on the main site for a subsite, its own host name for an independent one. */
export const siteAddress = (s: store.Site): string => (s.kind === 'independent' ? `https://${s.host}/` : `/${s.slug}`);

async function showForm(request: FastifyRequest, reply: FastifyReply, site: store.Site | null, values: Values, errors: Errors) {
  const actor = request.actor!;
  const db = request.server.ctx.db;
  const kinds = SITE_KINDS.filter((k) => canCreateSite(actor, k));
  return reply.view('sites/views/site.njk', {
    title: site ? site.name : 'Nyt site',
    notice: Object.keys(errors).length ? null : noticeFor(request, NOTICES),
    site,
    address: site && siteAddress(site),
    structural: site ? canCreateSite(actor, site.kind) : true,
    kindOptions: options(kinds, SITE_KIND_LABELS),
    kindLabel: site ? SITE_KIND_LABELS[site.kind] : '',
    unitOptions: await unitOptions(db),
    values,
    errors,
  });
}

/** Subsites and independent websites, for the platform owner, the website's lead editors and each site's editors. */
export async function siteAdminRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  app.get('/sites', { onRequest: guard(canEditSiteAny) }, async (request, reply) => {
    const actor = request.actor!;
    const sites = (await store.listSites(db)).filter((s) => canEditSite(actor, s));
    return reply.view('sites/views/sites.njk', {
      title: 'Subsites og websites',
      notice: noticeFor(request, NOTICES),
      sites: sites.map((s) => ({ ...s, address: siteAddress(s), kindLabel: s.kind === 'subsite' ? 'Subsite' : 'Selvstændigt website' })),
      mayCreate: canListSites(actor),
    });
  });

  app.get('/sites/ny', { onRequest: guard(canListSites) }, async (request, reply) => {
    const kind = text(queryOf(request), 'type') === 'independent' ? 'independent' : 'subsite';
    return showForm(request, reply, null, { kind, slotCount: '6', menu: '', intro: '', host: '', name: '', slug: '', unitId: '' }, {});
  });

  app.post('/sites/ny', { onRequest: guard(canListSites) }, async (request, reply) => {
    const values = pick(formOf(request), FIELDS);
    try {
      const id = await service.createSite(db, request.actor!, values);
      return reply.redirect(`/admin/sites/${id}?oprettet=1`, 303);
    } catch (error) {
      if (error instanceof ForbiddenError) throw error;
      return showForm(request, reply.code(422), null, values, fieldsOf(error));
    }
  });

  app.get('/sites/:id', { onRequest: guard(canEditSiteAny) }, async (request, reply) => {
    const site = await store.findSite(db, paramsOf(request).id!);
    if (!site) throw new NotFoundError('Sitet findes ikke.');
    if (!canEditSite(request.actor, site)) throw new ForbiddenError();
    return showForm(request, reply, site, siteValues(site), {});
  });

  app.post('/sites/:id', { onRequest: guard(canEditSiteAny) }, async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const values = pick(formOf(request), FIELDS);
    try {
      await service.updateSite(db, request.actor!, id, values);
      return reply.redirect(`/admin/sites/${id}?gemt=1`, 303);
    } catch (error) {
      const site = await store.findSite(db, id);
      if (!site || error instanceof ForbiddenError || error instanceof NotFoundError) throw error;
      return showForm(request, reply.code(422), site, { ...siteValues(site), ...values }, fieldsOf(error));
    }
  });

  for (const [path, active] of [['luk', false], ['aabn', true]] as const) {
    app.post(`/sites/:id/${path}`, { onRequest: guard(canListSites) }, async (request, reply) => {
      const { id } = paramsOf(request) as { id: string };
      await service.setSiteActive(db, request.actor!, id, active);
      return reply.redirect(`/admin/sites/${id}?${active ? 'aabnet' : 'lukket'}=1`, 303);
    });
  }
}
