import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { dialects } from '../../test/support/databases.ts';
import { createItem, transition } from '../content/service.ts';
import * as store from '../content/store.ts';
import type { Actor } from '../org/actor.ts';

const BASE = 'https://www.toender.dk';

describe.each(dialects)('the news list and its feed (%s)', (dialect) => {
  let t: TestApp;
  let web: Actor, intra: Actor;
  let kom: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { MEDIEHUS_BASE_URL: BASE });
    [web, intra] = [await actorByEmail(t.db, 'web@demo.mediehus.dk'), await actorByEmail(t.db, 'intra@demo.mediehus.dk')];
    kom = await unitId(t.db, 'kommunikation');
  });
  afterAll(async () => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });

  /** Published through the workflow, then dated so the order under test does not hang on the clock. */
  async function published(title: string, publishedAt: string, overrides: Record<string, unknown> = {}) {
    const { id } = await createItem(t.db, web, 'news', newsInput(kom, { title, summary: `Resumé af ${title}.`, ...overrides }));
    await transition(t.db, web, id, 'submit');
    await transition(t.db, intra, id, 'approve');
    await transition(t.db, intra, id, 'publish');
    await t.db.updateTable('items').set({ first_published_at: publishedAt }).where('id', '=', id).execute();
    return (await store.findItem(t.db, id))!;
  }

  it('the list shows live news newest first with date and summary, and not drafts, unpublished news or news placed elsewhere', async () => {
    const older = await published('Ældre nyhed om vandværket', '2031-01-02T09:00:00.000Z');
    const newer = await published('Nyere nyhed om havnen', '2031-01-03T09:00:00.000Z');
    await createItem(t.db, web, 'news', newsInput(kom, { title: 'Kladde der ikke må ses' }));
    const withdrawn = await published('Nyhed udgivet ved en fejl', '2031-01-04T09:00:00.000Z');
    await transition(t.db, intra, withdrawn.id, 'unpublish', { reason: 'error' });
    await published('Nyhed kun for borgersiderne', '2031-01-05T09:00:00.000Z', { placements: [{ channel: 'website', section: 'borger' }] });

    const res = await get('/nyheder');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Nyheder</h1>');
    expect(res.body).toContain(`<a href="/nyheder/${newer.slug}">Nyere nyhed om havnen</a>`);
    expect(res.body).toContain('Resumé af Nyere nyhed om havnen.');
    expect(res.body).toContain('3. januar 2031');
    expect(res.body.indexOf('Nyere nyhed om havnen')).toBeLessThan(res.body.indexOf(older.title));
    expect(res.body).not.toContain('Kladde der ikke må ses');
    expect(res.body).not.toContain('Nyhed udgivet ved en fejl');
    expect(res.body).not.toContain('Nyhed kun for borgersiderne');
    expect(res.body).toContain('<link rel="alternate" type="application/rss+xml" title="Nyheder fra Tønder Kommune" href="/nyheder/feed.xml">');
  });

  it('readers get no cookie and a page shared caches may keep for a minute', async () => {
    for (const url of ['/nyheder', '/nyheder/feed.xml']) {
      const res = await get(url);
      expect(res.headers['set-cookie'], url).toBeUndefined();
      expect(res.headers['cache-control'], url).toBe('public, max-age=60');
    }
  });

  it('ten news to a page, with real links between the pages', async () => {
    const items = [];
    for (let i = 1; i <= 11; i++) items.push(await published(`Side-nyhed nummer ${String(i).padStart(2, '0')}`, `2032-01-01T00:00:${String(i).padStart(2, '0')}.000Z`));

    const first = await get('/nyheder');
    for (const n of items.slice(1)) expect(first.body).toContain(n.title);
    expect(first.body).not.toContain(items[0]!.title);
    expect(first.body).toContain('href="/nyheder?side=2"');
    expect(first.body).toMatch(/aria-label="Side 1" aria-current="page"/);

    const second = await get('/nyheder?side=2');
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain(items[0]!.title);
    expect(second.body).not.toContain(items[10]!.title);
    expect(second.body).toContain('href="/nyheder"');
    expect(second.body).toContain('<title>Nyheder, side 2');
    // Each page of the list is its own address for search engines; the first is the list itself.
    expect(second.body).toMatch(/<link rel="canonical" href="[^"]+\/nyheder\?side=2">/);
    expect(first.body).toMatch(/<link rel="canonical" href="[^"]+\/nyheder">/);

    expect((await get('/nyheder?side=99')).statusCode).toBe(404);
  });

  it('the feed is read by a real feed parser with the right titles, absolute links and dates, newest first', async () => {
    const res = await get('/nyheder/feed.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');

    const feed = await new Parser().parseString(res.body);
    expect(feed.title).toBe('Nyheder fra Tønder Kommune');
    expect(feed.link).toBe(`${BASE}/nyheder`);
    expect(res.body).toContain('<language>da</language>');

    const live = await t.db
      .selectFrom('items')
      .innerJoin('live_placements', 'live_placements.item_id', 'items.id')
      .select(['items.slug', 'items.title', 'items.first_published_at'])
      .where('items.type', '=', 'news')
      .where('live_placements.channel', '=', 'website')
      .where('live_placements.target', '=', 'nyheder')
      .orderBy('items.first_published_at', 'desc')
      .orderBy('items.id', 'desc')
      .limit(20)
      .execute();
    expect(live.length).toBeGreaterThan(10);
    expect(feed.items.map((i) => i.title)).toEqual(live.map((i) => i.title));
    expect(feed.items.map((i) => i.link)).toEqual(live.map((i) => `${BASE}/nyheder/${i.slug}`));
    expect(feed.items.map((i) => i.isoDate)).toEqual(live.map((i) => new Date(Math.floor(Date.parse(i.first_published_at!) / 1000) * 1000).toISOString()));

    const newest = feed.items[0]!;
    expect(newest.title).toBe('Side-nyhed nummer 11');
    expect(newest.contentSnippet).toBe('Resumé af Side-nyhed nummer 11.');
    expect(feed.items.map((i) => i.title)).not.toContain('Kladde der ikke må ses');
  });

  it('a summary with markup characters reaches the feed reader as the text the editor wrote', async () => {
    await published('Tal & fakta om <budgettet>', '2033-01-01T00:00:00.000Z', { summary: 'Skatten stiger < 1 % & gebyrerne "falder".' });
    const feed = await new Parser().parseString((await get('/nyheder/feed.xml')).body);
    expect(feed.items[0]!.title).toBe('Tal & fakta om <budgettet>');
    expect(feed.items[0]!.contentSnippet).toBe('Skatten stiger < 1 % & gebyrerne "falder".');
  });
});
