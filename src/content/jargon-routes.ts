import type { FastifyInstance } from 'fastify';
import { fieldsOf, formOf, guard, text } from '../platform/forms.ts';
import { canEditJargon, formatJargon, loadJargon, saveJargon } from './jargon.ts';

/** The list of words the editor's plain-language hints suggest replacing. */
export async function jargonRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  app.addHook('onRequest', guard(canEditJargon));

  app.get('/klarsprog', async (request, reply) => {
    const saved = (request.query as Record<string, unknown>).gemt !== undefined;
    return reply.view('content/views/jargon.njk', { title: 'Klarsprog: ord at undgå', values: { jargon: formatJargon(await loadJargon(db)) }, errors: {}, saved });
  });

  app.post('/klarsprog', async (request, reply) => {
    const jargon = text(formOf(request), 'jargon');
    try {
      await saveJargon(db, request.actor!, jargon);
      return reply.redirect('/admin/klarsprog?gemt=1', 303);
    } catch (error) {
      return reply.code(422).view('content/views/jargon.njk', { title: 'Klarsprog: ord at undgå', values: { jargon }, errors: fieldsOf(error), saved: false });
    }
  });
}
