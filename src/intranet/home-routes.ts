import type { FastifyInstance } from 'fastify';
import { groupsOf, listUnits } from '../org/store.ts';
import { JOB_ROLE_LABELS } from '../org/model.ts';

/** The personal home page of TønderPortalen. */
export async function intranetHomeRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  app.get('/', async (request, reply) => {
    const actor = request.actor!;
    const [groups, units] = await Promise.all([groupsOf(db, actor.personId), listUnits(db)]);
    const myUnits = units.filter((u) => actor.unitIds.includes(u.id));
    return reply.view('intranet/views/home.njk', { title: 'Forside', groups, myUnits, roleLabel: JOB_ROLE_LABELS[actor.jobRole] });
  });
}
