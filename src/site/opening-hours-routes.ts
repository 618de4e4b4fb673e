import type { FastifyInstance } from 'fastify';

export async function openingHoursRoutes(_app: FastifyInstance): Promise<void> {}
