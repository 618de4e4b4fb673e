import type { FastifyInstance } from 'fastify';

export async function removalRoutes(_app: FastifyInstance): Promise<void> {}
