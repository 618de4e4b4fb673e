import type { FastifyInstance } from 'fastify';
import { canUseEditor } from '../content/access.ts';
import { loadTasks } from '../content/list-routes.ts';
import { borgerdkAdminRoutes } from '../borgerdk/routes.ts';
import { contentAdminRoutes } from '../content/routes.ts';
import { canEnterAdmin } from '../org/access.ts';
import { orgAdminRoutes } from '../org/routes.ts';
import { ForbiddenError } from '../platform/errors.ts';
import { requireSignIn } from '../signin/request-actor.ts';
import { frontSlotsRoutes } from '../sites/front-slots-routes.ts';
import { editableFrontPages } from '../sites/front-slots-service.ts';
import { siteAdminRoutes } from '../sites/admin-routes.ts';
import { auditLogRoutes } from './audit-log-routes.ts';

/** The editors' and platform owner's face: signed in, and with at least one editorial or administrative role. */
export async function adminRoutes(app: FastifyInstance): Promise<void> {
  // Checked when the request arrives, before its body is read.
  app.addHook('onRequest', requireSignIn);
  app.addHook('onRequest', async (request) => {
    if (!canEnterAdmin(request.actor)) throw new ForbiddenError('Administrationen er for redaktører og platformsejeren. Kontakt Sekretariat, IT og HR, hvis du skal være redaktør.');
  });

  app.get('/', async (request, reply) => {
    const actor = request.actor!;
    const caps = [...actor.capabilities].sort();
    const tasks = canUseEditor(actor) ? await loadTasks(app.ctx.db, actor) : null;
    const taskCounts = tasks && {
      review: tasks.review.length,
      drafts: tasks.drafts.length,
      scheduled: tasks.scheduled.length,
      outdated: tasks.outdated.length,
      notReviewed: tasks.notReviewed.length,
    };
    const frontPages = await editableFrontPages(app.ctx.db, actor);
    return reply.view('admin/views/dashboard.njk', { title: 'Overblik', caps, taskCounts, frontPages });
  });

  await app.register(orgAdminRoutes);
  await app.register(auditLogRoutes);
  await app.register(contentAdminRoutes);
  await app.register(borgerdkAdminRoutes);
  await app.register(siteAdminRoutes);
  await app.register(frontSlotsRoutes);
}
