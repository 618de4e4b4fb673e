import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { pendingMigrations } from './migrate.ts';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      await sql`select 1`.execute(app.ctx.db);
      const pending = await pendingMigrations(app.ctx.db);
      if (pending.length) return reply.code(503).send({ status: 'migrations pending', pending });
      return reply.send({ status: 'ready' });
    } catch (error) {
      app.log.warn({ err: error }, 'readiness check failed');
      return reply.code(503).send({ status: 'database unreachable' });
    }
  });
}
