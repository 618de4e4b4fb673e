import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';
import { notify } from './notify.ts';
import { unreadCount } from './service.ts';

describe.each(dialects)('the notification pages (%s)', (dialect) => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp(dialect);
    for (const [key, email] of Object.entries(DEMO)) {
      ids[key] = (await t.db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    }
  });
  afterAll(async () => t.close());

  async function as(email: string) {
    const b = new Browser(t.app);
    await b.signIn(email);
    return b;
  }

  /** Which frequency is checked in each group of the preference form. */
  function checkedChoices(html: string) {
    const $ = cheerio.load(html);
    return Object.fromEntries(['news', 'mention', 'must_read'].map((k) => [k, $(`input[type=radio][name="${k}"]:checked`).map((_, i) => $(i).attr('value')).get()]));
  }

  it('someone who writes to the municipality’s social media accounts can also choose how to hear about their posts', async () => {
    const b = await as(DEMO.social);
    const $ = cheerio.load((await b.get('/intranet/indstillinger/notifikationer')).body);
    expect($('fieldset legend').map((_, l) => $(l).text().trim()).get()).toContain('Dine opslag på sociale medier');
    const res = await b.post('/intranet/indstillinger/notifikationer', { news: 'off', mention: 'now', must_read: 'now', social: 'daily' });
    expect(res.statusCode).toBe(303);
    const again = cheerio.load((await b.get('/intranet/indstillinger/notifikationer')).body);
    expect(again('input[type=radio][name="social"]:checked').attr('value')).toBe('daily');
  });

  it('a person who has chosen nothing sees the defaults preselected, with the four choices in Danish', async () => {
    const b = await as(DEMO.politician);
    const res = await b.get('/intranet/indstillinger/notifikationer');
    expect(res.statusCode).toBe(200);
    expect(checkedChoices(res.body)).toEqual({ news: ['daily'], mention: ['now'], must_read: ['now'] });
    const $ = cheerio.load(res.body);
    expect($('fieldset legend').map((_, l) => $(l).text().trim()).get()).toEqual(['Nyheder til dig', 'Når nogen nævner dig', 'Skal læses']);
    expect($('label[for="f-news"]').text().trim()).toBe('Med det samme');
    expect($('fieldset').first().find('label').map((_, l) => $(l).text().trim()).get()).toEqual([
      'Med det samme',
      'Samlet én gang om dagen',
      'Samlet én gang om ugen',
      'Ingen e-mail (kun på intranettet)',
    ]);
  });

  it('the demo employee sees the choices she made: news weekly, mentions at once', async () => {
    const res = await (await as(DEMO.employee)).get('/intranet/indstillinger/notifikationer');
    expect(checkedChoices(res.body)).toEqual({ news: ['weekly'], mention: ['now'], must_read: ['now'] });
  });

  it('saving choices confirms it, shows them chosen afterwards and writes what changed to the audit log', async () => {
    const b = await as(DEMO.politician);
    await b.get('/intranet/indstillinger/notifikationer');
    const res = await b.post('/intranet/indstillinger/notifikationer', { news: 'off', mention: 'daily', must_read: 'now', social: 'now' });
    expect(res.statusCode).toBe(303);
    const page = await b.get(res.headers.location as string);
    expect(cheerio.load(page.body)('[role="status"]').text()).toContain('Dine valg er gemt.');
    expect(checkedChoices(page.body)).toEqual({ news: ['off'], mention: ['daily'], must_read: ['now'] });

    const entry = await t.db
      .selectFrom('audit_log')
      .select(['actor_id', 'object_id', 'details'])
      .where('action', '=', 'notification_preferences.changed')
      .where('actor_id', '=', ids.politician!)
      .executeTakeFirstOrThrow();
    expect(entry.object_id).toBe(ids.politician);
    expect(JSON.parse(entry.details)).toEqual({ from: { news: 'daily', mention: 'now' }, to: { news: 'off', mention: 'daily' } });
  });

  it('an unknown frequency is refused with a Danish message naming the kind, keeps the other choices and saves nothing', async () => {
    const b = await as(DEMO.app);
    await b.get('/intranet/indstillinger/notifikationer');
    const res = await b.post('/intranet/indstillinger/notifikationer', { news: 'weekly', mention: 'hver time', must_read: 'off', social: 'now' });
    expect(res.statusCode).toBe(422);
    const $ = cheerio.load(res.body);
    expect($('.alert-error').text()).toContain('Vælg hvor ofte du vil have e-mail om »Når nogen nævner dig«.');
    expect($('#f-mention-error').text()).toContain('»Når nogen nævner dig«');
    expect(checkedChoices(res.body)).toEqual({ news: ['weekly'], mention: [], must_read: ['off'] });
    const stored = await t.db.selectFrom('notification_preferences').select('kind').where('person_id', '=', ids.app!).execute();
    expect(stored).toEqual([]);
  });

  it('the list shows the reader’s own notifications newest first, unread marked, each linking to where it happened', async () => {
    // Only what this test records, not what the demo brought.
    await t.db.deleteFrom('notifications').where('person_id', '=', ids.school!).execute();
    await notify(t.db, { personIds: [ids.school!], kind: 'mention', sourceKey: 'test:first', title: 'Jonas Holm har nævnt dig i et opslag', text: 'Kan du tjekke skolens åbningstider?', url: '/intranet/opslag/a1' });
    await new Promise((r) => setTimeout(r, 5));
    await notify(t.db, { personIds: [ids.school!, ids.web!], kind: 'must_read', sourceKey: 'test:second', title: 'Ny politik for brug af sociale medier', text: 'Læs og bekræft inden 1. februar.', url: '/intranet/viden/politik-sociale-medier' });
    const res = await (await as(DEMO.school)).get('/intranet/notifikationer');
    expect(res.statusCode).toBe(200);
    const $ = cheerio.load(res.body);
    const items = $('.mh-notifications > li');
    expect(items.find('h2 a').map((_, a) => $(a).text()).get()).toEqual(['Ny politik for brug af sociale medier', 'Jonas Holm har nævnt dig i et opslag']);
    expect(items.find('h2 a').map((_, a) => $(a).attr('href')).get()).toEqual(['/intranet/viden/politik-sociale-medier', '/intranet/opslag/a1']);
    expect(items.first().text()).toContain('Ulæst');
    expect(items.first().text()).toContain('Skal læses');
    expect($('.font-lead').text()).toContain('Du har 2 ulæste notifikationer.');
  });

  it('marking one read works only for one’s own: another person’s notification is a 404 and stays unread', async () => {
    const [mine, theirs] = await Promise.all(
      [ids.school!, ids.web!].map((person) => t.db.selectFrom('notifications').select('id').where('person_id', '=', person).where('source_key', '=', 'test:second').executeTakeFirstOrThrow()),
    );
    const theirsUnread = await unreadCount(t.db, ids.web!);
    const b = await as(DEMO.school);
    await b.get('/intranet/notifikationer');
    const refused = await b.post(`/intranet/notifikationer/${theirs!.id}/laest`);
    expect(refused.statusCode).toBe(404);
    expect(await unreadCount(t.db, ids.web!)).toBe(theirsUnread);
    expect((await t.db.selectFrom('notifications').select('read_at').where('id', '=', theirs!.id).executeTakeFirstOrThrow()).read_at).toBeNull();

    const res = await b.post(`/intranet/notifikationer/${mine!.id}/laest`);
    expect(res.statusCode).toBe(303);
    const page = cheerio.load((await b.get(res.headers.location as string)).body);
    expect(page('[role="status"]').text()).toContain('Notifikationen er markeret som læst.');
    expect(page(`#n-${mine!.id}`).attr('data-read')).toBe('ja');
    expect(page(`#n-${mine!.id}`).text()).not.toContain('Ulæst');
    expect(await unreadCount(t.db, ids.school!)).toBe(1);
  });

  it('another person never sees someone else’s notifications on their page', async () => {
    const $ = cheerio.load((await (await as(DEMO.politician)).get('/intranet/notifikationer')).body);
    const titles = $('.mh-notifications h2 a').map((_, a) => $(a).text()).get();
    expect(titles).not.toContain('Jonas Holm har nævnt dig i et opslag');
    expect(titles).not.toContain('Ny politik for brug af sociale medier');
  });

  it('“mark all read” clears the reader’s unread count and nobody else’s', async () => {
    const theirsUnread = await unreadCount(t.db, ids.web!);
    expect(theirsUnread).toBeGreaterThan(0);
    const b = await as(DEMO.school);
    await b.get('/intranet/notifikationer');
    const res = await b.post('/intranet/notifikationer/laest');
    expect(res.statusCode).toBe(303);
    expect(cheerio.load((await b.get(res.headers.location as string)).body)('.font-lead').text()).toContain('Du har ingen ulæste notifikationer.');
    expect(await unreadCount(t.db, ids.school!)).toBe(0);
    expect(await unreadCount(t.db, ids.web!)).toBe(theirsUnread);
  });

  it('the demo employee has unread targeted news waiting on her page', async () => {
    const $ = cheerio.load((await (await as(DEMO.employee)).get('/intranet/notifikationer')).body);
    const titles = $('.mh-notifications h2 a').map((_, a) => $(a).text()).get();
    expect(titles).toContain('Legestuen flytter til Bevtoft Forsamlingshus');
    expect(titles).not.toContain('Ny aftale om ledernes løn og arbejdstid');
    expect(await unreadCount(t.db, ids.employee!)).toBeGreaterThanOrEqual(2);
    const link = $('.mh-notifications h2 a').filter((_, a) => $(a).text() === 'Legestuen flytter til Bevtoft Forsamlingshus').attr('href');
    expect(link).toMatch(/^\/intranet\/nyheder\//);
  });
});
