import type { DbOrTx } from '../platform/database.ts';

// A site with its own host name answers there at "/": the request is routed as if it had come to
// /<slug> on the main site. Routing needs the answer at once, before any await, so the host names are
// kept in memory and read again every few seconds — a new host name works shortly after it is saved.

/** Paths served the same on every host: stylesheets, images, health checks. */
const SHARED_PREFIXES = ['/assets/', '/media/', '/healthz', '/readyz', '/robots.txt', '/favicon.ico'];

export const REFRESH_EVERY_MS = 3000;

export class SiteHosts {
  private byHost = new Map<string, string>();

  async refresh(db: DbOrTx): Promise<void> {
    const rows = await db.selectFrom('sites').select(['host', 'slug']).where('host', 'is not', null).where('active', '=', 1).execute();
    this.byHost = new Map(rows.map((r) => [r.host!, r.slug]));
  }

  /** The slug of the site at this host name, if one has it; the port is ignored. */
  slugFor(host: string | undefined): string | undefined {
    if (!host) return undefined;
    return this.byHost.get(host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, ''));
  }

  /** The path to route: /<slug>/… for a site's own host name, the path as it came otherwise. */
  rewrite(host: string | undefined, url: string): string {
    const slug = this.slugFor(host);
    if (!slug || SHARED_PREFIXES.some((p) => url.startsWith(p))) return url;
    const at = url.indexOf('?');
    const path = at === -1 ? url : url.slice(0, at);
    const query = at === -1 ? '' : url.slice(at);
    return `/${slug}${path === '/' ? '' : path}${query}`;
  }
}
