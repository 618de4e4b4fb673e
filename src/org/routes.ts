import type { FastifyInstance } from 'fastify';
import { groupRoutes } from './group-routes.ts';
import { peopleRoutes } from './people-routes.ts';
import { unitRoutes } from './unit-routes.ts';

/** Admin screens for units, people and groups. Each area checks its own capability, as do the services. */
export async function orgAdminRoutes(app: FastifyInstance): Promise<void> {
  await app.register(unitRoutes);
  await app.register(peopleRoutes);
  await app.register(groupRoutes);
}
