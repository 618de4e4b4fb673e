import type { FastifyInstance } from 'fastify';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function intranetItemRoutes(app: FastifyInstance): Promise<void> {}
