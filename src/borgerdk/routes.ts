import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Errors, fieldsOf, formOf, guard, noticeFor, paramsOf, text, type Values } from '../platform/forms.ts';
import { canManageBorgerdk } from './access.ts';
import { type BorgerdkClient, createBorgerdkClient } from './client.ts';
import { importArticles, listImported, type RefreshOutcome, refreshNow } from './service.ts';

const TITLE = 'Artikler fra borger.dk';

const NOTICES = {
  importeret: 'Artiklerne er hentet fra borger.dk.',
  opdateret: 'Artiklen er hentet igen fra borger.dk.',
};

/** What went wrong is in the list beside each article; this only says where to look. */
const WARNINGS = {
  delvist: 'Nogle af artiklerne kunne ikke hentes. Se fejlen ud for dem i listen.',
  fejl: 'Artiklen kunne ikke hentes. Se fejlen ud for den i listen.',
};

const outcomeFlag = (outcomes: RefreshOutcome[], success: keyof typeof NOTICES): string =>
  outcomes.every((o) => o.ok) ? success : outcomes.some((o) => o.ok) ? 'delvist' : 'fejl';

/** Where editors import articles from borger.dk and see how each one's last fetch went. */
export async function borgerdkAdminRoutes(app: FastifyInstance, options: { client?: BorgerdkClient } = {}): Promise<void> {
  const { db, config } = app.ctx;
  const client = options.client ?? createBorgerdkClient(config.borgerdk);
  app.addHook('onRequest', guard(canManageBorgerdk));

  async function showList(request: FastifyRequest, reply: FastifyReply, values: Values = {}, errors: Errors = {}) {
    return reply.view('borgerdk/views/list.njk', {
      title: TITLE,
      notice: Object.keys(errors).length ? null : noticeFor(request, NOTICES),
      warning: Object.keys(errors).length ? null : noticeFor(request, WARNINGS),
      articles: await listImported(db, request.actor!),
      values,
      errors,
    });
  }

  app.get('/borgerdk', async (request, reply) => showList(request, reply));

  app.post('/borgerdk', async (request, reply) => {
    const articleIds = text(formOf(request), 'articleIds');
    try {
      const outcomes = await importArticles(db, request.actor!, client, articleIds);
      return reply.redirect(`/admin/borgerdk?${outcomeFlag(outcomes, 'importeret')}=1`, 303);
    } catch (error) {
      return showList(request, reply.code(422), { articleIds }, fieldsOf(error));
    }
  });

  app.post('/borgerdk/:id/opdater', async (request, reply) => {
    const outcome = await refreshNow(db, request.actor!, client, paramsOf(request).id!);
    return reply.redirect(`/admin/borgerdk?${outcomeFlag([outcome], 'opdateret')}=1`, 303);
  });
}
