import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { maskCpr } from '../moderation/cpr.ts';
import { type Errors, formOf, noticeFor, paramsOf, text, type Values } from '../platform/forms.ts';
import { localDate } from '../platform/time.ts';
import { NETWORK_LABELS } from '../social/providers/types.ts';
import { activeBlockFor, blockAuthor, latestReviewDate, liftBlock, listActiveBlocks, MAX_REASON_LENGTH } from './blocking.ts';
import { inboxGate, refusalOf } from './route-gate.ts';
import { INBOX_PATH, itemPath } from './list-routes.ts';
import { itemFor } from './service.ts';

// Blocking an author: /admin/indbakke/:id/bloker, and the active blocks at /admin/indbakke/blokeringer.

export const BLOCKS_PATH = `${INBOX_PATH}/blokeringer`;
const NOTICES = { blokeret: 'Afsenderen er blokeret i Mediehus.', ophaevet: 'Blokeringen er ophævet.' };

export async function blockRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx.social;
  inboxGate(app);

  app.get('/blokeringer', async (request, reply) => {
    const blocks = await listActiveBlocks(ctx, request.actor!);
    return reply.view('inbox/views/blocks.njk', {
      title: 'Blokerede afsendere',
      socialMenu: true,
      notice: noticeFor(request, NOTICES),
      blocks,
      dueCount: blocks.filter((b) => b.due).length,
    });
  });

  app.post('/blokeringer/:blockId/ophaev', async (request, reply) => {
    await liftBlock(ctx, request.actor!, paramsOf(request).blockId!);
    return reply.redirect(`${BLOCKS_PATH}?ophaevet=1`, 303);
  });

  app.get('/:id/bloker', async (request, reply) => show(request, reply, paramsOf(request).id!, {}));

  app.post('/:id/bloker', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const form = formOf(request);
    const values = { reason: text(form, 'reason'), reviewOn: text(form, 'reviewOn') };
    try {
      await blockAuthor(ctx, request.actor!, id, values);
    } catch (error) {
      return show(request, reply.code(422), id, { values, errors: refusalOf(error) });
    }
    return reply.redirect(`${BLOCKS_PATH}?blokeret=1`, 303);
  });

  async function show(request: FastifyRequest, reply: FastifyReply, id: string, form: { values?: Values; errors?: Errors }) {
    const { item, account } = await itemFor(ctx, request.actor, id);
    const existing = await activeBlockFor(ctx.db, item);
    const today = localDate();
    return reply.view('inbox/views/block.njk', {
      title: `Blokér ${item.author_name}`,
      socialMenu: true,
      item: { id: item.id, href: itemPath(item.id), authorName: item.author_name, authorHandle: item.author_handle, text: maskCpr(item.text), writtenAt: item.written_at },
      network: NETWORK_LABELS[account.network],
      accountName: account.name,
      existing,
      byName: !item.author_handle,
      latest: latestReviewDate(today),
      maxReason: MAX_REASON_LENGTH,
      values: form.values ?? { reason: '', reviewOn: '' },
      errors: form.errors ?? {},
      blocksHref: BLOCKS_PATH,
    });
  }
}
