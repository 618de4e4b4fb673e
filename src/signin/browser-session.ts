import type { FastifyReply, FastifyRequest } from 'fastify';
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
