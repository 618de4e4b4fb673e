import type { FastifyInstance } from 'fastify';
import { Feed } from 'feed';
import { MUNICIPALITY_NAME } from '../platform/view-rendering.ts';
import { pageNumber, pagination, queryOf } from '../platform/forms.ts';
import { liveNews } from './listing-queries.ts';

const PER_PAGE = 10;
const FEED_SIZE = 20;

/** Shared caches may keep a public list briefly; a signed-in editor's page carries their name and must not be shared. */
export const PUBLIC_CACHE = 'public, max-age=60';

/** RSS readers treat description and content:encoded as HTML, so plain text is escaped before it goes in. */
const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The news list at /nyheder and its RSS feed. Readers get the live editions only, and no cookie. */
export async function newsRoutes(app: FastifyInstance): Promise<void> {
  const { db, config } = app.ctx;

  app.get('/nyheder', async (request, reply) => {
    const page = pageNumber(queryOf(request));
    const { rows, total } = await liveNews(db, { limit: PER_PAGE, offset: (page - 1) * PER_PAGE });
    const totalPages = Math.max(1, Math.ceil(total / PER_PAGE));
    if (page > totalPages) return reply.callNotFound();
    if (!request.actor) reply.header('cache-control', PUBLIC_CACHE);
    return reply.view('site/views/news-list.njk', {
      title: page > 1 ? `Nyheder, side ${page}` : 'Nyheder',
      description: `Nyheder fra ${MUNICIPALITY_NAME}`,
      news: rows.map((r) => ({ title: r.content.title, href: `/nyheder/${r.slug}`, summary: r.content.summary, language: r.content.language, publishedAt: r.firstPublishedAt })),
      pagination: pagination(page, totalPages, (n) => (n === 1 ? '/nyheder' : `/nyheder?side=${n}`)),
    });
  });

  app.get('/nyheder/feed.xml', async (_request, reply) => {
    const { rows } = await liveNews(db, { limit: FEED_SIZE, offset: 0 });
    const newest = rows.map((r) => r.firstPublishedAt).find((d): d is string => !!d);
    const feed = new Feed({
      id: `${config.baseUrl}/nyheder`,
      title: `Nyheder fra ${MUNICIPALITY_NAME}`,
      description: `De seneste nyheder fra ${MUNICIPALITY_NAME}`,
      link: `${config.baseUrl}/nyheder`,
      language: 'da',
      copyright: MUNICIPALITY_NAME,
      generator: false,
      updated: newest ? new Date(newest) : undefined,
      feedLinks: { rss: `${config.baseUrl}/nyheder/feed.xml` },
    });
    for (const r of rows) {
      const link = `${config.baseUrl}/nyheder/${r.slug}`;
      feed.addItem({
        title: r.content.title,
        id: link,
        link,
        date: new Date(r.firstPublishedAt ?? Date.now()),
        description: escapeHtml(r.content.summary),
        content: escapeHtml(r.content.summary),
      });
    }
    return reply.header('cache-control', PUBLIC_CACHE).type('application/rss+xml; charset=utf-8').send(feed.rss2());
  });
}
