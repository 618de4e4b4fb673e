import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../../test/support/databases.ts';
import { createDb } from '../db.ts';
import { dispatchEvents, Subscriptions } from './dispatcher.ts';
import { recordEvent } from './publish.ts';
import { pendingEventCount } from './store.ts';

describe.each(dialects)('the outbox dispatcher on %s', (dialect) => {
  let t: TestDatabase;
  const subscriptions = new Subscriptions()
    .subscribe('unit.updated', 'search.reindex')
    .subscribe('unit.updated', 'site.rebuild')
    .subscribe('person.created', 'mail.welcome');

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await t?.destroy();
  });
  beforeEach(async () => {
    await t.db.deleteFrom('jobs').execute();
    await t.db.deleteFrom('outbox').execute();
  });

  const record = () =>
    t.db.transaction().execute((tx) => recordEvent(tx, { type: 'unit.updated', objectType: 'unit', objectId: 'u1', payload: { field: 'name' } }));
  const jobs = () => t.db.selectFrom('jobs').selectAll().orderBy('name').execute();

  it('an event recorded in a transaction that rolls back is never dispatched', async () => {
    await expect(
      t.db.transaction().execute(async (tx) => {
        await recordEvent(tx, { type: 'unit.updated', objectType: 'unit', objectId: 'u1' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');

    expect(await dispatchEvents(t.db, subscriptions)).toBe(0);
    expect(await jobs()).toEqual([]);
    expect(await t.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
  });

  it('a committed event becomes one job per subscriber', async () => {
    const eventId = await record();
    expect(await pendingEventCount(t.db)).toBe(1);

    expect(await dispatchEvents(t.db, subscriptions)).toBe(1);

    const rows = await jobs();
    expect(rows.map((r) => [r.name, r.unique_key, r.status])).toEqual([
      ['search.reindex', `${eventId}:search.reindex`, 'pending'],
      ['site.rebuild', `${eventId}:site.rebuild`, 'pending'],
    ]);
    expect(JSON.parse(rows[0]!.payload)).toMatchObject({ eventId, type: 'unit.updated', objectType: 'unit', objectId: 'u1', payload: { field: 'name' } });
    expect(await pendingEventCount(t.db)).toBe(0);
  });

  it('an event nobody subscribes to is marked dispatched without jobs', async () => {
    await t.db.transaction().execute((tx) => recordEvent(tx, { type: 'nobody.cares', objectType: 'x', objectId: '1' }));
    expect(await dispatchEvents(t.db, subscriptions)).toBe(1);
    expect(await jobs()).toEqual([]);
    expect(await pendingEventCount(t.db)).toBe(0);
  });

  it('dispatching twice enqueues nothing twice', async () => {
    await record();
    expect(await dispatchEvents(t.db, subscriptions)).toBe(1);
    expect(await dispatchEvents(t.db, subscriptions)).toBe(0);
    expect(await jobs()).toHaveLength(2);

    // As if the mark had been lost: the event comes round again, and the unique keys keep the jobs single.
    await t.db.updateTable('outbox').set({ dispatched_at: null }).execute();
    expect(await dispatchEvents(t.db, subscriptions)).toBe(1);
    expect(await jobs()).toHaveLength(2);
  });

  it('two dispatchers at the same time dispatch each event once', async () => {
    for (let i = 0; i < 20; i++) await record();
    const otherDb = dialect === 'postgres' ? createDb(t.settings) : t.db;
    try {
      const counts = await Promise.all([dispatchEvents(t.db, subscriptions, { limit: 5 }), dispatchEvents(otherDb, subscriptions, { limit: 5 })]);
      expect(counts[0] + counts[1]).toBe(10);
      while ((await dispatchEvents(t.db, subscriptions)) > 0);
      expect(await jobs()).toHaveLength(40);
      expect(await pendingEventCount(t.db)).toBe(0);
    } finally {
      if (otherDb !== t.db) await otherDb.destroy();
    }
  });
});
