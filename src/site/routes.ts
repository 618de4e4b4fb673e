import type { FastifyInstance } from 'fastify';
import { listUnits } from '../org/store.ts';
import { discoveryRoutes } from './discovery-routes.ts';
import { eventRoutes } from './event-routes.ts';
import { liveInSection } from './front-queries.ts';
import { itemRoutes } from './item-routes.ts';
import { newsRoutes } from './news-routes.ts';
import { openingHoursRoutes } from './opening-hours-routes.ts';
import { selfServiceRoutes } from './selfservice-routes.ts';

export async function siteRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  app.get('/', async (_request, reply) => {
    const [units, services, news] = await Promise.all([listUnits(db), liveInSection(db, 'borger', 8, 'title'), liveInSection(db, 'nyheder', 3)]);
    const institutions = units.filter((u) => u.kind === 'institution');
    return reply.view('site/views/front.njk', { title: 'Forside', institutions, services, news });
  });

  app.get('/was', async (_request, reply) => reply.view('site/views/accessibility.njk', { title: 'Tilgængelighedserklæring' }));
  app.get('/privatliv', async (_request, reply) => reply.view('site/views/privacy.njk', { title: 'Privatlivspolitik' }));

  await app.register(openingHoursRoutes);
  await app.register(newsRoutes);
  await app.register(eventRoutes);
  await app.register(discoveryRoutes);
  await app.register(selfServiceRoutes);
  await app.register(itemRoutes);
}
