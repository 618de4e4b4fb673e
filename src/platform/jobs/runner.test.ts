import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../../test/support/databases.ts';
import { createDb } from '../db.ts';
import { Subscriptions, type OutboxEventPayload } from '../outbox/dispatcher.ts';
import { recordEvent } from '../outbox/publish.ts';
import { enqueue } from './enqueue.ts';
import { JobRunner } from './runner.ts';
import { claimDueJobs, countJobsByStatus, listJobs, markDone } from './store.ts';
import { memoryLogger } from '../../../test/support/loggers.ts';


const past = () => new Date(Date.now() - 1000).toISOString();

describe.each(dialects)('the job runner on %s', (dialect) => {
  let t: TestDatabase;

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

  const job = (id: string) => t.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const makeDue = (id: string) => t.db.updateTable('jobs').set({ run_at: past() }).where('id', '=', id).execute();
  const runner = (options: Partial<ConstructorParameters<typeof JobRunner>[0]> = {}) => new JobRunner({ db: t.db, logger: memoryLogger(), ...options });

  it('a job runs once and is marked done', async () => {
    const seen: unknown[] = [];
    const r = runner().register<{ to: string }>('mail.send', async (payload) => void seen.push(payload));
    const id = await enqueue(t.db, 'mail.send', { to: 'a@example.dk' });

    expect(await r.runDue()).toBe(1);
    expect(await r.runDue()).toBe(0);

    expect(seen).toEqual([{ to: 'a@example.dk' }]);
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 1, locked_by: null, locked_until: null, last_error: null });
    expect(await countJobsByStatus(t.db)).toEqual({ pending: 0, running: 0, done: 1, failed: 0 });
  });

  it('a failing job is retried with growing delays and marked failed after max attempts', async () => {
    const logger = memoryLogger();
    let calls = 0;
    const r = runner({ logger }).register('flaky', async () => {
      calls++;
      throw new Error(`boom ${calls}`);
    });
    const id = await enqueue(t.db, 'flaky', { secret: 'hunter2' }, { maxAttempts: 3 });

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
      const before = Date.now();
      await r.runDue();
      const row = await job(id);
      expect(row).toMatchObject({ status: 'pending', attempts: attempt, last_error: `boom ${attempt}`, locked_by: null });
      delays.push(Date.parse(row.run_at) - before);
      expect(await r.runDue()).toBe(0);
      await makeDue(id);
    }
    // 10 s then 20 s, each less up to 10 % jitter.
    expect(delays[0]).toBeGreaterThanOrEqual(9_000);
    expect(delays[0]).toBeLessThanOrEqual(12_000);
    expect(delays[1]).toBeGreaterThanOrEqual(18_000);
    expect(delays[1]).toBeLessThanOrEqual(22_000);

    await r.runDue();
    expect(await job(id)).toMatchObject({ status: 'failed', attempts: 3, last_error: 'boom 3' });
    expect(calls).toBe(3);
    expect(await r.runDue()).toBe(0);
    expect(JSON.stringify(logger.lines)).not.toContain('hunter2');
    expect(logger.lines.at(-1)).toMatchObject({ level: 'error', obj: { jobId: id, jobName: 'flaky', attempt: 3, err: 'boom 3' } });
  });

  it('an error with retryAfter is retried at the time it asks for', async () => {
    const at = new Date(Date.now() + 5 * 60 * 1000);
    const r = runner()
      .register('limited', async () => {
        throw Object.assign(new Error('rate limited'), { retryAfter: at });
      })
      .register('limited.ms', async () => {
        throw Object.assign(new Error('rate limited'), { retryAfter: 90_000 });
      });
    const id = await enqueue(t.db, 'limited', {});
    const msId = await enqueue(t.db, 'limited.ms', {});
    const before = Date.now();
    await r.runDue();

    expect((await job(id)).run_at).toBe(at.toISOString());
    const msDelay = Date.parse((await job(msId)).run_at) - before;
    expect(msDelay).toBeGreaterThanOrEqual(90_000);
    expect(msDelay).toBeLessThan(95_000);
  });

  it('a job whose name has no handler is marked failed with a clear message', async () => {
    const id = await enqueue(t.db, 'nobody.handles.this', {});
    await runner().runDue();
    expect(await job(id)).toMatchObject({ status: 'failed', last_error: 'No handler is registered for job "nobody.handles.this"' });
  });

  it('a job scheduled for later does not run before its time', async () => {
    let calls = 0;
    const r = runner().register('later', async () => void calls++);
    const id = await enqueue(t.db, 'later', {}, { runAt: new Date(Date.now() + 60 * 60 * 1000) });

    expect(await r.runDue()).toBe(0);
    expect(calls).toBe(0);
    expect(await job(id)).toMatchObject({ status: 'pending', attempts: 0 });

    await makeDue(id);
    expect(await r.runDue()).toBe(1);
    expect(calls).toBe(1);
  });

  it('jobs survive a restart', async () => {
    const first = createDb(t.settings);
    const id = await enqueue(first, 'survivor', { n: 1 });
    await first.destroy();

    const second = createDb(t.settings);
    try {
      const seen: unknown[] = [];
      const r = new JobRunner({ db: second, logger: memoryLogger() }).register('survivor', async (payload) => void seen.push(payload));
      expect(await r.runDue()).toBe(1);
      expect(seen).toEqual([{ n: 1 }]);
      expect((await second.selectFrom('jobs').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('done');
    } finally {
      await second.destroy();
    }
  });

  it('a job whose lease expired is claimed again', async () => {
    let calls = 0;
    const r = runner({ workerId: 'healthy' }).register('lease', async () => void calls++);
    const id = await enqueue(t.db, 'lease', {});
    const [claimed] = await claimDueJobs(t.db, { workerId: 'crashed', leaseMs: 60_000, limit: 10 });
    expect(claimed).toMatchObject({ id, status: 'running', locked_by: 'crashed', attempts: 1 });

    expect(await r.runDue()).toBe(0);

    await t.db.updateTable('jobs').set({ locked_until: past() }).where('id', '=', id).execute();
    expect(await r.runDue()).toBe(1);
    expect(calls).toBe(1);
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 2, locked_by: null });
  });

  it('a job whose worker crashed during its last attempt is marked failed, not run again', async () => {
    let calls = 0;
    const r = runner().register('crashy', async () => void calls++);
    const id = await enqueue(t.db, 'crashy', {}, { maxAttempts: 1 });
    await claimDueJobs(t.db, { workerId: 'crashed', leaseMs: 60_000, limit: 10 });
    await t.db.updateTable('jobs').set({ locked_until: past() }).where('id', '=', id).execute();

    await r.runDue();
    expect(calls).toBe(0);
    expect(await job(id)).toMatchObject({ status: 'failed', last_error: 'Lease expired during the last attempt (1 of 1)' });
  });

  it('a worker whose lease was taken over cannot overwrite the new owner', async () => {
    const id = await enqueue(t.db, 'slow', {});
    const [stale] = await claimDueJobs(t.db, { workerId: 'old', leaseMs: 60_000, limit: 10 });
    await t.db.updateTable('jobs').set({ locked_until: past() }).where('id', '=', id).execute();
    await claimDueJobs(t.db, { workerId: 'new', leaseMs: 60_000, limit: 10 });

    expect(await markDone(t.db, stale!)).toBe(false);
    expect(await job(id)).toMatchObject({ status: 'running', locked_by: 'new', attempts: 2 });
  });

  it('a uniqueKey job is enqueued only once', async () => {
    const first = await enqueue(t.db, 'digest', { day: 1 }, { uniqueKey: 'digest:2026-11-26' });
    const second = await enqueue(t.db, 'digest', { day: 2 }, { uniqueKey: 'digest:2026-11-26' });
    const other = await enqueue(t.db, 'digest', { day: 3 }, { uniqueKey: 'digest:2026-11-27' });

    expect(second).toBe(first);
    expect(other).not.toBe(first);
    const rows = await listJobs(t.db);
    expect(rows.map((r) => r.id).sort()).toEqual([first, other].sort());
    expect(rows[0]).not.toHaveProperty('payload');
    expect((await job(first)).payload).toBe(JSON.stringify({ day: 1 }));
  });

  it('two runners claiming at the same time never run the same job twice', async () => {
    const ran = new Map<string, number>();
    const handler = async (_payload: unknown, ctx: { job: { id: string } }) => {
      ran.set(ctx.job.id, (ran.get(ctx.job.id) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 2));
    };
    // On PostgreSQL each runner gets its own pool, as two processes would; SQLite has one writer anyway.
    const otherDb = dialect === 'postgres' ? createDb(t.settings) : t.db;
    try {
      const a = new JobRunner({ db: t.db, logger: memoryLogger(), workerId: 'a', concurrency: 5 }).register('count', handler);
      const b = new JobRunner({ db: otherDb, logger: memoryLogger(), workerId: 'b', concurrency: 5 }).register('count', handler);
      const ids: string[] = [];
      for (let i = 0; i < 50; i++) ids.push(await enqueue(t.db, 'count', { i }));

      for (let round = 0; round < 20 && ran.size < ids.length; round++) {
        await Promise.all([a.runDue(), b.runDue()]);
      }

      expect(ran.size).toBe(50);
      expect([...ran.values()].every((n) => n === 1)).toBe(true);
      expect((await countJobsByStatus(t.db)).done).toBe(50);
      const rows = await t.db.selectFrom('jobs').select('attempts').execute();
      expect(rows.every((row) => row.attempts === 1)).toBe(true);
    } finally {
      if (otherDb !== t.db) await otherDb.destroy();
    }
  });

  it('a started runner dispatches outbox events, runs their jobs and stops cleanly', async () => {
    const subscriptions = new Subscriptions().subscribe('unit.updated', 'unit.notify');
    let resolveSeen: (payload: OutboxEventPayload) => void = () => {};
    const seen = new Promise<OutboxEventPayload>((resolve) => (resolveSeen = resolve));
    const r = runner({ pollMs: 10, subscriptions }).register<OutboxEventPayload>('unit.notify', async (payload) => resolveSeen(payload));

    const eventId = await t.db.transaction().execute((tx) => recordEvent(tx, { type: 'unit.updated', objectType: 'unit', objectId: 'u1', payload: { name: 'Borgerservice' } }));
    r.start();
    const payload = await seen;
    await r.stop();

    expect(payload).toMatchObject({ eventId, type: 'unit.updated', objectType: 'unit', objectId: 'u1', payload: { name: 'Borgerservice' } });
    expect(await countJobsByStatus(t.db)).toMatchObject({ done: 1 });

    const id = await enqueue(t.db, 'unit.notify', {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await job(id)).status).toBe('pending');
  });
});
