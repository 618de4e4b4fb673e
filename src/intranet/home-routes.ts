import type { FastifyInstance } from 'fastify';
import { JOB_ROLE_LABELS } from '../org/model.ts';
import { pendingMustReadsFor } from '../mustreads/service.ts';
import { postsVisibleTo } from '../posts/service.ts';
import { keepsRegistry } from '../social/access.ts';
import { accountLinks } from '../social/store.ts';
import { NETWORK_LABELS } from '../social/providers/types.ts';
import { toolsForHome } from '../tools/queries.ts';
import { homeContent } from './home.ts';

/** The personal home page of TønderPortalen: what is meant for this reader, and nothing else. */
export async function intranetHomeRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  app.get('/', async (request, reply) => {
    const actor = request.actor!;
    const viewer = request.viewer!;
    const [content, mustReads, posts, tools, units, socialAccounts] = await Promise.all([
      homeContent(db, viewer),
      pendingMustReadsFor(db, viewer, 3),
      postsVisibleTo(db, viewer, { limit: 4 }),
      toolsForHome(db, viewer, 8),
      viewer.unitIds.length ? db.selectFrom('units').select(['name', 'slug']).where('id', 'in', viewer.unitIds).orderBy('name').execute() : [],
      // A unit's own account editors need not be editors of anything else, so the way to their accounts starts here.
      accountLinks(db, { all: keepsRegistry(actor), groupIds: viewer.groupIds }),
    ]);
    return reply.view('intranet/views/home.njk', {
      title: 'Forside',
      ...content,
      mustReads,
      posts: posts.entries.map((p) => ({ href: p.href, title: p.excerpt, byline: `${p.author.name} · til ${p.audienceLabel}`, at: p.at })),
      tools,
      socialAccounts: socialAccounts.map((a) => ({ name: `${a.name} på ${NETWORK_LABELS[a.network]}`, href: `/admin/sociale-medier/konti/${a.id}`, needsReauth: a.status === 'needs_reauth' })),
      myUnits: units, roleLabel: JOB_ROLE_LABELS[actor.jobRole] });
  });
}
