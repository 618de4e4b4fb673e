import type { FastifyReply, FastifyRequest } from 'fastify';
import { capabilityRowsOf, findPersonRow } from '../org/store.ts';
import { localDate } from '../platform/time.ts';
import { actorFor } from './actors.ts';
import { resumeSession, SESSION_COOKIE } from './sessions.ts';

/** Reads the session cookie, if any, and puts the signed-in person on the request. */
export async function loadActor(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const raw = request.cookies[SESSION_COOKIE];
  if (!raw) return;
  const unsigned = request.unsignCookie(raw);
  const db = request.server.ctx.db;
  const session = unsigned.valid && unsigned.value ? await resumeSession(db, unsigned.value) : undefined;
  // The person and the sources of their rights in one round trip.
  const [person, rows] = session ? await Promise.all([findPersonRow(db, session.person_id), capabilityRowsOf(db, session.person_id, localDate())]) : [];
  if (!session || !person || !rows || person.active !== 1) {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return;
  }
  request.sessionToken = unsigned.value;
  request.actor = await actorFor(db, person, request.ip, rows);
}

/** For a child context whose every route needs a signed-in person: readers are sent to sign in and back. */
export async function requireSignIn(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.actor) return;
  // A form sent after the session ended cannot be replayed after sign-in; the page it came from can.
  const next = request.method === 'GET' ? request.url : refererPath(request);
  return reply.redirect(next ? `/login?next=${encodeURIComponent(next)}` : '/login', 303);
}

function refererPath(request: FastifyRequest): string {
  try {
    const referer = new URL(request.headers.referer ?? '');
    return referer.host === request.host ? referer.pathname + referer.search : '';
  } catch {
    return '';
  }
}
