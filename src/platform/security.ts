import helmet from '@fastify/helmet';
import csrf from '@fastify/csrf-protection';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A strict Content-Security-Policy (no inline script or style), and a CSRF check on every state-changing request.
 * Routes that must take requests from elsewhere (signed webhooks) opt out with `config: { csrf: false }`.
 */
export const security = fp(
  async (app: FastifyInstance, opts: { secureCookies: boolean }) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          objectSrc: ["'none'"],
        },
      },
      crossOriginEmbedderPolicy: false,
      hsts: opts.secureCookies ? { maxAge: 31536000 } : false,
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    });
    await app.register(csrf, {
      cookieKey: 'mh_csrf',
      cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, signed: true, secure: opts.secureCookies },
    });
    app.addHook('preHandler', (request, reply, done) => {
      if (!UNSAFE.has(request.method) || request.routeOptions.config?.csrf === false) return done();
      app.csrfProtection(request, reply, done);
    });
  },
  { name: 'security', dependencies: ['@fastify/cookie'] },
);

declare module 'fastify' {
  interface FastifyContextConfig {
    csrf?: boolean;
  }
}
