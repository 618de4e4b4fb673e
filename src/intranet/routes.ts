import type { FastifyInstance } from 'fastify';
import { directoryRoutes } from '../directory/routes.ts';
import { mustReadRoutes } from '../mustreads/routes.ts';
import { notificationRoutes } from '../notifications/routes.ts';
import { postRoutes } from '../posts/routes.ts';
import { requireSignIn } from '../signin/request-actor.ts';
import { toolRoutes } from '../tools/routes.ts';
import { intranetHomeRoutes } from './home-routes.ts';
import { intranetItemRoutes } from './item-routes.ts';
import { intranetSearchRoutes } from './search-routes.ts';
import { viewerOfActor } from './audience.ts';

/** Everything under /intranet needs a signed-in person (I7), and every page is for that person only. */
export async function intranetRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  // Checked when the request arrives, before its body is read.
  app.addHook('onRequest', requireSignIn);
  // What the reader may see is decided once per request, from their role, units and groups.
  app.addHook('preHandler', async (request) => {
    request.viewer = await viewerOfActor(db, request.actor!);
  });
  // Pages name people and internal matters: never kept by a shared cache.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'private, no-store');
  });
  await app.register(intranetHomeRoutes);
  await app.register(intranetItemRoutes);
  await app.register(intranetSearchRoutes);
  await app.register(postRoutes);
  await app.register(mustReadRoutes);
  await app.register(directoryRoutes);
  await app.register(toolRoutes);
  await app.register(notificationRoutes);
}
