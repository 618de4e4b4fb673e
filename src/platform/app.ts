import { randomUUID } from 'node:crypto';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import etag from '@fastify/etag';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import qs from 'node:querystring';
import { adminRoutes } from '../admin/routes.ts';
import { createSocialContext, type SocialContext } from '../social/context.ts';
import { socialRoutes } from '../social/routes.ts';
import { inboxRoutes } from '../inbox/routes.ts';
import { webhookRoutes } from '../inbox/webhook-routes.ts';
import { mediaFileRoutes } from '../content/media-files.ts';
import { intranetRoutes } from '../intranet/routes.ts';
import { signinRoutes } from '../signin/routes.ts';
import { loadActor } from '../signin/request-actor.ts';
import { pageCache } from '../site/page-cache.ts';
import { siteRoutes } from '../site/routes.ts';
import { REFRESH_EVERY_MS, SiteHosts } from '../sites/hosts.ts';
import { assetRoutes } from './asset-routes.ts';
import { loadAssets } from './assets.ts';
import type { Config } from './config.ts';
import type { Db } from './database.ts';
import { errorPages } from './error-pages.ts';
import { healthRoutes } from './health-routes.ts';
import './http-types.ts';
import { security } from './security.ts';
import { ensureStyles } from './styles.ts';
import { cookieSecret } from './secrets.ts';
import { viewRendering } from './view-rendering.ts';
import { createViews } from './views.ts';

/** The host the reader asked for; behind a trusted proxy, the one it forwarded. */
function forwardedHost(headers: Record<string, string | string[] | undefined>, trustProxy: unknown): string | undefined {
  const forwarded = trustProxy ? headers['x-forwarded-host'] : undefined;
  const host = (Array.isArray(forwarded) ? forwarded[0] : forwarded?.split(',')[0]?.trim()) || headers.host;
  return Array.isArray(host) ? host[0] : host;
}

export interface BuildOptions {
  config: Config;
  db: Db;
  /** A pino logger; tests leave it out and get silence. */
  logger?: FastifyBaseLogger;
  /** Social media: made from the configuration when left out. */
  social?: SocialContext;
}

export async function buildApp({ config, db, logger, social }: BuildOptions): Promise<FastifyInstance> {
  const siteHosts = new SiteHosts();
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    // Sites with their own host name are routed as /<slug>/… (src/sites/hosts.ts).
    rewriteUrl: (req) => siteHosts.rewrite(forwardedHost(req.headers, config.trustProxy), req.url ?? '/'),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: config.trustProxy,
  });
  app.decorate('ctx', { config, db, siteHosts, social: social ?? (await createSocialContext(db, config)) });
  let hostTimer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    await siteHosts.refresh(db);
    hostTimer = setInterval(() => siteHosts.refresh(db).catch((error: unknown) => app.log.warn({ err: error }, 'could not read the sites’ host names')), REFRESH_EVERY_MS);
    hostTimer.unref();
  });
  app.addHook('onClose', async () => clearInterval(hostTimer));
  // Every route with its method, for the access-matrix test and for operators asking what is served.
  const routeList: { method: string; url: string }[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeList.push({ method, url: route.url });
  });

  const secureCookies = config.baseUrl.startsWith('https:');
  await app.register(cookie, { secret: await cookieSecret(db, config) });
  // Repeated fields ("unitIds=a&unitIds=b") arrive as arrays.
  await app.register(formbody, { parser: (body) => qs.parse(body) });
  await app.register(rateLimit, { global: false });
  // An ETag on every page and feed lets a browser or a CDN in front revalidate with a 304 instead of a download.
  await app.register(etag);
  await app.register(compress, { encodings: ['br', 'gzip'], threshold: 1024 });
  // First of the per-request hooks, so a reader's kept page skips the rest (see page-cache.ts).
  await app.register(pageCache);
  await app.register(security, { secureCookies });

  ensureStyles();
  const assets = loadAssets();
  await app.register(viewRendering, { views: createViews(assets.url), config });
  await app.register(errorPages);

  // The reference on an error page is the request id; support finds the log lines by it.
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('viewer', null);
  app.addHook('onRequest', loadActor);

  await app.register(healthRoutes);
  await app.register(assetRoutes, { assets });
  await app.register(signinRoutes);
  await app.register(siteRoutes);
  await app.register(mediaFileRoutes);
  await app.register(intranetRoutes, { prefix: '/intranet' });
  await app.register(adminRoutes, { prefix: '/admin' });
  // Beside the admin area rather than in it: a unit's own account editors need not be editors of anything else.
  await app.register(socialRoutes, { prefix: '/admin/sociale-medier' });
  await app.register(inboxRoutes, { prefix: '/admin/indbakke' });
  await app.register(webhookRoutes, { prefix: '/webhooks' });
  return app;
}
