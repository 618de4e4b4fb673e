import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/seed.ts';
import type { Actor } from '../org/actor.ts';
import type { Db } from '../platform/database.ts';
import { createDb } from '../platform/db.ts';
import { JobRunner, type JobLogger } from '../platform/jobs/runner.ts';
import { createMailer } from '../platform/mail.ts';
import { dateToLocalInput, localDate } from '../platform/time.ts';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/support/databases.ts';
import { registerContentJobs } from './jobs.ts';
import type { ReminderDeps } from './review-reminders.ts';
import { createItem, PUBLISH_SCHEDULED_JOB, transition, UNPUBLISH_SCHEDULED_JOB } from './service.ts';
import * as store from './store.ts';

const silent: JobLogger = { info: () => {}, warn: () => {}, error: () => {} };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A form's local time two whole minutes ahead: the nearest the workflow accepts without a race at the boundary. */
const minutesAhead = (n = 2) => dateToLocalInput(new Date(Math.floor(Date.now() / MINUTE) * MINUTE + n * MINUTE));

const sleepUntil = async (iso: string) => {
  const ms = Date.parse(iso) - Date.now();
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms + 50));
};

describe.each(dialects)('scheduled publishing (%s)', (dialect) => {
  let t: TestDatabase;
  let web: Actor, intra: Actor;
  let kom: string;
  let deps: ReminderDeps;
  let dataDir: string;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedDemo(t.db);
    // The demo leaves notification mails in the queue; this test runs the publishing jobs alone.
    await t.db.updateTable('jobs').set({ status: 'done' }).where('status', '=', 'pending').execute();
    [web, intra] = [await actorByEmail(t.db, DEMO.web), await actorByEmail(t.db, DEMO.intranet)];
    kom = await unitId(t.db, 'kommunikation');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-scheduled-'));
    deps = { mailer: createMailer({ smtp: null, dataDir }, silent), baseUrl: 'http://localhost:3000', logger: silent };
  });
  afterAll(async () => {
    await t?.destroy();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const runnerOn = (db: Db) => {
    const runner = new JobRunner({ db, logger: silent, pollMs: 20 });
    registerContentJobs(runner, deps);
    return runner;
  };

  async function approved(db: Db, title: string): Promise<string> {
    const { id } = await createItem(db, web, 'news', newsInput(kom, { title }));
    await transition(db, web, id, 'submit');
    await transition(db, intra, id, 'approve');
    return id;
  }

  const planned = (db: Db, jobName: string, id: string) =>
    db.selectFrom('jobs').selectAll().where('name', '=', jobName).where('payload', 'like', `%${id}%`).orderBy('run_at').execute();

  /**
   * The workflow only takes whole future minutes; this brings one plan forward to `at`, keeping the item's
   * time, the job's time and the job's payload equal, as scheduling itself leaves them.
   */
  async function bringForward(db: Db, jobName: string, id: string, from: string, at: string): Promise<void> {
    const column = jobName === PUBLISH_SCHEDULED_JOB ? 'publish_at' : 'unpublish_at';
    await db.updateTable('items').set({ [column]: at }).where('id', '=', id).execute();
    await db
      .updateTable('jobs')
      .set({ run_at: at, payload: JSON.stringify({ itemId: id, at }) })
      .where('unique_key', '=', `${jobName}:${id}:${from}`)
      .execute();
  }

  /** Brings a job's time forward without touching the item, as when a plan was changed after the job was added. */
  const makeDue = (db: Db, jobName: string, id: string, at: string) =>
    db.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000).toISOString() }).where('unique_key', '=', `${jobName}:${id}:${at}`).execute();

  const events = async (db: Db, id: string) =>
    (await db.selectFrom('outbox').select('event_type').where('object_id', '=', id).orderBy('created_at').execute()).map((e) => e.event_type);

  it('scheduled publishing runs from the durable job runner at the minute and survives restarts', async () => {
    const first = createDb(t.settings);
    const before = runnerOn(first);
    before.start();
    const id = await approved(first, 'Julemarked på Torvet');
    await transition(first, intra, id, 'schedule', { at: minutesAhead() });
    const item = (await store.findItem(first, id))!;
    expect(item.state).toBe('scheduled');
    const soon = new Date(Date.now() + 1500).toISOString();
    await bringForward(first, PUBLISH_SCHEDULED_JOB, id, item.publish_at!, soon);

    // The process stops before the time.
    await before.stop();
    await first.destroy();

    const second = createDb(t.settings);
    try {
      expect((await store.findItem(second, id))!).toMatchObject({ state: 'scheduled', live_revision: null, publish_at: soon });
      const after = runnerOn(second);
      await sleepUntil(soon);
      expect(await after.runDue()).toBe(1);

      expect((await store.findItem(second, id))!).toMatchObject({ state: 'published', live_revision: 1, publish_at: null });
      expect(await events(second, id)).toContain('item.published');
      const audit = await second.selectFrom('audit_log').select(['action', 'actor_label']).where('object_id', '=', id).orderBy('seq', 'desc').executeTakeFirstOrThrow();
      expect(audit).toEqual({ action: 'item.publish_scheduled', actor_label: 'system' });
      expect((await planned(second, PUBLISH_SCHEDULED_JOB, id)).map((j) => j.status)).toEqual(['done']);
    } finally {
      await second.destroy();
    }
  });

  it('a changed plan makes the old job do nothing', async () => {
    const runner = runnerOn(t.db);
    const id = await approved(t.db, 'Borgermøde om ny skole');

    // Planned, then called off: the job comes due and leaves the item alone.
    await transition(t.db, intra, id, 'schedule', { at: minutesAhead(2) });
    const calledOff = (await store.findItem(t.db, id))!.publish_at!;
    await transition(t.db, intra, id, 'unschedule');
    await makeDue(t.db, PUBLISH_SCHEDULED_JOB, id, calledOff);
    expect(await runner.runDue()).toBe(1);
    expect((await store.findItem(t.db, id))!).toMatchObject({ state: 'approved', live_revision: null });

    // Planned for one minute and moved to the next: only the new plan publishes.
    await transition(t.db, intra, id, 'schedule', { at: minutesAhead(3) });
    const old = (await store.findItem(t.db, id))!.publish_at!;
    await transition(t.db, intra, id, 'unschedule');
    await transition(t.db, intra, id, 'schedule', { at: minutesAhead(4) });
    const plan = (await store.findItem(t.db, id))!.publish_at!;
    await makeDue(t.db, PUBLISH_SCHEDULED_JOB, id, old);
    expect(await runner.runDue()).toBe(1);
    expect((await store.findItem(t.db, id))!).toMatchObject({ state: 'scheduled', live_revision: null, publish_at: plan });
    expect(await events(t.db, id)).not.toContain('item.published');

    const soon = new Date(Date.now() + 200).toISOString();
    await bringForward(t.db, PUBLISH_SCHEDULED_JOB, id, plan, soon);
    await sleepUntil(soon);
    expect(await runner.runDue()).toBe(1);
    expect((await store.findItem(t.db, id))!).toMatchObject({ state: 'published', live_revision: 1 });
    expect((await events(t.db, id)).filter((e) => e === 'item.published')).toHaveLength(1);
  });

  it('scheduled unpublishing runs from the job runner after a restart, and only as last planned', async () => {
    const first = createDb(t.settings);
    const id = await approved(first, 'Tilbud om gratis svømning');
    await transition(first, intra, id, 'publish');
    await transition(first, intra, id, 'schedule_unpublish', { at: minutesAhead(2), reason: 'withdrawn', note: 'Tilbuddet er udløbet.' });
    const replaced = (await store.findItem(first, id))!.unpublish_at!;
    await transition(first, intra, id, 'schedule_unpublish', { at: minutesAhead(3), reason: 'withdrawn', note: 'Tilbuddet er udløbet.' });
    const plan = (await store.findItem(first, id))!.unpublish_at!;
    const soon = new Date(Date.now() + 1500).toISOString();
    await bringForward(first, UNPUBLISH_SCHEDULED_JOB, id, plan, soon);
    // The superseded plan's job comes due as well, and must not count.
    await makeDue(first, UNPUBLISH_SCHEDULED_JOB, id, replaced);
    await first.destroy();

    const second = createDb(t.settings);
    try {
      const runner = runnerOn(second);
      expect(await runner.runDue()).toBe(1);
      expect((await store.findItem(second, id))!).toMatchObject({ state: 'published', live_revision: 1, unpublish_at: soon });

      await sleepUntil(soon);
      expect(await runner.runDue()).toBe(1);
      expect((await store.findItem(second, id))!).toMatchObject({ state: 'archived', live_revision: null, unpublish_at: null, unpublish_reason: 'withdrawn' });
      expect(await events(second, id)).toContain('item.unpublished');
      expect(await second.selectFrom('live_placements').select('item_id').where('item_id', '=', id).execute()).toEqual([]);
    } finally {
      await second.destroy();
    }
  });
});

