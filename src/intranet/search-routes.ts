import type { FastifyInstance } from 'fastify';
import { queryOf, text } from '../platform/forms.ts';
import { containsText } from '../platform/like.ts';
import { searchPosts } from '../posts/service.ts';
import { cleanQuery, words } from '../search/text.ts';
import { INTRANET_SECTIONS, liveItems } from './items.ts';
import { searchIntranet } from './search.ts';

const PER_PAGE = 20;

/** /intranet/soeg: items and colleagues, only ever what the reader may see. */
export async function intranetSearchRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  app.get('/soeg', async (request, reply) => {
    const q = cleanQuery(text(queryOf(request), 'q'));
    const page = Math.max(1, Math.min(50, Number.parseInt(text(queryOf(request), 'side'), 10) || 1));
    if (!q) return reply.view('intranet/views/search.njk', { title: 'Søg på TønderPortalen', q, hits: [], people: [], posts: [] });
    const [found, posts, people] = await Promise.all([
      searchIntranet(db, request.viewer!, q, { limit: PER_PAGE, offset: (page - 1) * PER_PAGE }),
      page === 1 ? searchPosts(db, request.viewer!, words(q).slice(0, 8), 10) : [],
      page === 1
        ? db.selectFrom('people').select(['id', 'name', 'title']).where('active', '=', 1).where(containsText('name', q)).orderBy('name').limit(5).execute()
        : [],
    ]);
    const items = await liveItems(db, found.hits.filter((h) => h.type === 'item').map((h) => h.id));
    const hits = items.map((i) => ({ href: i.href, title: i.content.title, summary: i.content.summary, label: INTRANET_SECTIONS[i.type].label, at: i.firstPublishedAt }));
    const pageHref = (n: number) => `/intranet/soeg?q=${encodeURIComponent(q)}&side=${n}`;
    return reply.view('intranet/views/search.njk', {
      title: `Søgning: ${q}`,
      q,
      hits,
      people,
      posts: posts.map((p) => ({ href: p.href, excerpt: p.excerpt, author: p.author.name, at: p.at, label: p.type === 'post' ? 'Opslag' : 'Kommentar' })),
      previous: page > 1 ? pageHref(page - 1) : null,
      next: found.more ? pageHref(page + 1) : null,
    });
  });
}
