import type { FastifyInstance } from 'fastify';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function toolRoutes(app: FastifyInstance): Promise<void> {}
