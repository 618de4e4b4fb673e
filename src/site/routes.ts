import type { FastifyInstance } from 'fastify';
import { discoveryRoutes } from './discovery-routes.ts';
import { eventRoutes } from './event-routes.ts';
import { frontPageData } from './front-queries.ts';
import { itemRoutes } from './item-routes.ts';
import { searchRoutes } from '../search/routes.ts';
import { sitePublicRoutes } from '../sites/public-routes.ts';
import { newsRoutes } from './news-routes.ts';
import { openingHoursRoutes } from './opening-hours-routes.ts';
import { selfServiceRoutes } from './selfservice-routes.ts';

export async function siteRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  app.get('/', async (_request, reply) => reply.view('site/views/front.njk', { title: 'Forside', ...(await frontPageData(db)) }));

  app.get('/was', async (_request, reply) => reply.view('site/views/accessibility.njk', { title: 'Tilgængelighedserklæring' }));
  app.get('/privatliv', async (_request, reply) => reply.view('site/views/privacy.njk', { title: 'Privatlivspolitik' }));

  await app.register(openingHoursRoutes);
  await app.register(newsRoutes);
  await app.register(eventRoutes);
  await app.register(discoveryRoutes);
  await app.register(selfServiceRoutes);
  await app.register(searchRoutes);
  await app.register(itemRoutes);
  // Last: /<subsite> takes whatever first path segment the main site does not use itself.
  await app.register(sitePublicRoutes);
}
