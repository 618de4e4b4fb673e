import type { FastifyInstance } from 'fastify';

export async function discoveryRoutes(_app: FastifyInstance): Promise<void> {}
