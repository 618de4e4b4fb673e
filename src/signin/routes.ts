import type { FastifyInstance } from 'fastify';
import { audit } from '../platform/audit/service.ts';
import { AppError } from '../platform/errors.ts';
import { oidcRoutes } from './oidc-routes.ts';
import { samlRoutes } from './saml-routes.ts';
import { signInWithPassword } from './service.ts';
import { safeNext, signInBrowser } from './browser-session.ts';
import { endSession, SESSION_COOKIE } from './sessions.ts';

export async function signinRoutes(app: FastifyInstance): Promise<void> {
  const { config, db } = app.ctx;
  const oidcLabel = config.oidc?.label ?? '';
  const samlLabel = config.saml?.label ?? '';

  app.get<{ Querystring: { next?: string } }>('/login', async (request, reply) => {
    return reply.view('signin/views/login.njk', { title: 'Log ind', values: {}, errors: {}, next: safeNext(request.query.next), oidcLabel, samlLabel });
  });

  app.post<{ Body: { email?: string; password?: string; next?: string } }>(
    '/login',
    { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const body = request.body ?? {};
      const email = String(body.email ?? '');
      const next = safeNext(body.next);
      try {
        const person = await signInWithPassword(db, { email, password: String(body.password ?? ''), ip: request.ip }, { demoMode: config.demoMode });
        await signInBrowser(request, reply, person.id, 'password');
        return reply.redirect(next || '/intranet', 303);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return reply.code(error.status === 400 ? 422 : error.status).view('signin/views/login.njk', {
          title: 'Log ind',
          values: { email },
          errors: error.fields,
          message: error.message,
          next,
          oidcLabel,
          samlLabel,
        });
      }
    },
  );

  app.post('/logout', async (request, reply) => {
    if (request.sessionToken) {
      await endSession(db, request.sessionToken);
      if (request.actor) {
        const actor = request.actor;
        await db.transaction().execute((tx) =>
          audit(tx, { actorId: actor.personId, actorLabel: actor.email, ip: request.ip, action: 'signout', objectType: 'person', objectId: actor.personId }),
        );
      }
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });

  if (config.oidc) await app.register(oidcRoutes);
  if (config.saml) await app.register(samlRoutes);
}
