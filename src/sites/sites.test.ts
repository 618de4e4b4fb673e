import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { dialects } from '../../test/support/databases.ts';
import { createItem, transition } from '../content/service.ts';
import * as store from '../content/store.ts';
import { placeItem } from './front-slots-service.ts';
import { siteBySlug } from './store.ts';

describe.each(dialects)('subsites and independent websites (%s)', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const get = (url: string, host?: string) => t.app.inject({ method: 'GET', url, headers: host ? { host } : {} });
  const signedIn = async (email: string) => {
    const b = new Browser(t.app);
    await b.signIn(email);
    return b;
  };
  const form = (overrides: Record<string, string> = {}) => ({ kind: 'subsite', unitId: '', name: 'Børnehuset Regnbuen', slug: 'regnbuen', host: '', intro: 'Vuggestue og børnehave i Tønder.', menu: '', slotCount: '6', ...overrides });

  it("the demo school's subsite has its own front page, menu and a way back to the main site", async () => {
    const res = await get('/distriktsskolen');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Tønder Distriktsskole</h1>');
    expect(res.body).toContain('Folkeskole for 0.–9. klasse');
    expect(res.body).toContain('aria-label="Menu for Tønder Distriktsskole"');
    expect(res.body).toMatch(/<a href="\/distriktsskolen\/skolestart-i-0-klasse" class="nav-link"><span>Skolestart<\/span>/);
    expect(res.body).toContain('<a href="/" class="mh-logo">Tønder Kommune</a>');
    expect(res.body).toContain('<div class="solution-heading"><a href="/distriktsskolen">Tønder Distriktsskole</a></div>');
    expect(res.body).toContain('Ny legeplads er klar til frikvarteret');
    // The institution's own contact box.
    expect(res.body).toContain('74 92 85 00');
  });

  it("a subsite page has breadcrumbs through the main site and the subsite, and the subsite's menu marks it current", async () => {
    const res = await get('/distriktsskolen/skolestart-i-0-klasse');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Skolestart i 0. klasse</h1>');
    expect(res.body).toMatch(/<a href="\/distriktsskolen"[^>]*>Tønder Distriktsskole<\/a>/);
    expect(res.body).toMatch(/class="active current">\s*<a href="\/distriktsskolen\/skolestart-i-0-klasse" class="nav-link" aria-current="page"/);
  });

  it("an item of the main website is not shown under a subsite's address, nor a subsite's page under another subsite", async () => {
    expect((await get('/distriktsskolen/flytning')).statusCode).toBe(404);
    expect((await get('/biblioteket/skolestart-i-0-klasse')).statusCode).toBe(404);
    expect((await get('/ingen-saadan-side')).statusCode).toBe(404);
  });

  it('an independent website answers on its own host name only, with its own menu', async () => {
    expect((await get('/kulturnat')).statusCode).toBe(404);
    const front = await get('/', 'kulturnat.toender.dk');
    expect(front.statusCode).toBe(200);
    expect(front.body).toContain('<h1>Kulturnat i Tønder</h1>');
    expect(front.body).toContain('<a href="/program-for-kulturnat" class="nav-link"><span>Program</span>');
    const page = await get('/program-for-kulturnat', 'kulturnat.toender.dk');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Program for Kulturnat</h1>');
    // Stylesheets are the same files on every host.
    const css = /href="(\/assets\/[^"]+\.css)"/.exec(page.body)![1]!;
    expect((await get(css, 'kulturnat.toender.dk')).statusCode).toBe(200);
  });

  it('a subsite created by the website lead editor is on the web at once, and its new host name works shortly after', async () => {
    const web = await signedIn(DEMO.web);
    await web.get('/admin/sites/ny');
    const regnbuen = await unitId(t.db, 'boernehuset-regnbuen');
    const res = await web.post('/admin/sites/ny', form({ unitId: regnbuen, host: 'regnbuen.toender.dk', menu: 'Om os | /regnbuen\nKontakt | /aabningstider?enhed=boernehuset-regnbuen' }));
    expect(res.statusCode).toBe(303);
    const front = await get('/regnbuen');
    expect(front.statusCode).toBe(200);
    expect(front.body).toContain('<h1>Børnehuset Regnbuen</h1>');
    expect(front.body).toContain('<span>Kontakt</span>');
    await t.app.ctx.siteHosts.refresh(t.db);
    expect((await get('/', 'regnbuen.toender.dk')).body).toContain('<h1>Børnehuset Regnbuen</h1>');
    const entry = await t.db.selectFrom('audit_log').select(['action', 'actor_label']).where('action', '=', 'site.created').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(entry.actor_label).toBe(DEMO.web);
  });

  it('a bad site form names each field in Danish, keeps what was typed and creates nothing', async () => {
    const web = await signedIn(DEMO.web);
    await web.get('/admin/sites/ny');
    const before = await t.db.selectFrom('sites').select('id').execute();
    const res = await web.post('/admin/sites/ny', form({ name: 'Skolen ved Å', slug: 'Nyheder!', host: 'https://skolen', menu: 'Bare tekst uden adresse', slotCount: '40' }));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Vælg den enhed, der ejer sitet.');
    expect(res.body).toContain('Adressen må kun have små bogstaver a–z');
    expect(res.body).toContain('Skriv et domænenavn som');
    expect(res.body).toContain('Linje 1 skal have formen');
    expect(res.body).toContain('Skriv et tal fra 1 til 12.');
    expect(res.body).toContain('value="Skolen ved Å"');
    expect(res.body).toContain('Bare tekst uden adresse</textarea>');
    expect(await t.db.selectFrom('sites').select('id').execute()).toHaveLength(before.length);
  });

  it("a subsite may not take an address the main website uses, nor another site's address", async () => {
    const owner = await signedIn(DEMO.owner);
    await owner.get('/admin/sites/ny');
    const dagplejen = await unitId(t.db, 'dagplejen');
    const reserved = await owner.post('/admin/sites/ny', form({ unitId: dagplejen, name: 'Dagplejen', slug: 'nyheder' }));
    expect(reserved.body).toContain('Adressen bruges af hjemmesiden selv.');
    const taken = await owner.post('/admin/sites/ny', form({ unitId: dagplejen, name: 'Dagplejen', slug: 'biblioteket' }));
    expect(taken.body).toContain('Adressen &quot;biblioteket&quot; bruges allerede af Tønder Bibliotek.');
  });

  it('only the platform owner may create an independent website', async () => {
    const web = await signedIn(DEMO.web);
    await web.get('/admin/sites/ny');
    const byWeb = await web.post('/admin/sites/ny', form({ kind: 'independent', unitId: await unitId(t.db, 'dagplejen'), name: 'Dagplejedage', slug: 'dagplejedage', host: 'dagplejedage.dk' }));
    expect(byWeb.statusCode).toBe(403);
    const owner = await signedIn(DEMO.owner);
    await owner.get('/admin/sites/ny?type=independent');
    const byOwner = await owner.post('/admin/sites/ny', form({ kind: 'independent', unitId: await unitId(t.db, 'dagplejen'), name: 'Dagplejedage', slug: 'dagplejedage', host: '' }));
    expect(byOwner.body).toContain('Et selvstændigt website skal have sit eget domænenavn.');
  });

  it("a subsite's own editor changes its menu but not its address, and sees only their own site", async () => {
    const school = await signedIn(DEMO.school);
    const list = await school.get('/admin/sites');
    expect(list.body).toContain('Tønder Distriktsskole');
    expect(list.body).not.toContain('Tønder Bibliotek');
    const site = (await siteBySlug(t.db, 'distriktsskolen'))!;
    await school.get(`/admin/sites/${site.id}`);
    const res = await school.post(`/admin/sites/${site.id}`, form({ name: 'Tønder Distriktsskole', slug: 'hacket', unitId: site.unitId, menu: 'Skolestart | /distriktsskolen/skolestart-i-0-klasse\nForældre | /distriktsskolen/foraeldre' }));
    expect(res.statusCode).toBe(303);
    const after = (await siteBySlug(t.db, 'distriktsskolen'))!;
    expect(after.menu.map((l) => l.text)).toEqual(['Skolestart', 'Forældre']);
    const library = (await siteBySlug(t.db, 'biblioteket'))!;
    expect((await school.get(`/admin/sites/${library.id}`)).statusCode).toBe(403);
  });

  it('a closed site and its pages disappear from the web and come back when opened', async () => {
    const owner = await signedIn(DEMO.owner);
    const site = (await siteBySlug(t.db, 'biblioteket'))!;
    await owner.get(`/admin/sites/${site.id}`);
    await owner.post(`/admin/sites/${site.id}/luk`);
    expect((await get('/biblioteket')).statusCode).toBe(404);
    expect((await get('/biblioteket/lan-og-aflever')).statusCode).toBe(404);
    await owner.get(`/admin/sites/${site.id}`);
    await owner.post(`/admin/sites/${site.id}/aabn`);
    expect((await get('/biblioteket')).statusCode).toBe(200);
  });

  it('a subsite item that is withdrawn answers 410 with its explanation under the subsite', async () => {
    const [school, web] = [await actorByEmail(t.db, DEMO.school), await actorByEmail(t.db, DEMO.web)];
    const skole = await unitId(t.db, 'toender-distriktsskole');
    const { id } = await createItem(t.db, school, 'news', newsInput(skole, { title: 'Juleklippedag i indskolingen', ownerUnitId: skole, placements: [{ channel: 'subsite', unitId: skole }] }));
    await transition(t.db, school, id, 'submit');
    await transition(t.db, web, id, 'approve');
    await transition(t.db, web, id, 'publish');
    const { slug } = (await store.findItem(t.db, id))!;
    expect((await get(`/distriktsskolen/${slug}`)).statusCode).toBe(200);
    await transition(t.db, web, id, 'unpublish', { reason: 'withdrawn', note: 'Juleklippedagen er aflyst på grund af sygdom.' });
    const gone = await get(`/distriktsskolen/${slug}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.body).toContain('Juleklippedagen er aflyst på grund af sygdom.');
  });

  it("the subsite's editor chooses what its front page shows first", async () => {
    const school = await actorByEmail(t.db, DEMO.school);
    const site = (await siteBySlug(t.db, 'distriktsskolen'))!;
    const sfo = (await store.findItemBySlug(t.db, 'sfo-aabningstider-og-tilmelding'))!;
    await placeItem(t.db, school, site.id, { itemId: sfo.id, replaces: '' });
    const front = await get('/distriktsskolen');
    const cards = [...front.body.matchAll(/<a class="card" href="([^"]+)"/g)].map((m) => m[1]);
    expect(cards).toEqual(['/distriktsskolen/sfo-aabningstider-og-tilmelding']);
  });
});
