import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorByEmail } from '../../test/support/content.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/support/databases.ts';
import { parseContent, saveItem, transition } from '../content/service.ts';
import { seedDemo } from '../demo/seed.ts';
import { NEWS_PUBLISHED_JOB } from '../notifications/news.ts';
import { registerNotificationJobs } from '../notifications/jobs.ts';
import { JobRunner } from '../platform/jobs/runner.ts';
import type { Mailer } from '../platform/mail.ts';
import { dispatchEvents, Subscriptions } from '../platform/outbox/dispatcher.ts';
import { ANNOUNCE_JOB, nextReminderRun, REMINDERS_JOB, scheduleReminders, sendDueReminders } from './announce.ts';
import { registerMustReadJobs } from './jobs.ts';
import { acknowledgeAs, type Forsyning, publishMustRead, seedForsyning } from './testing/forsyning.ts';

const DAY = 24 * 60 * 60 * 1000;
const logger = pino({ level: 'silent' });

describe.each(dialects)('telling and reminding the audience of a must-read (%s)', (dialect) => {
  let t: TestDatabase;
  let f: Forsyning;
  let runner: JobRunner;
  let subscriptions: Subscriptions;
  let rules: string;

  const runAll = async () => {
    await dispatchEvents(t.db, subscriptions);
    while ((await runner.runDue()) > 0) await dispatchEvents(t.db, subscriptions);
  };
  const notified = async (sourceKey: string) =>
    (await t.db.selectFrom('notifications').select(['person_id', 'kind', 'title', 'url']).where('source_key', '=', sourceKey).execute()).sort((a, b) => a.person_id.localeCompare(b.person_id));
  const ids = (...keys: (keyof Forsyning['people'])[]) => keys.map((k) => f.people[k]).sort();

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedDemo(t.db);
    // The demo's own outbox events are not what these tests are about.
    await t.db.updateTable('outbox').set({ dispatched_at: new Date().toISOString() }).where('dispatched_at', 'is', null).execute();
    f = await seedForsyning(t.db);
    subscriptions = new Subscriptions();
    runner = new JobRunner({ db: t.db, logger, subscriptions });
    const mailer: Mailer = { send: async () => ({ messageId: 'test', file: null }) };
    registerMustReadJobs(runner, subscriptions, { mailer, baseUrl: 'https://mediehus.toender.dk', logger });
    registerNotificationJobs(runner, subscriptions, { mailer, baseUrl: 'https://mediehus.toender.dk', logger });
  });
  afterAll(async () => t?.destroy());

  it('publishing a must-read notifies exactly the people in its audience, once, and not as news as well', async () => {
    rules = await publishMustRead(t.db, { title: 'Nye sikkerhedsregler på anlæggene', ownerUnitId: f.units.forsyning, audience: { unitIds: [f.units.forsyning] }, remindAfterDays: 3 });
    const jobs = await t.db.selectFrom('jobs').select('name').where('name', 'in', [ANNOUNCE_JOB, NEWS_PUBLISHED_JOB]).execute();
    expect(jobs).toHaveLength(0);
    await dispatchEvents(t.db, subscriptions);
    expect((await t.db.selectFrom('jobs').select('name').where('name', '=', ANNOUNCE_JOB).execute())).toHaveLength(1);
    await runAll();

    const rows = await notified(`must_read:${rules}`);
    expect(rows.map((r) => r.person_id)).toEqual(ids('aase', 'bo', 'carl', 'dorte', 'erik', 'frida'));
    const slug = (await t.db.selectFrom('items').select('slug').where('id', '=', rules).executeTakeFirstOrThrow()).slug;
    expect(rows.every((r) => r.kind === 'must_read' && r.title === 'Nye sikkerhedsregler på anlæggene' && r.url === `/intranet/nyheder/${slug}`)).toBe(true);
    expect(await notified(`news:${rules}`)).toEqual([]);
    const announcement = await t.db.selectFrom('must_read_announcements').select('people').where('item_id', '=', rules).executeTakeFirstOrThrow();
    expect(Number(announcement.people)).toBe(6);
  });

  it('a corrected re-publication tells nobody again', async () => {
    const intra = await actorByEmail(t.db, 'intra@demo.mediehus.dk');
    const web = await actorByEmail(t.db, 'web@demo.mediehus.dk');
    const latest = await t.db.selectFrom('items').select('latest_revision').where('id', '=', rules).executeTakeFirstOrThrow();
    const revision = await t.db.selectFrom('revisions').select('content').where('item_id', '=', rules).where('number', '=', latest.latest_revision).executeTakeFirstOrThrow();
    const content = parseContent(revision.content);
    await saveItem(t.db, intra, rules, { ...content, summary: 'Læs de rettede regler.' }, { baseRevision: latest.latest_revision, changeNote: 'Rettet', major: false });
    await transition(t.db, intra, rules, 'submit');
    await transition(t.db, web, rules, 'approve');
    await transition(t.db, web, rules, 'publish');
    await runAll();
    expect(await notified(`must_read:${rules}`)).toHaveLength(6);
  });

  it('an item that does not ask for acknowledgement notifies nobody as a must-read', async () => {
    const plain = await publishMustRead(t.db, { title: 'Kaffeautomaten er repareret', ownerUnitId: f.units.forsyning, audience: { unitIds: [f.units.forsyning] }, mustRead: false });
    await runAll();
    expect(await notified(`must_read:${plain}`)).toEqual([]);
    expect(await t.db.selectFrom('must_read_announcements').select('item_id').where('item_id', '=', plain).execute()).toEqual([]);
  });

  it('the reminder reaches only those who have not acknowledged, when its days have passed, and only once', async () => {
    for (const who of ['bo', 'dorte', 'frida'] as const) await acknowledgeAs(t.db, f.people[who], rules);
    const key = `must_read_reminder:${rules}:1`;
    expect(await sendDueReminders(t.db, new Date(Date.now() + 2 * DAY))).toEqual({ items: 0, people: 0 });
    expect(await notified(key)).toEqual([]);

    const due = new Date(Date.now() + 3 * DAY);
    expect(await sendDueReminders(t.db, due)).toEqual({ items: 1, people: 3 });
    const rows = await notified(key);
    expect(rows.map((r) => r.person_id)).toEqual(ids('aase', 'carl', 'erik'));
    expect(rows[0]!.title).toBe('Påmindelse: Nye sikkerhedsregler på anlæggene');

    // Carl reads it now; neither a second run the same day nor one the next day reminds anybody again.
    await acknowledgeAs(t.db, f.people.carl, rules);
    expect(await sendDueReminders(t.db, due)).toEqual({ items: 0, people: 0 });
    expect(await sendDueReminders(t.db, new Date(Date.now() + 4 * DAY))).toEqual({ items: 0, people: 0 });
    expect(await notified(key)).toHaveLength(3);
    const sent = await t.db.selectFrom('must_read_reminders').select(['round', 'people']).where('item_id', '=', rules).execute();
    expect(sent.map((s) => [Number(s.round), Number(s.people)])).toEqual([[1, 3]]);
  });

  it('the morning job runs at 08:00 Copenhagen time, once per date, and puts the next morning in the queue', async () => {
    // 06:30 UTC on a winter day is 07:30 in Copenhagen: the run is the same morning.
    expect(nextReminderRun(new Date('2026-12-01T06:30:00Z'))).toEqual({ date: '2026-12-01', at: new Date('2026-12-01T07:00:00Z') });
    // In summer 08:00 is 06:00 UTC; after it, the next is the following day.
    expect(nextReminderRun(new Date('2026-06-15T06:00:00Z'))).toEqual({ date: '2026-06-16', at: new Date('2026-06-16T06:00:00Z') });

    const past = new Date(Date.now() - 2 * DAY);
    await scheduleReminders(t.db, past);
    await scheduleReminders(t.db, past);
    const queued = await t.db.selectFrom('jobs').select(['unique_key', 'status']).where('name', '=', REMINDERS_JOB).execute();
    expect(queued).toHaveLength(1);
    await runAll();
    const after = await t.db.selectFrom('jobs').select(['unique_key', 'status', 'run_at']).where('name', '=', REMINDERS_JOB).orderBy('run_at').execute();
    expect(after.map((j) => j.status)).toEqual(['done', 'pending']);
    expect(after[1]!.unique_key).toBe(`${REMINDERS_JOB}:${nextReminderRun(new Date()).date}`);
    // The job found nothing due: the only must-read with a reminder was reminded already.
    expect(await notified(`must_read_reminder:${rules}:1`)).toHaveLength(3);
  });
});
