import type { FastifyInstance } from 'fastify';
import { liveWebsiteItems } from './sitemap-queries.ts';

// Pages that are not items have no single date of change, so they are listed without lastmod.
const FIXED_PAGES = ['/', '/nyheder', '/arrangementer', '/aabningstider', '/was'];

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);
}

function urlEntry(loc: string, lastmod?: string): string {
  return `  <url>\n    <loc>${escapeXml(loc)}</loc>\n${lastmod ? `    <lastmod>${escapeXml(lastmod)}</lastmod>\n` : ''}  </url>\n`;
}

/** robots.txt and sitemap.xml, so search engines find the public website and leave the rest alone. */
export async function discoveryRoutes(app: FastifyInstance): Promise<void> {
  const { db, config } = app.ctx;

  app.get('/robots.txt', async (_request, reply) => {
    const body = ['User-agent: *', 'Allow: /', 'Disallow: /admin', 'Disallow: /intranet', 'Disallow: /login', '', `Sitemap: ${config.baseUrl}/sitemap.xml`, ''].join('\n');
    return reply.type('text/plain; charset=utf-8').send(body);
  });

  app.get('/sitemap.xml', async (_request, reply) => {
    const items = await liveWebsiteItems(db);
    let xml = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n';
    for (const page of FIXED_PAGES) xml += urlEntry(`${config.baseUrl}${page}`);
    for (const item of items) {
      // Slugs are URL-safe already; encoding guards the address should one ever not be.
      xml += urlEntry(`${config.baseUrl}/${encodeURIComponent(item.section)}/${encodeURIComponent(item.slug)}`, item.liveSince?.slice(0, 10));
    }
    xml += '</urlset>\n';
    return reply.type('application/xml; charset=utf-8').send(xml);
  });
}
