import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { dialects } from '../../test/support/databases.ts';
import { createItem, parseContent, transition } from '../content/service.ts';
import * as contentStore from '../content/store.ts';
import type { Actor } from '../org/actor.ts';
import { contractArticle } from './testing/articles.ts';
import { type ContractServer, startContractServer } from './testing/contract-server.ts';

const unescapeHtml = (s: string): string => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** A page as the edit form sends it, on the website under Borger. */
const pageForm = (ownerUnitId: string, overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> => ({
  title: 'Pas og rejser',
  summary: 'Sådan får du et nyt pas i Tønder.',
  body: 'Bestil tid i Borgerservice.',
  ownerUnitId,
  contact: '',
  topics: '',
  language: 'da',
  reviewBy: '',
  website: '1',
  websiteSection: 'borger',
  ...overrides,
});

describe.each(dialects)('pages that show an article from borger.dk (%s)', (dialect) => {
  let t: TestApp;
  let server: ContractServer;
  let web: Actor, intra: Actor;
  let borgerservice: string;

  beforeAll(async () => {
    server = await startContractServer([
      contractArticle(1617),
      contractArticle(1580, {
        ArticleID: 7100,
        ArticleTitle: 'Sygesikring',
        Content:
          '<div id="selvbetjeningslinks"><ul><li id="l_1"><a href="javascript:alert(1)" onclick="steal()">Klik her</a></li></ul></div>' +
          '<div id="kernetekst"><div class="microArticle" id="microArticle_900"><h2 onclick="steal()">Dit sundhedskort</h2><div><div>' +
          '<p onclick="steal()">Du får et gult kort.<script>alert("xss")</script></p><img src="x" onerror="alert(2)"></div></div></div></div>',
      }),
    ]);
    t = await createTestApp(dialect, { MEDIEHUS_BORGERDK_URL: server.url, MEDIEHUS_BORGERDK_TIMEOUT_MS: '2000' });
    [web, intra] = [await actorByEmail(t.db, DEMO.web), await actorByEmail(t.db, DEMO.intranet)];
    borgerservice = await unitId(t.db, 'borgerservice');
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
  });

  const get = (url: string) => t.app.inject({ method: 'GET', url });

  async function publishedPage(title: string, fields: Record<string, unknown>, body = 'Kommunens tekst før artiklen.') {
    const { id } = await createItem(t.db, web, 'page', newsInput(borgerservice, { title, body, fields, placements: [{ channel: 'website', section: 'borger' }] }));
    await transition(t.db, web, id, 'submit');
    await transition(t.db, intra, id, 'approve');
    await transition(t.db, intra, id, 'publish');
    return (await contentStore.findItem(t.db, id))!;
  }

  it('shows the local text before, only the chosen micro-articles, the self-service links, the local text after and the source with its date', async () => {
    // The demo's page "Boligstøtte" shows three of the article's four micro-articles.
    const res = await get('/borger/boligstoette');
    expect(res.statusCode).toBe(200);
    const html = unescapeHtml(res.body);
    const at = (text: string) => {
      const i = html.indexOf(text);
      expect(i, text).toBeGreaterThan(-1);
      return i;
    };
    const order = [
      at('Boligstøtte er en hjælp til at betale huslejen.'),
      at('<a class="button button-primary" href="https://www.borger.dk/bolig-og-flytning/boligstoette/soeg-boligstoette">Søg boligstøtte</a>'),
      at('<h2 id="bdk-mikroartikel-10401">Hvem kan få boligstøtte?</h2>'),
      at('<h2 id="bdk-mikroartikel-10402">Sådan søger du boligstøtte</h2>'),
      at('<h2 id="bdk-mikroartikel-10403">Når du har fået boligstøtte</h2>'),
      at('<h2 id="bdk-lovgivning">Lovgivning</h2>'),
      at('<h2>Få hjælp i Borgerservice</h2>'),
      at('Kilde: <a href="https://www.borger.dk/bolig-og-flytning/boligstoette/boligstoette-til-lejere">borger.dk</a>, senest opdateret <time datetime="2026-10-01T06:45:00.000Z">1. oktober 2026</time>. Skrevet af Udbetaling Danmark'),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).not.toContain('Boligydelse til folkepensionister');
  });

  it('a page that chose no micro-articles shows them all', async () => {
    const item = await publishedPage('Nyt pas', { borgerdkArticleId: 1617, borgerdkMicroArticles: [], textAfter: '' });
    const html = (await get(`/borger/${item.slug}`)).body;
    for (const heading of ['Sådan får du et nyt pas', 'Det skal du have med', 'Pris for pas']) expect(html).toContain(heading);
    expect(html).toContain('<h2 id="bdk-anbefaler">Borger.dk anbefaler</h2>');
  });

  it('a page tied to an article that has never been fetched shows only the local text', async () => {
    server.mode = 'http500';
    const b = new Browser(t.app);
    await b.signIn(DEMO.web);
    await b.get('/admin/borgerdk');
    expect((await b.post('/admin/borgerdk', { articleIds: '7200' })).headers.location).toBe('/admin/borgerdk?fejl=1');
    server.mode = 'normal';
    const item = await publishedPage('Ny i kommunen', { borgerdkArticleId: 7200, borgerdkMicroArticles: [], textAfter: 'Velkommen til **Tønder**.' }, 'Kommunens tekst før artiklen.');
    const html = (await get(`/borger/${item.slug}`)).body;
    expect(html).toContain('Kommunens tekst før artiklen.');
    expect(html).toContain('Velkommen til <strong>Tønder</strong>.');
    expect(html).not.toContain('Kilde: <a');
    expect(html).not.toContain('mh-borgerdk"');
  });

  it('imported HTML reaches the page without scripts, event handlers or javascript: links', async () => {
    const b = new Browser(t.app);
    await b.signIn(DEMO.web);
    await b.get('/admin/borgerdk');
    expect((await b.post('/admin/borgerdk', { articleIds: '7100' })).headers.location).toBe('/admin/borgerdk?importeret=1');
    const item = await publishedPage('Sundhedskort', { borgerdkArticleId: 7100 });
    const html = (await get(`/borger/${item.slug}`)).body;
    expect(html).toContain('<h2 id="bdk-mikroartikel-900">Dit sundhedskort</h2>');
    expect(html).toContain('<p>Du får et gult kort.</p>');
    for (const bad of ['alert(', 'steal()', 'onclick', 'onerror', 'javascript:', 'Klik her']) expect(html, bad).not.toContain(bad);
  });

  it('the editor picks the article among the imported ones and ticks the micro-articles to show', async () => {
    const b = new Browser(t.app);
    await b.signIn(DEMO.web);
    const form = unescapeHtml((await b.get('/admin/indhold/ny/page')).body);
    expect(form).toContain('<option value="1617">Pas (1617)</option>');
    expect(form).toContain('<option value="2201">Boligstøtte til lejere (2201)</option>');
    expect(form).toContain('name="fields.textAfter"');

    // Choosing the article and previewing shows its micro-articles to tick.
    const preview = unescapeHtml((await b.post('/admin/indhold/ny/page', { ...pageForm(borgerservice), 'fields.borgerdkArticleId': '1617', preview: '1' })).body);
    expect(preview).toContain('<option value="1617" selected>Pas (1617)</option>');
    expect(preview).toContain('Mikroartikler, der skal vises');
    expect(preview).toMatch(/value="10302"/);

    const res = await b.post('/admin/indhold/ny/page', {
      ...pageForm(borgerservice),
      'fields.borgerdkArticleId': '1617',
      'fields.borgerdkMicroArticles': ['10301', '10303'],
      'fields.textAfter': 'Ring til os på 74 92 92 92.\r\n\r\nVi svarer hurtigt.',
    });
    expect(res.statusCode, res.body.slice(0, 1500)).toBe(303);
    const id = /\/admin\/indhold\/([^?]+)\?oprettet=1/.exec(String(res.headers.location))![1]!;
    const item = (await contentStore.findItem(t.db, id))!;
    const content = parseContent((await contentStore.findRevision(t.db, id, item.latest_revision))!.content);
    expect(content.fields).toEqual({ borgerdkArticleId: 1617, borgerdkMicroArticles: ['10301', '10303'], textAfter: 'Ring til os på 74 92 92 92.\n\nVi svarer hurtigt.' });

    const page = (await b.get(`/admin/indhold/${id}`)).body;
    expect(page).toMatch(/value="10301"[^>]*checked/);
    expect(page).toMatch(/value="10303"[^>]*checked/);
    expect(page).not.toMatch(/value="10302"[^>]*checked/);
  });

  it('a made-up article id is refused with a Danish message beside the field, and nothing is written', async () => {
    const b = new Browser(t.app);
    await b.signIn(DEMO.web);
    await b.get('/admin/indhold/ny/page');
    const before = (await t.db.selectFrom('items').select('id').execute()).length;
    const res = await b.post('/admin/indhold/ny/page', { ...pageForm(borgerservice), 'fields.borgerdkArticleId': 'flytning' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Vælg artiklen fra borger.dk på listen.');
    expect(res.body).toContain('href="#f-fields.borgerdkArticleId"');
    expect((await t.db.selectFrom('items').select('id').execute()).length).toBe(before);
  });
});
