import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';
import { contractArticle } from './testing/articles.ts';
import { type ContractMode, type ContractServer, startContractServer } from './testing/contract-server.ts';

const unescapeHtml = (s: string): string => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe.each(dialects)('articles from borger.dk in the admin (%s)', (dialect) => {
  let t: TestApp;
  let server: ContractServer;

  beforeAll(async () => {
    server = await startContractServer([
      contractArticle(1580),
      contractArticle(1617),
      contractArticle(2201),
      contractArticle(1580, { ArticleID: 7001, ArticleTitle: 'Dagtilbud', ArticleUrl: 'https://www.borger.dk/familie-og-boern/dagtilbud', LastUpdated: '2026-11-02T09:00:00' }),
      contractArticle(1580, { ArticleID: 7002, ArticleTitle: 'Sygedagpenge', ArticleUrl: 'https://www.borger.dk/arbejde-dagpenge-ferie/sygedagpenge' }),
    ]);
    t = await createTestApp(dialect, { MEDIEHUS_BORGERDK_URL: server.url, MEDIEHUS_BORGERDK_TIMEOUT_MS: '300' });
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
  });
  afterEach(() => {
    server.mode = 'normal';
    server.unknownIds = 'omit';
  });

  const signedIn = async (email: string) => {
    const b = new Browser(t.app);
    await b.signIn(email);
    return b;
  };
  const row = (articleId: number) => t.db.selectFrom('borgerdk_articles').selectAll().where('article_id', '=', articleId).executeTakeFirst();
  const count = async () => Number((await t.db.selectFrom('borgerdk_articles').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('a web editor imports articles by id and sees each in the list with when it was fetched; the import is audited', async () => {
    const web = await signedIn(DEMO.web);
    const page = await web.get('/admin/borgerdk');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Artikler fra borger.dk</h1>');
    const res = await web.post('/admin/borgerdk', { articleIds: ' 7001, 7002 ' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/borgerdk?importeret=1');
    const list = await web.get(String(res.headers.location));
    expect(list.body).toContain('Artiklerne er hentet fra borger.dk.');
    expect(list.body).toContain('<a href="https://www.borger.dk/familie-og-boern/dagtilbud">Dagtilbud</a>');
    expect(list.body).toContain('Sygedagpenge');
    expect(server.requests.at(-1)).toMatchObject({ articleIds: [7001, 7002], municipalityCode: 550 });
    const stored = (await row(7001))!;
    expect(stored).toMatchObject({ title: 'Dagtilbud', last_error: null, last_updated_at: '2026-11-02T08:00:00.000Z' });
    expect(stored.fetched_at).not.toBeNull();
    const webId = (await t.db.selectFrom('people').select('id').where('email', '=', DEMO.web).executeTakeFirstOrThrow()).id;
    const entries = await t.db.selectFrom('audit_log').select(['action', 'actor_id']).where('object_id', '=', stored.id).orderBy('seq').execute();
    expect(entries).toEqual([
      { action: 'borgerdk.article_imported', actor_id: webId },
      { action: 'borgerdk.article_refreshed', actor_id: webId },
    ]);
  });

  it('ids that are not numbers give a Danish message naming the field, keep what was typed and write nothing', async () => {
    const web = await signedIn(DEMO.web);
    await web.get('/admin/borgerdk');
    const before = await count();
    const audits = await t.db.selectFrom('audit_log').select('seq').execute();
    const requests = server.requests.length;
    const res = await web.post('/admin/borgerdk', { articleIds: '7003, flytning' });
    expect(res.statusCode).toBe(422);
    const body = unescapeHtml(res.body);
    expect(body).toContain('Artikel-id’er skal være hele tal adskilt af komma, fx 1234, 5678. Det er „flytning“ ikke.');
    expect(body).toContain('href="#f-articleIds"');
    expect(body).toContain('value="7003, flytning"');
    expect(await count()).toBe(before);
    expect(await t.db.selectFrom('audit_log').select('seq').execute()).toHaveLength(audits.length);
    expect(server.requests).toHaveLength(requests);
    expect(unescapeHtml((await web.post('/admin/borgerdk', { articleIds: '  ' })).body)).toContain('Skriv et eller flere artikel-id’er fra borger.dk');
  });

  it.each<[ContractMode, string]>([
    ['fault', 'borger.dk afviste forespørgslen: An error occurred while exporting articles.'],
    ['http500', 'borger.dk svarede med en fejl (HTTP 500).'],
    ['hang', 'borger.dk svarede ikke inden for 0,3 sekunder.'],
    ['malformed', 'Svaret fra borger.dk kunne ikke læses (det var ikke gyldig XML).'],
  ])('when borger.dk answers with %s, the last good copy stays and the admin page shows the error in Danish', async (mode, message) => {
    const web = await signedIn(DEMO.web);
    const good = (await row(2201))!;
    expect(good.fetched_at).not.toBeNull();
    await web.get('/admin/borgerdk');
    server.mode = mode;
    const res = await web.post(`/admin/borgerdk/${good.id}/opdater`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/borgerdk?fejl=1');
    const page = unescapeHtml((await web.get(String(res.headers.location))).body);
    expect(page).toContain('Artiklen kunne ikke hentes. Se fejlen ud for den i listen.');
    expect(page).toContain(message);
    const after = (await row(2201))!;
    expect(after).toMatchObject({ title: good.title, content: good.content, parts: good.parts, fetched_at: good.fetched_at, last_error: message });
    expect(after.last_attempt_at! > good.fetched_at!).toBe(true);
    const failed = await t.db.selectFrom('audit_log').select(['action', 'details']).where('object_id', '=', good.id).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(failed.action).toBe('borgerdk.article_refresh_failed');
    expect(JSON.parse(failed.details)).toEqual({ articleId: 2201, error: message });

    // The page tied to the article still shows it.
    const publicPage = await t.app.inject({ method: 'GET', url: '/borger/boligstoette' });
    expect(publicPage.body).toContain('Sådan søger du boligstøtte');

    server.mode = 'normal';
    await web.get('/admin/borgerdk');
    expect((await web.post(`/admin/borgerdk/${good.id}/opdater`)).headers.location).toBe('/admin/borgerdk?opdateret=1');
    expect((await row(2201))!.last_error).toBeNull();
  });

  it('an id borger.dk does not know is kept with an error, and the others in the same import are still fetched', async () => {
    const web = await signedIn(DEMO.web);
    await web.get('/admin/borgerdk');
    server.unknownIds = 'fault';
    const res = await web.post('/admin/borgerdk', { articleIds: '7002, 424242' });
    expect(res.headers.location).toBe('/admin/borgerdk?delvist=1');
    expect(await row(424242)).toMatchObject({ title: null, fetched_at: null, last_error: 'borger.dk afviste forespørgslen: No article found with id 424242' });
    expect((await row(7002))!.last_error).toBeNull();
    const page = unescapeHtml((await web.get('/admin/borgerdk?delvist=1')).body);
    expect(page).toContain('Nogle af artiklerne kunne ikke hentes.');
    expect(page).toContain('Ikke hentet endnu');
    expect(page).toContain('No article found with id 424242');

    server.unknownIds = 'omit';
    await web.post('/admin/borgerdk', { articleIds: '535353' });
    expect((await row(535353))!.last_error).toBe('Artiklen findes ikke på borger.dk, eller den må ikke hentes derfra (artikel-id 535353).');
  });

  it('the website’s editors find the page from the overview; other editors may neither see nor use it', async () => {
    const web = await signedIn(DEMO.web);
    expect((await web.get('/admin')).body).toContain('href="/admin/borgerdk"');
    const social = await signedIn(DEMO.social);
    expect((await social.get('/admin')).body).not.toContain('href="/admin/borgerdk"');
    expect((await social.get('/admin/borgerdk')).statusCode).toBe(403);
    const good = (await row(1617))!;
    expect((await social.post(`/admin/borgerdk/${good.id}/opdater`)).statusCode).toBe(403);
    expect((await web.post('/admin/borgerdk/00000000-0000-4000-8000-000000000000/opdater')).statusCode).toBe(404);
  });
});
