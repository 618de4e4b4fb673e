import type { FastifyInstance } from 'fastify';

/** Admin screens for units, people and groups. */
export async function orgAdminRoutes(_app: FastifyInstance): Promise<void> {}
