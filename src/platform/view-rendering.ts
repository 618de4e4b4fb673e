import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type nunjucks from 'nunjucks';
import type { Config } from './config.ts';

export const MUNICIPALITY_NAME = 'Tønder Kommune';

// Signed-in areas are kept out of search engines, so they name no canonical address.
const UNINDEXED = /^\/(admin|intranet|login)(\/|$)/;

/**
 * The public address of a page readers may find through a search engine; undefined for anything else.
 * An error page must not claim the address it was asked for, or a search engine may index the error there.
 */
function canonicalUrl(request: FastifyRequest, reply: FastifyReply, config: Config): string | undefined {
  const [path, query = ''] = request.url.split('?') as [string, string?];
  if (request.method !== 'GET' || reply.statusCode >= 300 || UNINDEXED.test(path)) return undefined;
  // A later page of a list is a page of its own; other query parameters (filters, tracking) are not.
  const page = new URLSearchParams(query).get('side');
  return `${config.baseUrl}${path}${page && /^[2-9]\d*$|^1\d+$/.test(page) ? `?side=${page}` : ''}`;
}

/** What every page may use: who is signed in, a CSRF token on demand, where we are. */
export function pageContext(request: FastifyRequest, reply: FastifyReply, config: Config) {
  let token: string | undefined;
  return {
    actor: request.actor,
    can: (capability: string) => !!request.actor?.capabilities.has(capability),
    // Generated only when a template asks, so pages without forms set no cookie.
    csrfToken: () => (token ??= reply.generateCsrf()),
    currentPath: request.url.split('?')[0],
    requestId: request.id,
    municipality: MUNICIPALITY_NAME,
    demoMode: config.demoMode,
    canonicalUrl: canonicalUrl(request, reply, config),
    accessibilityUrl: config.accessibilityUrl,
  };
}

export const viewRendering = fp(
  async (app: FastifyInstance, opts: { views: nunjucks.Environment; config: Config }) => {
    app.decorateReply('view', function (this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
      const html = opts.views.render(template, { ...pageContext(this.request, this, opts.config), ...context });
      if (!this.hasHeader('cache-control')) this.header('cache-control', this.request.actor ? 'private, no-store' : 'no-cache');
      return this.type('text/html; charset=utf-8').send(html);
    });
  },
  { name: 'view-rendering', dependencies: ['security'] },
);
