import type { FastifyInstance } from 'fastify';

export async function listRoutes(_app: FastifyInstance): Promise<void> {}
