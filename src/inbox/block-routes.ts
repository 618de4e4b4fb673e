import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { maskCpr } from '../moderation/cpr.ts';
import { type Errors, formOf, paramsOf, queryOf, text, type Values } from '../platform/forms.ts';
import { localDate } from '../platform/time.ts';
import { isNetwork, NETWORK_LABELS } from '../social/providers/types.ts';
import {
  activeBlockFor,
  blockAuthor,
  type BlockResult,
  blocksOnNetwork,
  latestReviewDate,
  liftBlock,
  listActiveBlocks,
  listLiftsNotOnNetwork,
  MAX_REASON_LENGTH,
  networksByBlocking,
  retryOnNetwork,
} from './blocking.ts';
import { inboxGate, refusalOf } from './route-gate.ts';
import { INBOX_PATH, itemPath } from './list-routes.ts';
import { itemFor } from './service.ts';

// Blocking an author: /admin/indbakke/:id/bloker, and the active blocks at /admin/indbakke/blokeringer, with the
// lifts the network has not carried out. After a block, lift or "Prøv igen" the list says what happened: `blokeret`
// or `ophaevet` (with `paa=<network>` when the network did it too), or `fejl=<block id>`, whose stored note says why
// the network did not.

export const BLOCKS_PATH = `${INBOX_PATH}/blokeringer`;

/** Where to go after a block, lift or retry: the list, saying what the network did. */
function afterNetwork(result: BlockResult | null, blocked: boolean): string {
  if (result?.onNetwork === 'failed') return `${BLOCKS_PATH}?fejl=${encodeURIComponent(result.blockId)}#blokering-${result.blockId}`;
  const flag = blocked ? 'blokeret=1' : 'ophaevet=1';
  return result?.onNetwork === 'done' ? `${BLOCKS_PATH}?${flag}&paa=${result.network}` : `${BLOCKS_PATH}?${flag}`;
}

export async function blockRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx.social;
  inboxGate(app);

  app.get('/blokeringer', async (request, reply) => {
    const [blocks, lifts] = await Promise.all([listActiveBlocks(ctx, request.actor!), listLiftsNotOnNetwork(ctx, request.actor!)]);
    const q = queryOf(request);
    const paa = text(q, 'paa');
    const on = isNetwork(paa) && blocksOnNetwork(ctx, paa) ? NETWORK_LABELS[paa] : null;
    let notice: string | null = null;
    if (q.blokeret !== undefined) notice = on ? `Afsenderen er blokeret i Mediehus og på ${on}.` : 'Afsenderen er blokeret i Mediehus.';
    else if (q.ophaevet !== undefined) notice = on ? `Blokeringen er ophævet i Mediehus og på ${on}.` : 'Blokeringen er ophævet.';
    const failed = text(q, 'fejl') ? [...blocks, ...lifts].find((b) => b.id === text(q, 'fejl') && b.networkNote) : undefined;
    const { onNetwork, recordOnly } = networksByBlocking(ctx);
    return reply.view('inbox/views/blocks.njk', {
      title: 'Blokerede afsendere',
      socialMenu: true,
      notice,
      warning: failed?.networkNote ?? null,
      blocks,
      lifts,
      networkLabels: NETWORK_LABELS,
      onNetwork: onNetwork.join(' og '),
      recordOnly: recordOnly.join(' og '),
      dueCount: blocks.filter((b) => b.due).length,
    });
  });

  app.post('/blokeringer/:blockId/ophaev', async (request, reply) => {
    const result = await liftBlock(ctx, request.actor!, paramsOf(request).blockId!);
    return reply.redirect(afterNetwork(result, false), 303);
  });

  app.post('/blokeringer/:blockId/proev-igen', async (request, reply) => {
    const result = await retryOnNetwork(ctx, request.actor!, paramsOf(request).blockId!);
    return reply.redirect(afterNetwork(result, result.blocked), 303);
  });

  app.get('/:id/bloker', async (request, reply) => show(request, reply, paramsOf(request).id!, {}));

  app.post('/:id/bloker', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const form = formOf(request);
    const values = { reason: text(form, 'reason'), reviewOn: text(form, 'reviewOn') };
    let result;
    try {
      result = await blockAuthor(ctx, request.actor!, id, values);
    } catch (error) {
      return show(request, reply.code(422), id, { values, errors: refusalOf(error) });
    }
    return reply.redirect(afterNetwork(result, true), 303);
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
      onNetwork: blocksOnNetwork(ctx, account.network) && !!item.author_handle,
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
