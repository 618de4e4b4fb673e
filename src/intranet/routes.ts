import type { FastifyInstance } from 'fastify';
import { groupsOf, listUnits } from '../org/store.ts';
import { JOB_ROLE_LABELS } from '../org/model.ts';
import { requireSignIn } from '../signin/request-actor.ts';

/** Everything under /intranet needs a signed-in person (I7). */
export async function intranetRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  // Checked when the request arrives, before its body is read.
  app.addHook('onRequest', requireSignIn);

  app.get('/', async (request, reply) => {
    const actor = request.actor!;
    const [groups, units] = await Promise.all([groupsOf(db, actor.personId), listUnits(db)]);
    const myUnits = units.filter((u) => actor.unitIds.includes(u.id));
    return reply.view('intranet/views/home.njk', { title: 'Forside', groups, myUnits, roleLabel: JOB_ROLE_LABELS[actor.jobRole] });
  });
}
