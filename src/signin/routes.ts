import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { audit } from '../platform/audit/service.ts';
import { AppError } from '../platform/errors.ts';
import { signInWithPassword } from './service.ts';
import { endSession, IDLE_MS, SESSION_COOKIE, startSession } from './sessions.ts';

/** Only a path on this site: never "//elsewhere" or a full URL. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '';
}

/** Ends any session the browser had and starts a new one, so a session id fixed before sign-in is worthless. */
export async function signInBrowser(request: FastifyRequest, reply: FastifyReply, personId: string, method: string): Promise<void> {
  const { db, config } = request.server.ctx;
  if (request.sessionToken) await endSession(db, request.sessionToken);
  const token = await startSession(db, personId, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, method });
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.baseUrl.startsWith('https:') || request.protocol === 'https',
    signed: true,
    maxAge: IDLE_MS / 1000,
  });
}

export async function signinRoutes(app: FastifyInstance): Promise<void> {
  const { config, db } = app.ctx;
  const oidcLabel = config.oidc?.label ?? '';

  app.get<{ Querystring: { next?: string } }>('/login', async (request, reply) => {
    return reply.view('signin/views/login.njk', { title: 'Log ind', values: {}, errors: {}, next: safeNext(request.query.next), oidcLabel });
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
}
