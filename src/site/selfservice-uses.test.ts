import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { dialects } from '../../test/support/databases.ts';
import { createItem } from '../content/service.ts';
import { localDate } from '../platform/time.ts';
import { bumpSiteGeneration } from './generation.ts';
import { mostUsedSelfService, recordSelfServiceUse } from './selfservice-uses.ts';

const DAY_MS = 86_400_000;

describe.each(dialects)('counting self-service starts (%s)', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const selfService = async (title: string) =>
    (await t.db.selectFrom('items').select(['id', 'slug']).where('title', '=', title).where('type', '=', 'selfservice').executeTakeFirstOrThrow());

  const usesToday = async (itemId: string) =>
    (await t.db.selectFrom('selfservice_uses').select('uses').where('item_id', '=', itemId).where('day', '=', localDate()).executeTakeFirst())?.uses ?? 0;

  /** The titles in the front page's "most used" list, in order. */
  async function mostUsedOnFront(): Promise<string[]> {
    const res = await t.app.inject('/');
    const section = /<section aria-labelledby="h-selvbetjening"[\s\S]*?<\/section>/.exec(res.body)?.[0] ?? '';
    return [...section.matchAll(/rel="nofollow" class="function-link">([^<]+)<\/a>/g)].map((m) => m[1]!);
  }

  it('the start link counts one start for today and sends the reader on to the solution, with no cookie', async () => {
    const pas = await selfService('Pas');
    const before = await usesToday(pas.id);

    const res = await t.app.inject(`/selvbetjening/${pas.slug}/start`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('https://www.borger.dk/internet-og-sikkerhed/pas');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(await usesToday(pas.id)).toBe(before + 1);

    await t.app.inject(`/selvbetjening/${pas.slug}/start`);
    expect(await usesToday(pas.id)).toBe(before + 2);
  });

  it('a crawler is sent on too, but not counted', async () => {
    const pas = await selfService('Pas');
    const before = await usesToday(pas.id);
    const res = await t.app.inject({ url: `/selvbetjening/${pas.slug}/start`, headers: { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1)' } });
    expect(res.statusCode).toBe(303);
    expect(await usesToday(pas.id)).toBe(before);
  });

  it('only live self-service entries on the website have a start address', async () => {
    const web = await actorByEmail(t.db, 'web@demo.mediehus.dk');
    const kom = await unitId(t.db, 'kommunikation');
    const { id } = await createItem(
      t.db,
      web,
      'selfservice',
      newsInput(kom, { title: 'Kladde til start', placements: [{ channel: 'website', section: 'borger' }], fields: { targetUrl: 'https://example.dk/kladde', keywords: [] } }),
    );
    const draft = (await t.db.selectFrom('items').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug;
    const page = (await t.db.selectFrom('items').select('slug').where('title', '=', 'Affald').executeTakeFirstOrThrow()).slug;
    for (const slug of [draft, page, 'findes-ikke']) {
      const res = await t.app.inject(`/selvbetjening/${slug}/start`);
      expect(res.statusCode, slug).toBe(404);
    }
    expect(await t.db.selectFrom('selfservice_uses').select('uses').where('item_id', '=', id).execute()).toEqual([]);
  });

  it('the front page lists the most started in the last 30 days first, and fills up A–Z', async () => {
    await t.db.deleteFrom('selfservice_uses').execute();
    const now = new Date();
    const [sygesikring, pas, affald] = [await selfService('Sygesikring'), await selfService('Pas'), await selfService('Affaldskalender')];
    await recordSelfServiceUse(t.db, pas.id, now, 3);
    await recordSelfServiceUse(t.db, sygesikring.id, new Date(now.getTime() - 10 * DAY_MS), 5);
    // Many starts, but too long ago to count.
    await recordSelfServiceUse(t.db, affald.id, new Date(now.getTime() - 40 * DAY_MS), 100);

    expect((await mostUsedSelfService(t.db)).map((e) => e.title)).toEqual(['Sygesikring', 'Pas', 'Affaldskalender', 'Ansøg om pladsanvisning', 'Byggeansøgning via Byg og Miljø', 'Flytning']);
    expect((await mostUsedSelfService(t.db, { limit: 3 })).map((e) => e.title)).toEqual(['Sygesikring', 'Pas', 'Affaldskalender']);

    // Counts change no page by themselves; the front page is rendered anew once anything else changes.
    await t.db.transaction().execute(bumpSiteGeneration);
    expect(await mostUsedOnFront()).toEqual(['Sygesikring', 'Pas', 'Affaldskalender', 'Ansøg om pladsanvisning', 'Byggeansøgning via Byg og Miljø', 'Flytning']);

    // Pas overtakes Sygesikring.
    await recordSelfServiceUse(t.db, pas.id, now, 3);
    expect((await mostUsedSelfService(t.db)).slice(0, 2).map((e) => e.title)).toEqual(['Pas', 'Sygesikring']);
  });

  it('the front page links each most used entry to its start address', async () => {
    const pas = await selfService('Pas');
    const res = await t.app.inject('/');
    expect(res.body).toContain(`<a href="/selvbetjening/${pas.slug}/start" rel="nofollow" class="function-link">Pas</a>`);
    expect(res.body).toContain('<a href="/selvbetjening">Alle selvbetjeninger fra A til Å</a>');
  });
});
