import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';

describe.each(dialects)('the personal home page (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  async function homeOf(email: string) {
    const b = new Browser(t.app);
    await b.signIn(email);
    const res = await b.get('/intranet');
    expect(res.statusCode).toBe(200);
    const $ = cheerio.load(res.body);
    const list = (id: string) => $(`section[aria-labelledby="${id}"] li a`).map((_, a) => $(a).text().trim()).get();
    return { $, news: list('h-nyheder'), events: list('h-arrangementer'), crisis: $('.mh-crisis .alert-heading').map((_, h) => $(h).text().trim()).get(), body: res.body, b };
  }

  it('an employee in Dagplejen sees news for everyone and for Dagplejen, and not the managers’ or the politicians’', async () => {
    const { news } = await homeOf(DEMO.employee);
    expect(news).toContain('Legestuen flytter til Bevtoft Forsamlingshus');
    expect(news).toContain('Aula får ny forside for medarbejdere');
    expect(news).not.toContain('Ny aftale om ledernes løn og arbejdstid');
    expect(news).not.toContain('Materiale til budgetseminaret er klar');
    expect(news).not.toContain('Julefrokost i Kultur og Fritid');
  });

  it('a manager in Kultur og Fritid sees the managers’ news, the unit’s news and the managers’ event', async () => {
    const { news, events } = await homeOf(DEMO.manager);
    expect(news).toContain('Ny aftale om ledernes løn og arbejdstid');
    expect(news).toContain('Julefrokost i Kultur og Fritid');
    expect(news).not.toContain('Legestuen flytter til Bevtoft Forsamlingshus');
    expect(events).toEqual(['Fællesmøde for alle ansatte', 'Ledertræf: trivsel og fravær']);
  });

  it('a unit’s own social media editor finds her account from the home page; a politician with none sees no such box', async () => {
    const anne = await homeOf(DEMO.employee);
    expect(anne.$('section[aria-labelledby="h-sociale-medier"] li a').map((_, a) => anne.$(a).text().trim()).get()).toEqual(['Dagplejen i Tønder Kommune på Facebook']);
    const hans = await homeOf(DEMO.politician);
    expect(hans.$('#h-sociale-medier')).toHaveLength(0);
  });

  it('a politician sees the politicians’ news and what is for everyone, nothing for units or managers', async () => {
    const { news, events } = await homeOf(DEMO.politician);
    expect(news).toContain('Materiale til budgetseminaret er klar');
    expect(news).not.toContain('Ny aftale om ledernes løn og arbejdstid');
    expect(news).not.toContain('Legestuen flytter til Bevtoft Forsamlingshus');
    expect(news).not.toContain('Aula får ny forside for medarbejdere');
    expect(events).toEqual(['Fællesmøde for alle ansatte']);
  });

  it('each news item says whom it is for', async () => {
    const { $ } = await homeOf(DEMO.manager);
    const item = $('section[aria-labelledby="h-nyheder"] li').filter((_, li) => $(li).text().includes('Ny aftale om ledernes løn'));
    expect(item.text()).toContain('Til: Ledere');
  });

  it('the crisis banner shows a live message for everyone at the top of the page', async () => {
    const { crisis, $ } = await homeOf(DEMO.politician);
    expect(crisis).toEqual(['Planlagt IT-vedligehold lørdag']);
    expect($('.mh-crisis').attr('role')).toBe('alert');
  });

  it('an item page opens for its audience and is a 404 for everyone else', async () => {
    const slug = (await t.db.selectFrom('items').select('slug').where('title', '=', 'Ny aftale om ledernes løn og arbejdstid').executeTakeFirstOrThrow()).slug;
    const manager = (await homeOf(DEMO.manager)).b;
    const page = await manager.get(`/intranet/nyheder/${slug}`);
    expect(page.statusCode).toBe(200);
    expect(cheerio.load(page.body)('h1').text()).toBe('Ny aftale om ledernes løn og arbejdstid');
    const employee = (await homeOf(DEMO.employee)).b;
    const refused = await employee.get(`/intranet/nyheder/${slug}`);
    expect(refused.statusCode).toBe(404);
    expect(refused.body).not.toContain('ledernes løn');
    expect((await employee.get(`/intranet/viden/${slug}`)).statusCode).toBe(404);
  });

  it('a reader who is not signed in is sent to sign in and back', async () => {
    const res = await new Browser(t.app).get('/intranet/nyheder/noget');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fintranet%2Fnyheder%2Fnoget');
  });

  it('intranet pages are never kept by a shared cache', async () => {
    const { b } = await homeOf(DEMO.employee);
    const res = await b.get('/intranet');
    expect(res.headers['cache-control']).toBe('private, no-store');
  });
});

describe.each(dialects)('the intranet search (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  async function titlesFound(email: string, q: string): Promise<string[]> {
    const b = new Browser(t.app);
    await b.signIn(email);
    const res = await b.get(`/intranet/soeg?q=${encodeURIComponent(q)}`);
    expect(res.statusCode).toBe(200);
    const $ = cheerio.load(res.body);
    return $('.mh-search-hits li a').map((_, a) => $(a).text().trim()).get();
  }

  it('finds an item by another form of a word in its text', async () => {
    expect(await titlesFound(DEMO.manager, 'lønnen')).toContain('Ny aftale om ledernes løn og arbejdstid');
  });

  it('never returns an item outside the reader’s audience, even for its exact title', async () => {
    expect(await titlesFound(DEMO.employee, 'ledernes løn og arbejdstid')).toEqual([]);
    expect(await titlesFound(DEMO.politician, 'legestuen Bevtoft')).toEqual([]);
    expect(await titlesFound(DEMO.employee, 'legestuen Bevtoft')).toEqual(['Legestuen flytter til Bevtoft Forsamlingshus']);
  });

  it('finds colleagues by name', async () => {
    const b = new Browser(t.app);
    await b.signIn(DEMO.employee);
    const $ = cheerio.load((await b.get('/intranet/soeg?q=Hansen')).body);
    expect($('section[aria-labelledby="h-personer"] li a').map((_, a) => $(a).text()).get()).toContain('Peter Hansen');
  });
});

describe.each(dialects)('must-reads on the home page and the item page (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('an employee sees a waiting must-read on the home page, acknowledges it on its page, and it leaves the home page', async () => {
    const b = new Browser(t.app);
    await b.signIn(DEMO.employee);
    const $ = cheerio.load((await b.get('/intranet')).body);
    const link = $('section[aria-labelledby="h-skal-laeses"] li a').filter((_, a) => $(a).text().trim() === 'Retningslinjer for brug af sociale medier');
    expect(link.length).toBe(1);
    const page = cheerio.load((await b.get(link.attr('href')!)).body);
    const form = page('form').filter((_, f) => (page(f).attr('action') ?? '').includes('/kvitter'));
    expect(form.find('button').text()).toContain('Jeg har læst');
    const done = await b.post(form.attr('action')!);
    expect(done.statusCode).toBe(303);
    const after = cheerio.load((await b.get(done.headers.location as string)).body);
    expect(after('main').text()).toContain('Du kvitterede');
    const home = cheerio.load((await b.get('/intranet')).body);
    expect(home('section[aria-labelledby="h-skal-laeses"] li a').map((_, a) => home(a).text().trim()).get()).not.toContain('Retningslinjer for brug af sociale medier');
  });
});
