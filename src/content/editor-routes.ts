import type { FastifyInstance } from 'fastify';

export async function editorRoutes(_app: FastifyInstance): Promise<void> {}
