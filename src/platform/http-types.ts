import type { SocialContext } from '../social/context.ts';
import type { Actor } from '../org/actor.ts';
import type { Viewer } from '../intranet/audience.ts';
import type { Config } from './config.ts';
import type { SiteHosts } from '../sites/hosts.ts';
import type { Db } from './database.ts';

export interface AppContext {
  config: Config;
  db: Db;
  siteHosts: SiteHosts;
  social: SocialContext;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
    routeList: { method: string; url: string }[];
  }
  interface FastifyRequest {
    /** The signed-in person, or null for a reader. */
    actor: Actor | null;
    sessionToken: string | null;
    /** Under /intranet: what the signed-in person may see (src/intranet/audience.ts). */
    viewer: Viewer | null;
  }
  interface FastifyReply {
    /** Renders a template with the page's common context (actor, CSRF token, menu). */
    view(template: string, context?: Record<string, unknown>): FastifyReply;
  }
}
