import type { Tx } from '../database.ts';
import { newId, nowIso } from '../ids.ts';
import { insertEvent } from './store.ts';

export interface OutboxEventInput {
  /** E.g. "unit.updated". */
  type: string;
  objectType: string;
  objectId: string;
  payload?: object;
}

/**
 * Records that something happened. Takes a transaction on purpose: the event must commit or roll back
 * together with the change it describes. Returns the event's id.
 */
export async function recordEvent(tx: Tx, event: OutboxEventInput): Promise<string> {
  const id = newId();
  await insertEvent(tx, {
    id,
    event_type: event.type,
    object_type: event.objectType,
    object_id: event.objectId,
    payload: JSON.stringify(event.payload ?? {}),
    created_at: nowIso(),
    dispatched_at: null,
  });
  return id;
}
