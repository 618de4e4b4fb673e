import type { FastifyInstance } from 'fastify';
import { inboxListRoutes } from './list-routes.ts';
import { removalRoutes } from './removal-routes.ts';
import { escalationRoutes } from './escalation-routes.ts';
import { blockRoutes } from './block-routes.ts';
import { rulesRoutes } from './rules-routes.ts';
import { responseTimeRoutes } from './response-routes.ts';

/** The social media inbox under /admin/indbakke (beside the admin area, like the social media pages). */
export async function inboxRoutes(app: FastifyInstance): Promise<void> {
  await app.register(inboxListRoutes);
  await app.register(removalRoutes);
  await app.register(escalationRoutes);
  await app.register(blockRoutes);
  await app.register(rulesRoutes);
  await app.register(responseTimeRoutes);
}
