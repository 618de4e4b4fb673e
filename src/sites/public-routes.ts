import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseContent } from '../content/service.ts';
import type { DbOrTx } from '../platform/database.ts';
import { paramsOf } from '../platform/forms.ts';
import { type Crumb, renderLiveItem, renderWithdrawn, unitContact } from '../site/item-page.ts';
import * as queries from '../site/queries.ts';
import { frontSlotsFor } from './front-slots-service.ts';
import { latestOnSite, liveOnSite } from './public-queries.ts';
import { type Site, siteBySlug } from './store.ts';

const LAYOUT = 'sites/views/layout.njk';

/**
 * What the pages of one site need to know about it. On its own host name the site's pages are at "/…";
 * on the main site at "/<slug>/…". An independent website is only shown on its own host name.
 */
function siteView(request: FastifyRequest, site: Site, mainHref: string) {
  const onOwnHost = request.server.ctx.siteHosts.slugFor(request.headers.host) === site.slug;
  const base = onOwnHost ? '' : `/${site.slug}`;
  const home = base || '/';
  const routed = (request.url.split('?')[0] ?? '').replace(/\/$/, '');
  // The path as the reader sees it in the address bar.
  const path = (onOwnHost ? routed.slice(site.slug.length + 1) : routed) || '/';
  return {
    id: site.id,
    kind: site.kind,
    name: site.name,
    base,
    home,
    mainHref,
    menu: [{ text: 'Forside', href: home, current: path === home }, ...site.menu.map((l) => ({ ...l, current: l.href === path }))],
  };
}

/** A live, reachable site at this address, or nothing. */
async function findReachable(request: FastifyRequest, slug: string): Promise<Site | undefined> {
  const site = await siteBySlug(request.server.ctx.db, slug);
  if (!site || !site.active) return undefined;
  if (site.kind === 'independent' && request.server.ctx.siteHosts.slugFor(request.headers.host) !== site.slug) return undefined;
  return site;
}

/** Subsites at /<slug> and their pages at /<slug>/<item>; sites with their own host name arrive here rewritten. */
export async function sitePublicRoutes(app: FastifyInstance): Promise<void> {
  const { db, config } = app.ctx;
  const mainHref = (request: FastifyRequest) => (request.server.ctx.siteHosts.slugFor(request.headers.host) ? `${config.baseUrl}/` : '/');

  app.get('/:site', async (request, reply) => {
    const site = await findReachable(request, paramsOf(request).site!);
    if (!site) return reply.callNotFound();
    const view = siteView(request, site, mainHref(request));
    const [slots, news, contact] = await Promise.all([
      frontSlotsFor(db, site.id),
      latestOnSite(db, site.unitId, ['news', 'event'], 4),
      unitContact(db, site.unitId),
    ]);
    // Until its editors choose, a site's front page shows its newest pages.
    const chosen = slots.length
      ? slots.map((s) => ({ title: s.title, summary: s.summary, typeLabel: s.typeLabel, picture: s.picture, language: s.language, href: view.base + s.href.slice(`/${site.slug}`.length) }))
      : (await latestOnSite(db, site.unitId, ['page', 'selfservice', 'campaign'], site.slotCount)).map((i) => ({ title: i.title, summary: i.summary, typeLabel: null, picture: null, language: 'da', href: `${view.base}/${i.slug}` }));
    return reply.view('sites/views/front.njk', { title: site.name, siteLayout: LAYOUT, siteView: view, site, items: chosen, news, contact, description: site.intro });
  });

  app.get('/:site/:slug', async (request, reply) => {
    const params = paramsOf(request);
    const site = await findReachable(request, params.site!);
    if (!site) return reply.callNotFound();
    const item = await queries.itemBySlug(db, params.slug!);
    if (!item) return reply.callNotFound();
    const view = siteView(request, site, mainHref(request));
    const crumbs: Crumb[] = site.kind === 'subsite' ? [{ text: 'Forside', href: view.mainHref }, { text: site.name, href: view.home }] : [{ text: 'Forside', href: view.home }];
    const options = { crumbs, label: site.name, extra: { siteLayout: LAYOUT, siteView: view } };
    if (item.liveRevision !== null) {
      if (!(await liveOnSite(db, item.id, site.unitId))) return reply.callNotFound();
      return renderLiveItem(db, reply, item, options);
    }
    return formerPage(db, reply, item, site, options);
  });
}

/** An address on a site whose content was taken down: withdrawn content explains itself with 410; the rest is 404. */
async function formerPage(db: DbOrTx, reply: FastifyReply, item: queries.PublicItem, site: Site, options: Parameters<typeof renderWithdrawn>[3]) {
  if (item.unpublishReason !== 'withdrawn' || item.lastLiveRevision === null) return reply.callNotFound();
  const json = await queries.revisionContent(db, item.id, item.lastLiveRevision);
  const content = json ? parseContent(json) : null;
  if (!content?.placements.some((p) => p.channel === 'subsite' && p.unitId === site.unitId)) return reply.callNotFound();
  return renderWithdrawn(reply, content.title, item.unpublishNote, options);
}
