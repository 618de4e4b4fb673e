import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';
import { JobRunner } from '../platform/jobs/runner.ts';
import { createBorgerdkClient } from './client.ts';
import { nextRefreshTime, REFRESH_ALL_JOB, REFRESH_ARTICLE_JOB, registerBorgerdkJobs, scheduleBorgerdkRefresh } from './jobs.ts';
import { contractArticle } from './testing/articles.ts';
import { type ContractServer, startContractServer } from './testing/contract-server.ts';

const quiet = { info() {}, warn() {}, error() {} };

describe('the nightly refresh time', () => {
  it('is 05:00 Copenhagen time, the same night or the next, in winter and in summer', () => {
    expect(nextRefreshTime(new Date('2026-01-10T02:00:00Z'))).toEqual({ day: '2026-01-10', at: new Date('2026-01-10T04:00:00Z') });
    expect(nextRefreshTime(new Date('2026-01-10T04:00:00Z'))).toEqual({ day: '2026-01-11', at: new Date('2026-01-11T04:00:00Z') });
    expect(nextRefreshTime(new Date('2026-07-10T12:00:00Z'))).toEqual({ day: '2026-07-11', at: new Date('2026-07-11T03:00:00Z') });
  });
});

describe.each(dialects)('the nightly refresh of articles from borger.dk (%s)', (dialect) => {
  let t: TestApp;
  let server: ContractServer;
  let runner: JobRunner;

  beforeAll(async () => {
    server = await startContractServer([contractArticle(1580), contractArticle(1617), contractArticle(2201)]);
    t = await createTestApp(dialect, { MEDIEHUS_BORGERDK_URL: server.url });
    runner = new JobRunner({ db: t.db, logger: quiet, concurrency: 10 });
    registerBorgerdkJobs(runner, createBorgerdkClient(t.config.borgerdk));
  });
  afterAll(async () => {
    await runner?.stop();
    await t?.close();
    await server?.close();
  });

  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const row = (articleId: number) => t.db.selectFrom('borgerdk_articles').selectAll().where('article_id', '=', articleId).executeTakeFirstOrThrow();
  const jobs = (name: string) => t.db.selectFrom('jobs').selectAll().where('name', '=', name).orderBy('run_at').execute();

  /** Last night's run, due now, as if the process had been asleep at 05:00. */
  async function runLastNight() {
    await scheduleBorgerdkRefresh(t.db, new Date(Date.now() - 25 * 60 * 60 * 1000));
    expect(await runner.runDue()).toBeGreaterThan(0);
    while ((await runner.runDue()) > 0);
  }

  it('updates an article that changed on borger.dk, so its page shows the new text, and plans the next night', async () => {
    expect((await get('/borger/boligstoette')).body).toContain('Hvem kan få boligstøtte?');
    const [unchangedBefore, changedBefore] = [await row(1617), await row(2201)];
    const updatesOf = async (id: string) =>
      t.db.selectFrom('audit_log').select(['action', 'actor_label']).where('object_id', '=', id).where('action', '=', 'borgerdk.article_updated').execute();
    const [unchangedEntries, changedEntries] = [(await updatesOf(unchangedBefore.id)).length, (await updatesOf(changedBefore.id)).length];
    const original = contractArticle(2201);
    server.put({ ...original, LastUpdated: '2026-11-20T09:30:00', Content: original.Content.replace('Hvem kan få boligstøtte?', 'Hvem kan søge boligstøtte?') });

    await runLastNight();

    const changed = await row(2201);
    expect(changed.last_updated_at).toBe('2026-11-20T08:30:00.000Z');
    expect(changed.fetched_at! > changedBefore.fetched_at!).toBe(true);
    expect(changed.content).toContain('Hvem kan søge boligstøtte?');
    const page = (await get('/borger/boligstoette')).body;
    expect(page).toContain('Hvem kan søge boligstøtte?');
    expect(page).toContain('senest opdateret <time datetime="2026-11-20T08:30:00.000Z">20. november 2026</time>');
    // Fetched again, but the same: no audit entry, nothing else changed.
    expect((await row(1617)).content_hash).toBe(unchangedBefore.content_hash);
    expect((await updatesOf(changed.id)).slice(changedEntries)).toEqual([{ action: 'borgerdk.article_updated', actor_label: 'system' }]);
    expect(await updatesOf(unchangedBefore.id)).toHaveLength(unchangedEntries);

    expect((await jobs(REFRESH_ARTICLE_JOB)).every((j) => j.status === 'done')).toBe(true);
    const planned = (await jobs(REFRESH_ALL_JOB)).filter((j) => j.status === 'pending');
    expect(planned).toHaveLength(1);
    expect(Date.parse(planned[0]!.run_at)).toBeGreaterThan(Date.now());
  });

  it('when borger.dk fails at night, the article keeps its last good copy, shows the error and is tried again later', async () => {
    const before = await row(1580);
    await t.db.deleteFrom('jobs').execute();
    server.mode = 'fault';
    try {
      await runLastNight();
    } finally {
      server.mode = 'normal';
    }
    const after = await row(1580);
    expect(after).toMatchObject({ content: before.content, fetched_at: before.fetched_at, last_error: 'borger.dk afviste forespørgslen: An error occurred while exporting articles.' });
    const retry = (await jobs(REFRESH_ARTICLE_JOB)).find((j) => JSON.parse(j.payload).articleId === 1580)!;
    expect(retry).toMatchObject({ status: 'pending', attempts: 1, last_error: 'borger.dk afviste forespørgslen: An error occurred while exporting articles.' });
    const wait = Date.parse(retry.run_at) - Date.now();
    expect(wait).toBeGreaterThan(14 * 60 * 1000);
    expect(wait).toBeLessThanOrEqual(15 * 60 * 1000);

    // The retry, once due, succeeds and clears the error.
    await t.db.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', retry.id).execute();
    await runner.runDue();
    expect((await row(1580)).last_error).toBeNull();
  });
});
