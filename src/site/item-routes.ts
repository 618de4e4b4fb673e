import type { FastifyInstance } from 'fastify';

/** Live items on the public website. */
export async function itemRoutes(_app: FastifyInstance): Promise<void> {}