describe.each(dialects)('the screens "Planlagt" and "Forældet indhold" (%s)', (dialect) => {
  let t: TestApp;
  let browser: Browser;
  let web: Actor, intra: Actor;
  let sih: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    [web, intra] = [await actorByEmail(t.db, DEMO.web), await actorByEmail(t.db, DEMO.intranet)];
    sih = await unitId(t.db, 'sekretariat-it-og-hr');
    browser = new Browser(t.app);
    await browser.signIn(DEMO.web);
  });
  afterAll(async () => t?.close());

  it('"Planlagt" lists a scheduled item with its time in Copenhagen and a link to it', async () => {
    const { id } = await createItem(t.db, web, 'news', newsInput(sih, { title: 'Nytårskur på Rådhuset' }));
    await transition(t.db, web, id, 'submit');
    await transition(t.db, intra, id, 'approve');
    // Next January, so always in the future and always winter time (UTC+1).
    const year = new Date().getUTCFullYear() + 1;
    await transition(t.db, intra, id, 'schedule', { at: `${year}-01-15T10:00` });

    const res = await browser.get('/admin/indhold/planlagt');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Planlagt</h1>');
    const row = res.body.slice(res.body.indexOf(`${year}-01-15T09:00:00.000Z`));
    expect(row).toMatch(new RegExp(`^${year}-01-15T09:00:00\\.000Z">15\\. januar ${year} kl\\. 10\\.00</time>`));
    expect(row.slice(0, row.indexOf('</tr>'))).toContain(`<a href="/admin/indhold/${id}">Nytårskur på Rådhuset</a>`);
    expect(row.slice(0, row.indexOf('</tr>'))).toContain('Udgives');
  });

  it('"Forældet indhold" lists an item past its review-by date, and not one that is still in date', async () => {
    const old = (await createItem(t.db, web, 'news', newsInput(sih, { title: 'Vejarbejde på Storegade', reviewBy: localDate(new Date(Date.now() - 10 * DAY)) }))).id;
    const fresh = (await createItem(t.db, web, 'news', newsInput(sih, { title: 'Ny cykelsti langs Vidåen', reviewBy: localDate(new Date(Date.now() + 10 * DAY)) }))).id;

    // Jonas belongs to Sekretariat, IT og HR, so his own units are the default.
    const res = await browser.get('/admin/indhold/foraeldet');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Forældet indhold</h1>');
    expect(res.body).toContain('<option value="mine" selected>');
    expect(res.body).toContain(`<a href="/admin/indhold/${old}">Vejarbejde på Storegade</a>`);
    expect(res.body).not.toContain(fresh);

    const other = await browser.get(`/admin/indhold/foraeldet?enhed=${await unitId(t.db, 'kultur-og-fritid')}`);
    expect(other.statusCode).toBe(200);
    expect(other.body).not.toContain(old);
  });

  it('both screens are for editors only', async () => {
    const employee = new Browser(t.app);
    await employee.signIn(DEMO.employee);
    expect((await employee.get('/admin/indhold/planlagt')).statusCode).toBe(403);
    expect((await employee.get('/admin/indhold/foraeldet')).statusCode).toBe(403);
  });
});
