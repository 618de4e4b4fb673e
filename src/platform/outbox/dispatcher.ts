import type { Db } from '../database.ts';
import { nowIso } from '../ids.ts';
import { enqueue } from '../jobs/enqueue.ts';
import { claimPendingEvents, markDispatched } from './store.ts';

/** The payload of every job made from an outbox event. */
export interface OutboxEventPayload {
  eventId: string;
  type: string;
  objectType: string;
  objectId: string;
  occurredAt: string;
  payload: unknown;
}

/** Which jobs follow which events. Built once by the app and handed to the dispatcher. */
export class Subscriptions {
  private readonly byType = new Map<string, string[]>();

  subscribe(eventType: string, jobName: string): this {
    const names = this.byType.get(eventType) ?? [];
    if (!names.includes(jobName)) names.push(jobName);
    this.byType.set(eventType, names);
    return this;
  }

  subscribersOf(eventType: string): readonly string[] {
    return this.byType.get(eventType) ?? [];
  }

  jobNames(): string[] {
    return [...new Set([...this.byType.values()].flat())];
  }
}

/**
 * Turns pending events into jobs, one per subscriber, and marks the events dispatched, all in one
 * transaction. The unique key makes a repeated dispatch of the same event add nothing.
 * Returns how many events were dispatched; events nobody subscribes to count too.
 */
export async function dispatchEvents(db: Db, subscriptions: Subscriptions, options: { limit?: number } = {}): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const events = await claimPendingEvents(tx, options.limit ?? 100);
    for (const event of events) {
      const payload: OutboxEventPayload = {
        eventId: event.id,
        type: event.event_type,
        objectType: event.object_type,
        objectId: event.object_id,
        occurredAt: event.created_at,
        payload: JSON.parse(event.payload) as unknown,
      };
      for (const jobName of subscriptions.subscribersOf(event.event_type)) {
        await enqueue(tx, jobName, payload, { uniqueKey: `${event.id}:${jobName}` });
      }
    }
    await markDispatched(tx, events.map((e) => e.id), nowIso());
    return events.length;
  });
}
