import { createHash } from 'node:crypto';

export interface AuditEntryInput {
  actorId: string | null;
  actorLabel: string;
  action: string;
  objectType: string;
  objectId: string | null;
  ip: string | null;
  details?: Record<string, unknown>;
}

export interface ChainedFields {
  seq: number;
  at: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  object_type: string;
  object_id: string | null;
  ip: string | null;
  details: string;
  prev_hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The hash covers every field of the row and the previous row's hash, so any change or deletion breaks the chain. */
export function chainHash(row: ChainedFields): string {
  const canonical = JSON.stringify([
    row.seq, row.at, row.actor_id, row.actor_label, row.action, row.object_type, row.object_id, row.ip, row.details, row.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
