import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { dialects } from '../../test/support/databases.ts';
import { createItem, transition } from '../content/service.ts';
import * as store from '../content/store.ts';
import type { Actor } from '../org/actor.ts';
import { escapeXml } from './discovery-routes.ts';

const BASE_URL = 'https://www.toender.dk';

/** The <loc> addresses of a sitemap, after checking it is the urlset the sitemap protocol prescribes and nothing else. */
function sitemapLocations(xml: string): { loc: string; lastmod?: string }[] {
  const m = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9">\n((?:\s*<url>[\s\S]*?<\/url>)*)\s*<\/urlset>\s*$/.exec(xml);
  if (!m) throw new Error(`not a sitemap urlset:\n${xml}`);
  const urls = [...m[1]!.matchAll(/<url>([\s\S]*?)<\/url>/g)].map((u) => u[1]!);
  return urls.map((u) => {
    const parsed = /^\s*<loc>([^<]+)<\/loc>\s*(?:<lastmod>(\d{4}-\d{2}-\d{2})<\/lastmod>\s*)?$/.exec(u);
    if (!parsed) throw new Error(`not a sitemap url entry: ${u}`);
    // Outside entities, a bare & would make the document unreadable for a strict XML parser.
    expect(parsed[1]).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
    return { loc: parsed[1]!, lastmod: parsed[2] };
  });
}

describe('escaping text for XML', () => {
  it('escapes the five characters XML reserves and leaves the rest alone', () => {
    expect(escapeXml(`a&b<c>d"e'f æøå`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f æøå');
  });
});

describe.each(dialects)('robots.txt, sitemap and page metadata (%s)', (dialect) => {
  let t: TestApp;
  let web: Actor, intra: Actor;
  let kom: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { MEDIEHUS_BASE_URL: BASE_URL });
    [web, intra] = [await actorByEmail(t.db, DEMO.web), await actorByEmail(t.db, DEMO.intranet)];
    kom = await unitId(t.db, 'kommunikation');
  });
  afterAll(async () => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });

  async function published(overrides: Record<string, unknown> = {}) {
    const { id } = await createItem(t.db, web, 'news', newsInput(kom, overrides));
    await transition(t.db, web, id, 'submit');
    await transition(t.db, intra, id, 'approve');
    await transition(t.db, intra, id, 'publish');
    return (await store.findItem(t.db, id))!;
  }

  it('robots.txt lets crawlers read the website but not the signed-in areas, and points at the sitemap', async () => {
    const res = await get('/robots.txt');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const lines = res.body.split('\n');
    expect(lines).toEqual(expect.arrayContaining(['User-agent: *', 'Allow: /', 'Disallow: /admin', 'Disallow: /intranet', 'Disallow: /login', `Sitemap: ${BASE_URL}/sitemap.xml`]));
  });

  it('the sitemap is a urlset of absolute addresses that lists a live item with its date but not a draft', async () => {
    const live = await published({ title: 'Sitemap: ny cykelsti langs Vidåen' });
    const { id: draftId } = await createItem(t.db, web, 'news', newsInput(kom, { title: 'Sitemap: kladde der ikke må ses' }));
    const draft = (await store.findItem(t.db, draftId))!;

    const res = await get('/sitemap.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    const entries = sitemapLocations(res.body);
    const locs = entries.map((e) => e.loc);

    expect(locs).toEqual(expect.arrayContaining([`${BASE_URL}/`, `${BASE_URL}/nyheder`, `${BASE_URL}/arrangementer`, `${BASE_URL}/aabningstider`, `${BASE_URL}/was`]));
    const liveEntry = entries.find((e) => e.loc === `${BASE_URL}/nyheder/${live.slug}`);
    expect(liveEntry?.lastmod).toBe(live.live_since!.slice(0, 10));
    expect(locs.some((l) => l.endsWith(`/${draft.slug}`))).toBe(false);
    for (const loc of locs) expect(loc.startsWith(`${BASE_URL}/`), loc).toBe(true);
  });

  it('every address in the sitemap answers 200', async () => {
    await published({ title: 'Sitemap: alle adresser svarer' });
    const locs = sitemapLocations((await get('/sitemap.xml')).body).map((e) => e.loc);
    for (const loc of locs) {
      const res = await get(loc.slice(BASE_URL.length));
      expect(res.statusCode, loc).toBe(200);
    }
  });

  it("an item page has a canonical link and OpenGraph tags with the item's title and summary", async () => {
    const item = await published({ title: 'Ny legeplads i Skærbæk', summary: 'Legepladsen åbner for børn & forældre 1. maj.' });
    const res = await get(`/nyheder/${item.slug}?utm_source=nyhedsbrev`);
    expect(res.statusCode).toBe(200);
    const canonical = `${BASE_URL}/nyheder/${item.slug}`;
    expect(res.body).toContain(`<link rel="canonical" href="${canonical}">`);
    expect(res.body).toContain(`<meta property="og:url" content="${canonical}">`);
    expect(res.body).toContain('<meta property="og:title" content="Ny legeplads i Skærbæk">');
    expect(res.body).toContain('<meta property="og:type" content="article">');
    expect(res.body).toContain('<meta property="og:site_name" content="Tønder Kommune">');
    expect(res.body).toContain('<meta property="og:locale" content="da_DK">');
    expect(res.body).toContain('<meta property="og:description" content="Legepladsen åbner for børn &amp; forældre 1. maj.">');
    expect(res.body).toContain('<meta name="description" content="Legepladsen åbner for børn &amp; forældre 1. maj.">');
  });

  it('a missing page and a withdrawn item name no canonical address', async () => {
    const gone = await published({ title: 'Trukket tilbage før kanonisk adresse' });
    await transition(t.db, intra, gone.id, 'unpublish', { reason: 'withdrawn', note: 'Forældet.' });
    for (const url of ['/nyheder/findes-ikke', `/nyheder/${gone.slug}`]) {
      const res = await get(url);
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.body, url).not.toContain('rel="canonical"');
    }
  });

  it('the front page is a website with its own canonical address', async () => {
    const res = await get('/');
    expect(res.body).toContain(`<link rel="canonical" href="${BASE_URL}/">`);
    expect(res.body).toContain('<meta property="og:type" content="website">');
  });

  it('the sign-in page and admin pages name no canonical address', async () => {
    expect((await get('/login')).body).not.toContain('rel="canonical"');
    const owner = new Browser(t.app);
    await owner.signIn(DEMO.owner);
    for (const url of ['/admin', '/admin/enheder']) {
      const res = await owner.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toContain('rel="canonical"');
    }
  });

  it('the footer links to the built-in accessibility statement by default', async () => {
    expect((await get('/')).body).toContain('<a href="/was">Tilgængelighedserklæring</a>');
  });
});

describe.each(dialects)('a configured accessibility statement (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { MEDIEHUS_ACCESSIBILITY_URL: 'https://was.digst.dk/toender-dk' });
  });
  afterAll(async () => t?.close());

  it('MEDIEHUS_ACCESSIBILITY_URL changes the footer link', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.body).toContain('<a href="https://was.digst.dk/toender-dk">Tilgængelighedserklæring</a>');
    expect(res.body).not.toContain('<a href="/was">');
  });
});
