import type { FastifyInstance } from 'fastify';
import { renderMarkdown } from '../content/markdown.ts';
import type { ItemType } from '../content/types.ts';
import { NotFoundError } from '../platform/errors.ts';
import { paramsOf } from '../platform/forms.ts';
import { mustReadStatus } from '../mustreads/service.ts';
import { eventFacts, unitContact } from '../site/item-page.ts';
import { keysOf, mayView } from './audience.ts';
import { describeAudience, INTRANET_SECTIONS, liveItems } from './items.ts';

/**
 * An intranet item at /intranet/<section>/<slug>. Someone outside its audience gets the same 404 as for an
 * address that does not exist, so the page tells nothing about what it would have held.
 */
export async function intranetItemRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  for (const [type, section] of Object.entries(INTRANET_SECTIONS) as [ItemType, (typeof INTRANET_SECTIONS)[ItemType]][]) {
    app.get(`/${section.path}/:slug`, async (request, reply) => {
      const { slug } = paramsOf(request);
      const row = await db.selectFrom('items').select(['id', 'type']).where('slug', '=', slug ?? '').where('live_revision', 'is not', null).executeTakeFirst();
      if (!row || row.type !== type) throw new NotFoundError();
      const ref = { type: 'item' as const, id: row.id };
      if (!(await mayView(db, request.viewer!, ref))) throw new NotFoundError();
      const [item] = await liveItems(db, [row.id]);
      if (!item) throw new NotFoundError();
      const [audience, contact, mustRead] = await Promise.all([
        keysOf(db, ref).then((keys) => describeAudience(db, keys)),
        unitContact(db, item.content.ownerUnitId),
        mustReadStatus(db, request.viewer!, row.id),
      ]);
      return reply.view('intranet/views/item.njk', {
        title: item.content.title,
        label: section.label,
        item,
        content: item.content,
        bodyHtml: renderMarkdown(item.content.body),
        event: item.type === 'event' ? eventFacts(item.content) : null,
        audience,
        contact,
        mustRead,
      });
    });
  }
}
