import type { Selectable } from 'kysely';
import type { Timestamp } from '../platform/tables.ts';

export interface SessionsTable {
  /** SHA-256 of the cookie value, so a leaked table cannot be replayed. */
  id: string;
  person_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
  method: string;
}

export type SessionRow = Selectable<SessionsTable>;
