import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { dialects } from '../../test/support/databases.ts';
import { createItem, transition } from '../content/service.ts';
import * as store from '../content/store.ts';
import type { Actor } from '../org/actor.ts';
import * as org from '../org/store.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { bumpSiteGeneration } from '../site/generation.ts';
import { reindexSearch } from './indexing.ts';
import { searchSites } from './service.ts';

describe.each(dialects)('the public search (%s)', (dialect) => {
  let t: TestApp;
  let web: Actor, intra: Actor;
  let kom: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    [web, intra] = [await actorByEmail(t.db, 'web@demo.mediehus.dk'), await actorByEmail(t.db, 'intra@demo.mediehus.dk')];
    kom = await unitId(t.db, 'kommunikation');
  });
  afterAll(async () => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });

  /** Written by one editor, approved and published by another, as the workflow demands. */
  async function published(overrides: Record<string, unknown> = {}, type = 'news', by = web, approver = intra) {
    const { id } = await createItem(t.db, by, type, newsInput(kom, overrides));
    await transition(t.db, by, id, 'submit');
    await transition(t.db, approver, id, 'approve');
    await transition(t.db, approver, id, 'publish');
    return (await store.findItem(t.db, id))!;
  }

  const selfservice = (title: string, keywords: string[], overrides: Record<string, unknown> = {}) =>
    published({ title, summary: `${title}.`, body: `${title}.`, placements: [{ channel: 'website', section: 'borger' }], fields: { targetUrl: 'https://www.borger.dk/', keywords }, ...overrides }, 'selfservice');

  /** The hits of a results page as a reader sees them: title text and where its link goes. */
  function hitsOf(html: string): { title: string; href: string }[] {
    return [...html.matchAll(/<h3 class="h4 mh-listing-title"><a href="([^"]*)">(.*?)<\/a><\/h3>/g)].map((m) => ({ href: m[1]!.replace(/&amp;/g, '&'), title: m[2]!.replace(/<\/?mark>/g, '') }));
  }
  const titles = async (q: string) => (await searchSites(t.db, { q })).hits.map((h) => h.title.map((s) => s.text).join(''));

  it('searching "flytning" on the demo shows the Flytning self-service first and then the Flytning page', async () => {
    const res = await get('/soeg?q=flytning');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Søg</h1>');
    expect(res.body).toContain('2 resultater for »flytning«');
    expect(hitsOf(res.body)).toEqual([
      { title: 'Flytning', href: 'https://www.borger.dk/bolig-og-flytning/flytning' },
      { title: 'Flytning', href: '/borger/flytning' },
    ]);
    expect(res.body).toContain('Selvbetjening · www.borger.dk');
    expect(res.body).toContain('Side · Borger');
  });

  it('finds "Flytning" when searching "flytninger", and a text about "flytninger" when searching "flytning"', async () => {
    expect(await titles('flytninger')).toEqual(['Flytning', 'Flytning']);
    await published({ title: 'Gode råd før store flytninger', body: 'Book flyttebilen i god tid.' });
    expect(await titles('flytning')).toContain('Gode råd før store flytninger');
    expect(await titles('FLYTNINGER')).toContain('Gode råd før store flytninger');
  });

  it('an item with the word in its title comes before one that only has it in the text', async () => {
    await published({ title: 'Nyt fra Vej og Park', summary: 'Oprydning i byen.', body: 'Vi har ryddet op i hundeskoven. Hundeskoven har fået nye bænke, og hundeskoven er åben igen.' });
    await published({ title: 'Hundeskoven ved Åen er åben', summary: 'Hunde må løbe frit.', body: 'Der er hegn hele vejen rundt.' });
    expect(await titles('hundeskov')).toEqual(['Hundeskoven ved Åen er åben', 'Nyt fra Vej og Park']);
  });

  it('a self-service entry that matches comes first, even on its keywords alone', async () => {
    await published({ title: 'Vinterbadning ved Rømø', summary: 'Kom og bad med.', body: 'Vinterbadning hver søndag.', placements: [{ channel: 'website', section: 'borger' }] }, 'page');
    await selfservice('Book en tid i saunaen', ['vinterbadning', 'sauna']);
    const res = await get('/soeg?q=vinterbadning');
    expect(hitsOf(res.body).map((h) => h.title)).toEqual(['Book en tid i saunaen', 'Vinterbadning ved Rømø']);
  });

  it('an unpublished item is gone from the results at once', async () => {
    const item = await published({ title: 'Loppemarked i Højer på lørdag' });
    expect(hitsOf((await get('/soeg?q=loppemarked')).body).map((h) => h.href)).toEqual([`/nyheder/${item.slug}`]);
    await transition(t.db, intra, item.id, 'unpublish', { reason: 'error' });
    const res = await get('/soeg?q=loppemarked');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Ingen resultater for »loppemarked«');
    expect(res.body).not.toContain('Loppemarked i Højer');
  });

  it('an item on a subsite is found at the subsite address once the site exists, under its current slug, and never on an independent website', async () => {
    const regnbuen = await unitId(t.db, 'boernehuset-regnbuen');
    await t.db.transaction().execute(async (tx) => {
      const groupId = await org.insertGroup(tx, { name: 'Redaktører for Regnbuen', kind: 'subsite_editors', channel: null, subsiteUnitId: regnbuen, purpose: null, endsOn: null });
      await org.setMember(tx, groupId, web.personId, 'lead');
      await org.setMember(tx, groupId, intra.personId, 'member');
    });
    const [author, approver] = [await actorByEmail(t.db, 'web@demo.mediehus.dk'), await actorByEmail(t.db, 'intra@demo.mediehus.dk')];
    const item = await published({ title: 'Forældremøde i Regnbuen', ownerUnitId: regnbuen, placements: [{ channel: 'subsite', unitId: regnbuen }] }, 'news', author, approver);

    // The unit has no site yet: the page cannot be opened, so it is not found.
    expect(await titles('forældremøde')).toEqual([]);

    const siteId = newId();
    const now = nowIso();
    await t.db
      .insertInto('sites')
      .values({ id: siteId, kind: 'subsite', unit_id: regnbuen, name: 'Børnehuset Regnbuen', slug: 'regnbuen', host: null, intro: '', menu: '[]', slot_count: 6, active: 1, created_by: null, created_at: now, updated_at: now })
      .execute();
    // As the sites service does with every change readers can see.
    await bumpSiteGeneration(t.db);
    let res = await get('/soeg?q=for%C3%A6ldrem%C3%B8de');
    expect(hitsOf(res.body)).toEqual([{ title: 'Forældremøde i Regnbuen', href: `/regnbuen/${item.slug}` }]);
    expect(res.body).toContain('Nyhed · Børnehuset Regnbuen');

    await t.db.updateTable('sites').set({ slug: 'boernehuset-regnbuen' }).where('id', '=', siteId).execute();
    await bumpSiteGeneration(t.db);
    res = await get('/soeg?q=for%C3%A6ldrem%C3%B8de');
    expect(hitsOf(res.body).map((h) => h.href)).toEqual([`/boernehuset-regnbuen/${item.slug}`]);

    // A search limited to the subsite finds it; one limited to the main website does not.
    expect((await searchSites(t.db, { q: 'forældremøde', siteKeys: [siteId] })).total).toBe(1);
    expect((await searchSites(t.db, { q: 'forældremøde', siteKeys: ['main'] })).total).toBe(0);

    await t.db.updateTable('sites').set({ kind: 'independent', host: 'regnbuen.example.dk' }).where('id', '=', siteId).execute();
    await bumpSiteGeneration(t.db);
    expect(await titles('forældremøde')).toEqual([]);
    expect((await searchSites(t.db, { q: 'forældremøde', siteKeys: [siteId] })).hits.map((h) => h.url)).toEqual([`https://regnbuen.example.dk/${item.slug}`]);
  });

  it('the excerpt marks the words searched for and shows the text, and what was typed, as text', async () => {
    await published({
      title: 'Kloakering <b>på</b> Storegade',
      summary: 'Vejen graves op.',
      body: 'Vi begynder <script>alert(1)</script> kloakeringen af Storegade i uge 12. Kør udenom ad Vestergade.',
    });
    const res = await get('/soeg?q=kloakering');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; <mark>kloakeringen</mark> af Storegade');
    expect(res.body).toContain('<mark>Kloakering</mark> &lt;b&gt;på&lt;/b&gt; Storegade');
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).not.toContain('<b>på</b>');

    const typed = await get(`/soeg?q=${encodeURIComponent('kloakering <img src=x onerror=alert(1)>')}`);
    expect(typed.statusCode).toBe(200);
    expect(typed.body).toContain('value="kloakering &lt;img src=x onerror=alert(1)&gt;"');
    expect(typed.body).toContain('»kloakering &lt;img src=x onerror=alert(1)&gt;«');
    expect(typed.body).not.toContain('<img src=x');
  });

  it('a near-miss gets "Mente du …?" with the nearest known word, which leads to the results', async () => {
    const res = await get('/soeg?q=flytnig');
    expect(res.body).toContain('Ingen resultater for »flytnig«');
    expect(res.body).toContain('Mente du <a href="/soeg?q=flytning">flytning</a>?');
    expect(hitsOf((await get('/soeg?q=flytning')).body).length).toBeGreaterThan(0);
    // A word the search knows is not "corrected", and nothing is offered when nothing is near.
    expect((await get('/soeg?q=pas')).body).not.toContain('Mente du');
    expect((await get('/soeg?q=xqzvwk')).body).not.toContain('Mente du');
  });

  it('the type filter shows only the chosen types and stays ticked', async () => {
    const res = await get('/soeg?q=flytning&type=page');
    expect(hitsOf(res.body).map((h) => h.href)).toEqual(['/borger/flytning']);
    expect(res.body).toContain('1 resultat for »flytning«');
    expect(res.body).toMatch(/id="f-type-page" name="type" class="form-checkbox" value="page"\s+checked/);

    const both = await get('/soeg?q=flytning&type=page&type=selfservice&type=ukendt');
    expect(hitsOf(both.body).map((h) => h.href)).toEqual(['https://www.borger.dk/bolig-og-flytning/flytning', '/borger/flytning']);

    const none = await get('/soeg?q=flytning&type=event');
    expect(none.body).toContain('Ingen resultater for »flytning«');
    expect(none.body).toContain('<a href="/soeg?q=flytning">søge i alle typer indhold</a>');
  });

  it('results come ten to a page with working page links, and a page past the last is not found', async () => {
    for (let i = 1; i <= 12; i++) await published({ title: `Høstmarked nummer ${i}`, body: `Høstmarkedet er åbent. Nummer ${i}.` });
    const first = await get('/soeg?q=h%C3%B8stmarked');
    expect(first.body).toContain('12 resultater for »høstmarked«');
    expect(hitsOf(first.body)).toHaveLength(10);
    expect(first.body).toContain('href="/soeg?q=h%C3%B8stmarked&amp;side=2"');
    const second = await get('/soeg?q=h%C3%B8stmarked&side=2');
    expect(second.statusCode).toBe(200);
    expect(hitsOf(second.body)).toHaveLength(2);
    expect(second.body).toContain('<ol class="nobullet-list mh-listing" aria-labelledby="results-heading" start="11">');
    const all = [...hitsOf(first.body), ...hitsOf(second.body)].map((h) => h.href);
    expect(new Set(all).size).toBe(12);
    expect((await get('/soeg?q=h%C3%B8stmarked&side=3')).statusCode).toBe(404);
  });

  it('a very broad search is counted only so far, and listed self-service first, then title matches newest first, then the rest', async () => {
    await selfservice('Book en stand', ['høstmarked']);
    await published({ title: 'Program for weekenden', body: 'Lørdag er der høstmarked på Torvet.' });
    // Small bounds reach the path that a search with thousands of hits takes on the public site.
    const limits = { rank: 3, count: 13 };
    const page1 = await searchSites(t.db, { q: 'høstmarked', limits });
    expect(page1.total).toBe(13);
    expect(page1.moreThanTotal).toBe(true);
    expect(page1.totalPages).toBe(2);
    const page2 = await searchSites(t.db, { q: 'høstmarked', limits, page: 2 });
    const text = (h: { title: { text: string }[] }) => h.title.map((s) => s.text).join('');
    expect(page1.hits.map(text).slice(0, 2)).toEqual(['Book en stand', 'Høstmarked nummer 12']);
    // The last page shows what there is; the text-only match comes after every title match.
    expect(page2.hits.map(text)).toEqual(['Høstmarked nummer 3', 'Høstmarked nummer 2', 'Høstmarked nummer 1', 'Program for weekenden']);
    expect(new Set([...page1.hits, ...page2.hits].map((h) => h.id)).size).toBe(14);
    const all = await searchSites(t.db, { q: 'høstmarked', limits: { rank: 3, count: 100 }, perPage: 100 });
    expect(all.hits.map(text).at(-1)).toBe('Program for weekenden');
    expect(all.hits).toHaveLength(14);
  });

  it('an empty search shows the form and a hint, and results pages are kept out of search engines', async () => {
    const empty = await get('/soeg');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('Skriv et eller flere ord');
    expect(empty.body).not.toContain('noindex');
    expect(empty.body).toContain('<link rel="canonical" href="http://localhost:3000/soeg">');
    const results = await get('/soeg?q=pas');
    expect(results.body).toContain('<meta name="robots" content="noindex">');
    expect(results.body).not.toContain('rel="canonical"');
  });

  it('rebuilding the index gives the same answers, and "Mente du" still knows its words', async () => {
    const before = await searchSites(t.db, { q: 'flytning' });
    await t.db.deleteFrom('search_entries').execute();
    expect((await searchSites(t.db, { q: 'flytning' })).total).toBe(0);
    const indexed = await reindexSearch(t.db);
    expect(indexed).toBeGreaterThan(20);
    const after = await searchSites(t.db, { q: 'flytning' });
    expect(after.hits.map((h) => h.url)).toEqual(before.hits.map((h) => h.url));
    expect((await searchSites(t.db, { q: 'flytnig' })).suggestion).toBe('flytning');
    expect(await titles('loppemarked')).toEqual([]);
  });
});
