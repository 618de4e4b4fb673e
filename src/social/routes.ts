import type { FastifyInstance } from 'fastify';
import { ForbiddenError } from '../platform/errors.ts';
import { noticeFor } from '../platform/forms.ts';
import { requireSignIn } from '../signin/request-actor.ts';
import { mayApprove, mayKeepRegistry, mayUse, rightsOf } from './access.ts';
import { accountRoutes, accountRow } from './account-routes.ts';
import { accountsFor } from './accounts.ts';
import { calendarRoutes } from './calendar-routes.ts';
import { composerRoutes } from './composer-routes.ts';
import { connectRoutes } from './connect-routes.ts';
import { GUIDELINES_PATH, GUIDELINES_TITLE } from './guidelines.ts';
import { postRoutes, summarise } from './post-routes.ts';
import * as store from './store.ts';

const WEEK_MS = 7 * 24 * 60 * 60_000;

/** Said to a signed-in person who has no account to work with, so they know whom to ask. */
export const NO_ACCOUNT_MESSAGE =
  'Du er ikke redaktør for nogen af kommunens konti på sociale medier. Spørg Kommunikationsafdelingen (redaktørgruppen for sociale medier), hvis din enhed skal have en konto, eller hvis du skal skrive for en af de eksisterende.';

const NOTICES = { 'konto-slettet': 'Kontoen er fjernet.' };

/**
 * The social media pages (S1, S4, S6) under /admin/sociale-medier: the overview, the registry of accounts, the
 * composer, each post, and the calendar. Beside the admin area, so a unit's own account editors get in without
 * being editors of anything else; everyone else signed in is refused with whom to ask.
 */
export async function socialRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx.social;

  app.addHook('onRequest', requireSignIn);
  app.addHook('onRequest', async (request) => {
    if (!request.actor) return;
    const rights = await rightsOf(ctx.db, request.actor);
    if (mayKeepRegistry(rights)) return;
    if ((await accountsFor(ctx, request.actor)).length) return;
    throw new ForbiddenError(NO_ACCOUNT_MESSAGE);
  });

  app.get('/', async (request, reply) => {
    const actor = request.actor!;
    const rights = await rightsOf(ctx.db, actor);
    const accounts = await accountsFor(ctx, actor);
    const byId = new Map(accounts.map((a) => [a.id, a]));
    const ids = accounts.map((a) => a.id);
    const now = Date.now();
    const [counts, awaiting, failed, planned, drafts] = await Promise.all([
      store.countPostsByState(ctx.db, ids),
      store.listPosts(ctx.db, { accountIds: ids, states: ['awaiting_approval'], limit: 100 }),
      store.listPosts(ctx.db, { accountIds: ids, states: ['failed'], limit: 100 }),
      // Overdue posts (waiting for a reconnect or a network) stay in the list until they are sent.
      store.listPosts(ctx.db, { accountIds: ids, states: ['scheduled', 'sending'], to: new Date(now + WEEK_MS).toISOString(), limit: 200 }),
      store.listPosts(ctx.db, { accountIds: ids, states: ['draft'], limit: 200 }),
    ]);
    const approvable = awaiting.filter((p) => mayApprove(rights, byId.get(p.account_id)!) && p.created_by !== actor.personId);
    const ownAwaiting = awaiting.filter((p) => p.created_by === actor.personId);
    return reply.view('social/views/overview.njk', {
      title: 'Sociale medier',
      socialMenu: true,
      notice: noticeFor(request, NOTICES),
      accounts: accounts.map(accountRow),
      mayCompose: accounts.some((a) => a.active && mayUse(rights, a)),
      mayKeepRegistry: mayKeepRegistry(rights),
      counts: { awaiting: counts.awaiting_approval ?? 0, planned: (counts.scheduled ?? 0) + (counts.sending ?? 0), failed: counts.failed ?? 0 },
      approvable: summarise(approvable, byId, now),
      ownAwaiting: summarise(ownAwaiting, byId, now),
      failed: summarise(failed.reverse(), byId, now),
      planned: summarise(planned, byId, now),
      drafts: summarise(drafts.filter((p) => p.created_by === actor.personId).reverse(), byId, now),
      guidelines: { href: GUIDELINES_PATH, title: GUIDELINES_TITLE },
    });
  });

  await app.register(accountRoutes);
  await app.register(composerRoutes);
  await app.register(postRoutes);
  await app.register(calendarRoutes);
  await app.register(connectRoutes);
}
