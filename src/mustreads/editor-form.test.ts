import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { unitId } from '../../test/support/content.ts';
import { dialects } from '../../test/support/databases.ts';
import { parseContent } from '../content/service.ts';

/** A news item for everyone on the intranet, as the editor's form sends it. */
const form = (ownerUnitId: string, overrides: Record<string, string> = {}): Record<string, string> => ({
  title: 'Husk at låse skærmen',
  summary: 'Lås altid din computer, når du går fra den.',
  body: 'Tryk Windows-tasten og L, når du går fra din plads.',
  ownerUnitId,
  contact: '',
  topics: 'IT',
  language: 'da',
  reviewBy: '',
  intranet: '1',
  intranetEveryone: '1',
  intranetMustRead: '1',
  intranetRemindAfterDays: '7',
  ...overrides,
});

const mustReadFields = (html: string) => {
  const $ = cheerio.load(html);
  return { checked: $('#f-intranetMustRead').is('[checked]'), days: $('#f-intranetRemindAfterDays').attr('value') ?? '', $ };
};

describe.each(dialects)('the must-read fields of the content editor (%s)', (dialect) => {
  let t: TestApp;
  let sih: string;
  let line: Browser;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    sih = await unitId(t.db, 'sekretariat-it-og-hr');
    line = new Browser(t.app);
    await line.signIn(DEMO.intranet);
  });
  afterAll(async () => t?.close());

  const placementOf = async (id: string) => {
    const item = await t.db.selectFrom('items').select('latest_revision').where('id', '=', id).executeTakeFirstOrThrow();
    const rev = await t.db.selectFrom('revisions').select('content').where('item_id', '=', id).where('number', '=', item.latest_revision).executeTakeFirstOrThrow();
    return parseContent(rev.content).placements.find((p) => p.channel === 'intranet');
  };

  it('the intranet placement offers the must-read choice and the days before a reminder, unticked and empty', async () => {
    const page = await line.get('/admin/indhold/ny/news');
    const { checked, days, $ } = mustReadFields(page.body);
    expect($('label[for="f-intranetMustRead"]').text().trim()).toBe('Skal læses og kvitteres af modtagerne');
    expect($('label[for="f-intranetRemindAfterDays"]').text()).toContain('Påmind dem, der ikke har kvitteret, efter antal dage');
    expect(checked).toBe(false);
    expect(days).toBe('');
  });

  it('a must-read is saved with its reminder and shown again as it was chosen, also after a preview', async () => {
    await line.get('/admin/indhold/ny/news');
    const preview = await line.post('/admin/indhold/ny/news', { ...form(sih), preview: '1' });
    expect(preview.statusCode).toBe(200);
    expect(mustReadFields(preview.body)).toMatchObject({ checked: true, days: '7' });

    const created = await line.post('/admin/indhold/ny/news', form(sih));
    expect(created.statusCode).toBe(303);
    const id = /\/admin\/indhold\/([^?]+)/.exec(String(created.headers.location))![1]!;
    expect(await placementOf(id)).toMatchObject({ channel: 'intranet', everyone: true, mustRead: true, remindAfterDays: 7 });
    const page = await line.get(`/admin/indhold/${id}`);
    expect(mustReadFields(page.body)).toMatchObject({ checked: true, days: '7' });

    // Unticked and emptied: no longer a must-read, and no reminder.
    const base = /name="baseRevision" value="(\d+)"/.exec(page.body)![1]!;
    const saved = await line.post(`/admin/indhold/${id}`, { ...form(sih, { intranetMustRead: '', intranetRemindAfterDays: '' }), baseRevision: base });
    expect(saved.statusCode).toBe(303);
    const placement = await placementOf(id);
    expect(placement).toMatchObject({ channel: 'intranet', everyone: true });
    expect(placement && 'mustRead' in placement ? placement.mustRead : undefined).toBeUndefined();
    expect(mustReadFields((await line.get(`/admin/indhold/${id}`)).body)).toMatchObject({ checked: false, days: '' });
  });

  it('days that are no whole number, or too few, are refused in Danish, keep what was typed and save nothing', async () => {
    const before = (await t.db.selectFrom('items').select('id').execute()).length;
    await line.get('/admin/indhold/ny/news');
    const words = await line.post('/admin/indhold/ny/news', form(sih, { intranetRemindAfterDays: 'en uge' }));
    expect(words.statusCode).toBe(422);
    expect(words.body).toContain('Skriv et helt antal dage.');
    expect(words.body).toContain('href="#f-placements"');
    expect(mustReadFields(words.body)).toMatchObject({ checked: true, days: 'en uge' });
    const zero = await line.post('/admin/indhold/ny/news', form(sih, { intranetRemindAfterDays: '0' }));
    expect(zero.statusCode).toBe(422);
    expect(zero.body).toContain('Påmindelsen kan tidligst gå ud efter 1 dag.');
    expect(mustReadFields(zero.body)).toMatchObject({ checked: true, days: '0' });
    expect((await t.db.selectFrom('items').select('id').execute()).length).toBe(before);
  });

  it('an editor who may not place on the intranet saves the item without touching its must-read', async () => {
    await line.get('/admin/indhold/ny/news');
    const created = await line.post('/admin/indhold/ny/news', form(sih, { app: '1', appSection: 'nyheder' }));
    expect(created.statusCode).toBe(303);
    const id = /\/admin\/indhold\/([^?]+)/.exec(String(created.headers.location))![1]!;
    const rasmus = new Browser(t.app);
    await rasmus.signIn(DEMO.app);
    const page = await rasmus.get(`/admin/indhold/${id}`);
    const $ = cheerio.load(page.body);
    expect($('input[type="hidden"][name="intranetMustRead"]').attr('value')).toBe('1');
    expect($('input[type="hidden"][name="intranetRemindAfterDays"]').attr('value')).toBe('7');
    // What the app editor's form sends back: the hidden intranet fields as they came, and a new title.
    const sent: Record<string, string | string[]> = {};
    $('form.mh-editor-form')
      .serializeArray()
      .filter(({ name }) => name !== '_csrf' && name !== 'preview')
      .forEach(({ name, value }) => {
        const had = sent[name];
        sent[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
      });
    const saved = await rasmus.post(`/admin/indhold/${id}`, { ...sent, title: 'Husk altid at låse skærmen' });
    expect(saved.statusCode, saved.body.slice(0, 500)).toBe(303);
    expect(await placementOf(id)).toMatchObject({ channel: 'intranet', everyone: true, mustRead: true, remindAfterDays: 7 });
  });

  it('on a conflict the page names the must-read difference and the form keeps the editor’s own choice', async () => {
    await line.get('/admin/indhold/ny/news');
    const created = await line.post('/admin/indhold/ny/news', form(sih, { intranetMustRead: '', intranetRemindAfterDays: '' }));
    const id = /\/admin\/indhold\/([^?]+)/.exec(String(created.headers.location))![1]!;
    await line.get(`/admin/indhold/${id}`);
    // Someone else saves a newer revision meanwhile.
    const jonas = new Browser(t.app);
    await jonas.signIn(DEMO.web);
    await jonas.get(`/admin/indhold/${id}`);
    expect((await jonas.post(`/admin/indhold/${id}`, { ...form(sih, { intranetMustRead: '', intranetRemindAfterDays: '', title: 'Lås skærmen' }), baseRevision: '1' })).statusCode).toBe(303);

    const conflict = await line.post(`/admin/indhold/${id}`, { ...form(sih, { intranetRemindAfterDays: '10' }), baseRevision: '1' });
    expect(conflict.statusCode).toBe(409);
    const { checked, days, $ } = mustReadFields(conflict.body);
    expect({ checked, days }).toEqual({ checked: true, days: '10' });
    const placementRow = $('table.mh-conflict tr').filter((_, tr) => $(tr).find('th').text().startsWith('Placering'));
    expect(placementRow.find('td').eq(0).text()).not.toContain('skal læses');
    expect(placementRow.find('td').eq(1).text()).toContain('Intranet: alle medarbejdere; skal læses og kvitteres, påmindelse efter 10 dage');
  });
});
