import type { FastifyInstance } from 'fastify';
import { ITEM_TYPE_LABELS } from '../content/types.ts';
import { list, pageNumber, pagination, queryOf, text } from '../platform/forms.ts';
import { COUNT_LIMIT, PER_PAGE, SEARCH_TYPES, searchSites } from './service.ts';

/** /soeg?q=…&type=…&side=…, with the filter's types repeated as a browser's GET form sends them. */
function searchUrl(q: string, types: string[], page = 1): string {
  const params = new URLSearchParams({ q });
  for (const t of types) params.append('type', t);
  if (page > 1) params.set('side', String(page));
  return `/soeg?${params.toString()}`;
}

/** The public search of the main website and its subsites: a GET form and server-rendered results, no JavaScript. */
export async function searchRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  app.get('/soeg', async (request, reply) => {
    const query = queryOf(request);
    const page = pageNumber(query);
    const result = await searchSites(db, { q: text(query, 'q'), types: list(query, 'type'), page });
    if (page > result.totalPages) return reply.callNotFound();
    const { query: q, types } = result;
    return reply.view('search/views/search.njk', {
      title: q ? `Søgning: ${q}${page > 1 ? `, side ${page}` : ''}` : 'Søg',
      description: 'Søg på hjemmesiden og institutionernes sider',
      // A page of results is not a page for search engines to keep.
      ...(q ? { noindex: true, canonicalUrl: null } : {}),
      q,
      result,
      resultCount: result.moreThanTotal ? `Mere end ${COUNT_LIMIT.toLocaleString('da-DK')} resultater` : `${result.total} ${result.total === 1 ? 'resultat' : 'resultater'}`,
      firstNumber: (page - 1) * PER_PAGE + 1,
      typeOptions: SEARCH_TYPES.map((t) => ({
        value: t,
        label: ITEM_TYPE_LABELS[t],
        checked: types.includes(t),
      })),
      suggestionUrl: result.suggestion ? searchUrl(result.suggestion, types) : null,
      withoutFiltersUrl: types.length ? searchUrl(q, []) : null,
      pagination: pagination(page, result.totalPages, (n) => searchUrl(q, types, n)),
    });
  });
}
