import type { Insertable, Selectable } from 'kysely';

/** Times are ISO-8601 UTC strings ("2026-11-26T12:00:00.000Z") on both engines; booleans are 0/1. */
export type Timestamp = string;
export type Flag = number;

export interface AuditLogTable {
  seq: number;
  at: Timestamp;
  actor_id: string | null;
  actor_label: string;
  action: string;
  object_type: string;
  object_id: string | null;
  ip: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

export interface JobsTable {
  id: string;
  name: string;
  payload: string;
  run_at: Timestamp;
  attempts: number;
  max_attempts: number;
  status: 'pending' | 'running' | 'done' | 'failed';
  locked_by: string | null;
  locked_until: Timestamp | null;
  last_error: string | null;
  unique_key: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OutboxTable {
  id: string;
  event_type: string;
  object_type: string;
  object_id: string;
  payload: string;
  created_at: Timestamp;
  dispatched_at: Timestamp | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export type AuditRow = Selectable<AuditLogTable>;
export type JobRow = Selectable<JobsTable>;
export type NewJob = Insertable<JobsTable>;
export type OutboxRow = Selectable<OutboxTable>;
