import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';
import type { Db } from '../platform/database.ts';
import { newId } from '../platform/ids.ts';
import { localDate, localInputToDate } from '../platform/time.ts';
import { closingDaysOf } from '../site/opening-status.ts';
import * as store from '../social/store.ts';
import { percentile, responseTimes, showDuration } from './response-times.ts';
import { insertQuestion } from './testing/questions.ts';

const DAY = 24 * 60 * 60_000;
const MIN = 60_000;
/** Monday–Friday 08–16: the test accounts' own business hours. */
const HOURS = JSON.stringify([1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:00', closes: '16:00' })));

/** A recent working day (Tuesday–Thursday, no holiday), at least three days ago, inside the last 30 days. */
function recentWorkingDay(): string {
  for (let back = 3; back < 20; back++) {
    const date = localDate(new Date(Date.now() - back * DAY));
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (weekday >= 2 && weekday <= 4 && !closingDaysOf(Number(date.slice(0, 4))).some((h) => h.date === date)) return date;
  }
  throw new Error('no working day found');
}


async function testAccount(db: Db, handle: string, name: string): Promise<string> {
  const unit = await db.selectFrom('units').select('id').where('slug', '=', 'dagplejen').executeTakeFirstOrThrow();
  const group = await db.selectFrom('groups').select('id').where('name', '=', 'SoMe-redaktører i Dagplejen').executeTakeFirstOrThrow();
  const id = newId();
  await store.insertAccount(db, { id, network: 'facebook', handle, name, unit_id: unit.id, editor_group_id: group.id, adviser_group_id: null, requires_approval: 0, api_base: 'demo:facebook', business_hours: HOURS });
  return id;
}

describe('percentiles and durations', () => {
  it('the median and the 90th percentile interpolate between the nearest ranks', () => {
    expect(percentile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBeCloseTo(91);
    expect(percentile([42], 0.9)).toBe(42);
    expect(percentile([], 0.5)).toBeNull();
  });

  it('durations read as Danish', () => {
    expect(showDuration(45)).toBe('45 min');
    expect(showDuration(135)).toBe('2 t 15 min');
    expect(showDuration(120)).toBe('2 t');
    expect(showDuration(3 * 24 * 60)).toBe('3 dage');
    expect(showDuration(24 * 60 + 4 * 60)).toBe('1 dag 4 t');
    expect(showDuration(30 * 60, { days: false })).toBe('30 t');
    expect(showDuration(null)).toBe('–');
  });
});

describe.each(dialects)('response times (%s)', (dialect) => {
  let t: TestApp;
  let steady: string;
  let weekend: string;
  const ids: Record<string, string> = {};

  const signedIn = async (email: string) => {
    const b = new Browser(t.app);
    await b.signIn(email);
    return b;
  };
  const rowOf = ($: cheerio.CheerioAPI, table: string, name: string) =>
    $(`#${table} tbody tr`)
      .filter((_, el) => $(el).find('th').text().includes(name))
      .first()
      .find('td')
      .map((_, el) => $(el).text().replace(/\s+/g, ' ').trim())
      .get();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    steady = await testAccount(t.db, 'svartidstest', 'Svartidstest');
    weekend = await testAccount(t.db, 'weekendtest', 'Weekendtest');
    // Ten questions on a recent working day at 09:00, answered after 10, 20 … 100 minutes, all within the hours.
    const day = recentWorkingDay();
    const nine = localInputToDate(`${day}T09:00`)!;
    for (let i = 1; i <= 10; i++) {
      await insertQuestion(t.db, steady, { author: `Borger ${i}`, writtenAt: new Date(nine.getTime() + i * MIN), answeredAt: new Date(nine.getTime() + i * MIN + i * 10 * MIN), dueAt: new Date(nine.getTime() + 4 * 60 * MIN) });
    }
    // Unanswered: two overdue (the older one first on the page), one still within its deadline.
    const now = Date.now();
    ids.oldest = await insertQuestion(t.db, steady, { author: 'Gitte Gammel', writtenAt: new Date(now - 5 * DAY), dueAt: new Date(now - 4 * DAY), text: 'Hvornår tømmer I skraldet? Mit CPR er 010203-1234' });
    ids.newer = await insertQuestion(t.db, steady, { author: 'Niels Ny', writtenAt: new Date(now - 2 * DAY), dueAt: new Date(now - 60 * MIN) });
    await insertQuestion(t.db, steady, { author: 'Frida Frist', writtenAt: new Date(now - 30 * MIN), dueAt: new Date(now + 3 * 60 * MIN) });
  });
  afterAll(async () => t?.close());

  it('the dashboard shows the median and 90th percentile of the first answer per account, with the counts', async () => {
    const anne = await signedIn(DEMO.employee);
    const res = await anne.get('/admin/indbakke/svartider');
    expect(res.statusCode).toBe(200);
    const $ = cheerio.load(res.body);
    expect($('h1').text()).toBe('Svartider');
    expect($('main').text()).toContain('kontoens åbningstid');
    // Questions, answered (and unanswered), in time, overdue now, median and p90 in business time over calendar time.
    expect(rowOf($, 'svartider-konti', 'Svartidstest')).toEqual(['13', '10 3 ubesvaret', '100 %', '2 overskredet', '55 min kalendertid 55 min', '1 t 31 min kalendertid 1 t 31 min']);
    expect($('#f-dage option[selected]').text()).toBe('Seneste 30 dage');
  });

  it('the unit line pools the questions of all the unit’s accounts', async () => {
    const anne = await signedIn(DEMO.employee);
    const $ = cheerio.load((await anne.get('/admin/indbakke/svartider?dage=7')).body);
    const unit = rowOf($, 'svartider-enheder', 'Dagplejen');
    // The demo's Dagplejen page, the two test accounts: the ten answered ones are the only answers.
    expect(unit.slice(4)).toEqual(['55 min kalendertid 55 min', '1 t 31 min kalendertid 1 t 31 min']);
    expect($('#svartider-enheder th').text()).toContain('3 konti');
  });

  it('a question asked on Friday afternoon and answered on Monday morning took two business hours, not three days', async () => {
    // Friday 13 November 2026 15:00 to Monday 16 November 09:00, with hours 08–16.
    await insertQuestion(t.db, weekend, { author: 'Fredag Eftermiddag', writtenAt: localInputToDate('2026-11-13T15:00')!, answeredAt: localInputToDate('2026-11-16T09:00')!, dueAt: localInputToDate('2026-11-16T11:00')! });
    const accounts = (await store.listAccounts(t.db)).filter((a) => a.id === weekend);
    const figures = await responseTimes(t.db, accounts, { from: localInputToDate('2026-11-09T00:00')!, to: localInputToDate('2026-11-16T00:00')! });
    expect(figures.accounts[0]).toMatchObject({ questions: 1, answered: 1, businessMedian: 120, elapsedMedian: (2 * 24 + 18) * 60 });
    expect(showDuration(figures.accounts[0]!.businessMedian, { days: false })).toBe('2 t');
    expect(showDuration(figures.accounts[0]!.elapsedMedian)).toBe('2 dage 18 t');
  });

  it('overdue questions are listed now, the longest overdue first, highlighted and linking to the item', async () => {
    const anne = await signedIn(DEMO.employee);
    const res = await anne.get('/admin/indbakke/svartider');
    expect(res.body).not.toContain('010203-1234');
    const $ = cheerio.load(res.body);
    const listed = $('ol[aria-labelledby="overskredet"] > li');
    const authors = listed.map((_, el) => $(el).find('h3').text().trim()).get();
    expect(authors.indexOf('Gitte Gammel')).toBeLessThan(authors.indexOf('Niels Ny'));
    expect(authors).not.toContain('Frida Frist');
    expect(authors).not.toContain('Borger 1');
    const gitte = listed.filter((_, el) => $(el).find('h3').text().includes('Gitte Gammel'));
    expect(gitte.find('a').attr('href')).toBe(`/admin/indbakke/${ids.oldest}`);
    expect(gitte.find('.badge').text()).toContain('Overskredet');
    expect(gitte.text()).toContain('010203-****');
    expect(gitte.text()).toMatch(/overskredet med 4 dage/);
  });

  it('someone without rights to an account does not see its figures or its overdue questions', async () => {
    const anne = await signedIn(DEMO.employee);
    const $ = cheerio.load((await anne.get('/admin/indbakke/svartider')).body);
    const accounts = $('#svartider-konti tbody th').map((_, el) => $(el).text()).get();
    expect(accounts.join('\n')).toContain('Svartidstest');
    expect(accounts.filter((a) => a.startsWith('Tønder Kommune'))).toEqual([]);
    expect($('#svartider-enheder tbody th').text()).not.toContain('Kommunikationsafdelingen');

    const sofie = cheerio.load((await (await signedIn(DEMO.social)).get('/admin/indbakke/svartider')).body);
    expect(sofie('#svartider-konti tbody th').map((_, el) => sofie(el).text()).get()).toContain('Tønder Kommune (Facebook)Kommunikationsafdelingen');

    const karen = await signedIn(DEMO.school);
    const refused = await karen.get('/admin/indbakke/svartider');
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Kommunikationsafdelingen');
  });

  it('the head of a unit sees its accounts’ figures, but opens only items of accounts they may use', async () => {
    const karen = await t.db.selectFrom('people').select('id').where('email', '=', DEMO.school).executeTakeFirstOrThrow();
    await t.db.updateTable('units').set({ head_id: karen.id }).where('slug', '=', 'dagplejen').execute();
    try {
      const res = await (await signedIn(DEMO.school)).get('/admin/indbakke/svartider');
      expect(res.statusCode).toBe(200);
      const $ = cheerio.load(res.body);
      expect(rowOf($, 'svartider-konti', 'Svartidstest').slice(0, 2)).toEqual(['13', '10 3 ubesvaret']);
      expect($('#svartider-konti tbody th').map((_, el) => $(el).text()).get().filter((a) => a.startsWith('Tønder Kommune'))).toEqual([]);
      const gitte = $('ol[aria-labelledby="overskredet"] > li').filter((_, el) => $(el).find('h3').text().includes('Gitte Gammel'));
      expect(gitte.length).toBe(1);
      expect(gitte.find('a').length).toBe(0);
    } finally {
      await t.db.updateTable('units').set({ head_id: null }).where('slug', '=', 'dagplejen').execute();
    }
  });

  it('the inbox list links to the dashboard', async () => {
    const $ = cheerio.load((await (await signedIn(DEMO.employee)).get('/admin/indbakke')).body);
    expect($('a[href="/admin/indbakke/svartider"]').text()).toBe('Svartider');
  });
});
