import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../platform/database.ts';

import { deleteSession, findLiveSession, insertSession, touchSession } from './store.ts';
import type { SessionRow } from './tables.ts';

export const SESSION_COOKIE = 'mh_session';
/** Signed-in sessions end after this long without use. */
export const IDLE_MS = 8 * 60 * 60 * 1000;
/** last_seen is written at most this often, so reading a page rarely writes. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

const idOf = (token: string) => createHash('sha256').update(token).digest('hex');

export async function startSession(db: Db, personId: string, meta: { ip: string | null; userAgent: string | null; method: string }): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  await insertSession(db, {
    id: idOf(token),
    person_id: personId,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + IDLE_MS).toISOString(),
    last_seen_at: now.toISOString(),
    ip: meta.ip,
    user_agent: meta.userAgent?.slice(0, 300) ?? null,
    method: meta.method,
  });
  return token;
}

export async function resumeSession(db: Db, token: string): Promise<SessionRow | undefined> {
  const now = new Date();
  const session = await findLiveSession(db, idOf(token), now.toISOString());
  if (session && now.getTime() - Date.parse(session.last_seen_at) > TOUCH_EVERY_MS) {
    await touchSession(db, session.id, now.toISOString(), new Date(now.getTime() + IDLE_MS).toISOString());
  }
  return session;
}

export async function endSession(db: Db, token: string): Promise<void> {
  await deleteSession(db, idOf(token));
}

