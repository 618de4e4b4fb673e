import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paramsOf, pageNumber, pagination, queryOf, queryString, text } from '../platform/forms.ts';
import { MUST_READS_PATH, statusPath } from './model.ts';
import * as service from './service.ts';

const STATUS_CHOICES = [
  { value: '', text: 'Alle' },
  { value: 'nej', text: 'Mangler at kvittere' },
  { value: 'ja', text: 'Har kvitteret' },
];

function statusQuery(request: FastifyRequest): service.StatusQuery {
  const q = queryOf(request);
  const status = text(q, 'kvittering');
  return { unitId: text(q, 'enhed').trim().slice(0, 64), status: status === 'ja' || status === 'nej' ? status : '', page: pageNumber(q) };
}

/** Must-reads (I4), under /intranet: the reader's list, acknowledging, and the author's overview with its CSV. */
export async function mustReadRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  app.get('/skal-laeses', async (request, reply) => {
    const page = await service.readerPage(db, request.actor!, request.viewer!);
    return reply.view('mustreads/views/list.njk', { title: 'Skal læses', ...page });
  });

  app.post('/skal-laeses/:itemId/kvitter', async (request, reply) => {
    const { href } = await service.acknowledge(db, request.actor!, request.viewer!, paramsOf(request).itemId ?? '');
    return reply.redirect(`${href}?kvitteret=1#kvittering`, 303);
  });

  app.get('/skal-laeses/:itemId/status', async (request, reply) => {
    const itemId = paramsOf(request).itemId ?? '';
    const q = statusQuery(request);
    const page = await service.statusPage(db, request.actor!, itemId, q);
    const base = statusPath(itemId);
    const filters = { enhed: q.unitId || undefined, kvittering: q.status || undefined };
    return reply.view('mustreads/views/status.njk', {
      title: `Kvitteringer: ${page.item.title}`,
      ...page,
      filter: q,
      filtered: !!(q.unitId || q.status),
      statusChoices: STATUS_CHOICES,
      baseHref: base,
      unitHref: (unitId: string) => `${base}${queryString({ enhed: unitId })}`,
      csvHref: `${base}.csv${queryString(filters)}`,
      pager: pagination(page.page, page.totalPages, (n) => `${base}${queryString({ ...filters, side: n > 1 ? n : undefined })}`),
      listHref: MUST_READS_PATH,
    });
  });

  app.get('/skal-laeses/:itemId/status.csv', async (request, reply) => {
    const { filename, body } = await service.statusCsv(db, request.actor!, paramsOf(request).itemId ?? '', statusQuery(request));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(body);
  });
}
