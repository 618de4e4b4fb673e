import type { FastifyInstance } from 'fastify';
import { inboxListRoutes } from './list-routes.ts';
import { removalRoutes } from './removal-routes.ts';

/** The social media inbox under /admin/indbakke (beside the admin area, like the social media pages). */
export async function inboxRoutes(app: FastifyInstance): Promise<void> {
  await app.register(inboxListRoutes);
  await app.register(removalRoutes);
}
