import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { dialects } from '../../test/support/databases.ts';
import { createItem, transition } from '../content/service.ts';
import * as store from '../content/store.ts';
import type { Actor } from '../org/actor.ts';
import { buildApp } from '../platform/app.ts';
import { createDb } from '../platform/db.ts';
import { newPage, PageStore, preferredEncoding, PUBLIC_PAGE_CACHE_CONTROL } from './page-cache.ts';

describe.each(dialects)('the public pages cache (%s)', (dialect) => {
  let t: TestApp;
  let web: Actor, intra: Actor;
  let kom: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, {}, {
      beforeReady: (app) => {
        // A page with a form: its CSRF token comes with a cookie, so it is the reader's own.
        app.get('/proeve/formular', async (_request, reply) => reply.type('text/html; charset=utf-8').send(`<p>${reply.generateCsrf()}</p>`.padEnd(2000, ' ')));
        app.get('/proeve/ur', { config: { pageCache: false } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(`<p>${process.hrtime.bigint()}</p>`));
      },
    });
    [web, intra] = [await actorByEmail(t.db, DEMO.web), await actorByEmail(t.db, DEMO.intranet)];
    kom = await unitId(t.db, 'kommunikation');
  });
  afterAll(async () => t?.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  /** Right after a change the cache renders every page until it has seen the change committed; wait for that. */
  const kept = (url: string) =>
    vi.waitFor(async () => {
      await get(url);
      expect((await get(url)).headers['x-cache']).toBe('HIT');
    });

  async function publishedNews(db: TestApp['db'], title: string) {
    const { id } = await createItem(db, web, 'news', newsInput(kom, { title }));
    await transition(db, web, id, 'submit');
    await transition(db, intra, id, 'approve');
    await transition(db, intra, id, 'publish');
    return (await store.findItem(db, id))!;
  }

  it('a reader asking for a page again gets the same bytes and ETag from the cache, with a Cache-Control a CDN may honour', async () => {
    const first = await get('/');
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-cache']).toBe('MISS');
    expect(first.headers['cache-control']).toBe(PUBLIC_PAGE_CACHE_CONTROL);
    const second = await get('/');
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    expect(second.headers['content-security-policy']).toBe(first.headers['content-security-policy']);
    expect(second.headers['cache-control']).toBe(PUBLIC_PAGE_CACHE_CONTROL);
    expect(second.headers['set-cookie']).toBeUndefined();
  });

  it('a kept page comes as brotli or gzip as the browser takes it, and answers 304 to its ETag', async () => {
    await kept('/nyheder');
    const plain = await get('/nyheder');
    const br = await get('/nyheder', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['x-cache']).toBe('HIT');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('accept-encoding');
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    const gzip = await get('/nyheder', { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);

    const again = await get('/nyheder', { 'if-none-match': plain.headers.etag as string });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(plain.headers.etag);
    const head = await t.app.inject({ method: 'HEAD', url: '/nyheder' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(plain.rawPayload.length));
  });

  it('a published news item is on the news list and the front page at the next request, and gone at the next after it is unpublished', async () => {
    for (const url of ['/nyheder', '/', '/nyheder', '/']) expect((await get(url)).body).not.toContain('Vandværket holder åbent hus');
    const item = await publishedNews(t.db, 'Vandværket holder åbent hus');
    expect((await get('/nyheder')).body).toContain('Vandværket holder åbent hus');
    expect((await get('/')).body).toContain('Vandværket holder åbent hus');
    expect((await get(`/nyheder/${item.slug}`)).statusCode).toBe(200);
    await kept(`/nyheder/${item.slug}`);

    await transition(t.db, intra, item.id, 'unpublish', { reason: 'error' });
    expect((await get('/nyheder')).body).not.toContain('Vandværket holder åbent hus');
    expect((await get(`/nyheder/${item.slug}`)).statusCode).toBe(404);
  });

  it('an editor publishing through the admin is seen by readers at once', async () => {
    const editor = new Browser(t.app);
    const approver = new Browser(t.app);
    await editor.signIn(DEMO.web);
    await approver.signIn(DEMO.intranet);
    const { id } = await createItem(t.db, web, 'news', newsInput(kom, { title: 'Ny busrute til Rømø' }));
    await kept('/nyheder');
    expect((await get('/nyheder')).body).not.toContain('Ny busrute til Rømø');
    await editor.get(`/admin/indhold/${id}`);
    expect((await editor.post(`/admin/indhold/${id}/trin/submit`)).statusCode).toBe(303);
    await approver.get(`/admin/indhold/${id}`);
    expect((await approver.post(`/admin/indhold/${id}/trin/approve`)).statusCode).toBe(303);
    await approver.get(`/admin/indhold/${id}`);
    expect((await approver.post(`/admin/indhold/${id}/trin/publish`)).statusCode).toBe(303);
    expect((await get('/nyheder')).body).toContain('Ny busrute til Rømø');
  });

  it('a second Mediehus process sharing the database shows a published item within a second', async () => {
    const otherDb = createDb(t.database.settings);
    let other: FastifyInstance | undefined;
    try {
      other = await buildApp({ config: t.config, db: otherDb });
      await other.ready();
      const there = (url: string) => other!.inject({ method: 'GET', url });
      await there('/nyheder');
      expect((await there('/nyheder')).headers['x-cache']).toBe('HIT');

      const item = await publishedNews(t.db, 'Havnebadet åbner for sæsonen');
      await vi.waitFor(async () => expect((await there('/nyheder')).body).toContain('Havnebadet åbner for sæsonen'), { timeout: 1_000, interval: 20 });
      await transition(t.db, intra, item.id, 'unpublish', { reason: 'error' });
      await vi.waitFor(async () => expect((await there('/nyheder')).body).not.toContain('Havnebadet åbner for sæsonen'), { timeout: 1_000, interval: 20 });
    } finally {
      await other?.close();
      await otherDb.destroy();
    }
  });

  it('a signed-in person gets their own page, never a kept one, and theirs is never kept for others', async () => {
    await kept('/');
    const b = new Browser(t.app);
    await b.signIn(DEMO.web);
    const mine = await b.get('/');
    expect(mine.body).toContain('mh-user-name');
    expect(mine.headers['cache-control']).toBe('private, no-store');
    expect(mine.headers['x-cache']).toBeUndefined();
    const again = await b.get('/');
    expect(again.body).toContain('mh-user-name');
    expect(again.headers['x-cache']).toBeUndefined();
    expect((await get('/')).body).not.toContain('mh-user-name');
  });

  it('pages that set a cookie, opt out, or belong to the signed-in areas are rendered for every request', async () => {
    await kept('/');
    await get('/proeve/formular');
    const form = await get('/proeve/formular');
    expect(form.headers['set-cookie']).toBeDefined();
    expect(form.headers['x-cache']).toBe('MISS');

    const clock = await get('/proeve/ur');
    expect((await get('/proeve/ur')).body).not.toBe(clock.body);

    await get('/login');
    const login = await get('/login');
    expect(login.headers['x-cache']).toBeUndefined();
    expect(login.headers['set-cookie']).toBeDefined();

    expect((await get('/findes-ikke')).headers['x-cache']).toBeUndefined();
    expect((await get('/findes-ikke')).statusCode).toBe(404);
  });
});

describe('the store of kept pages', () => {
  const page = (key: string, bytes: number) => newPage(key, Buffer.alloc(bytes, 'a'), `"${key}"`, { 'content-type': 'text/html' });

  it('forgets the least recently used page when it holds too many or too many bytes', () => {
    const s = new PageStore({ maxEntries: 2, maxBytes: 1_000_000, ttlMs: 60_000 });
    s.set(page('a', 10));
    s.set(page('b', 10));
    s.get('a');
    s.set(page('c', 10));
    expect([s.get('a')?.key, s.get('b')?.key, s.get('c')?.key]).toEqual(['a', undefined, 'c']);

    const small = new PageStore({ maxEntries: 100, maxBytes: 20_000, ttlMs: 60_000 });
    small.set(page('x', 8_000));
    small.set(page('y', 8_000));
    small.set(page('z', 8_000));
    expect(small.get('x')).toBeUndefined();
    expect(small.size.bytes).toBeLessThanOrEqual(20_000);
  });

  it('forgets a page once it is older than its time to live', () => {
    const s = new PageStore({ maxEntries: 10, maxBytes: 1_000_000, ttlMs: 60_000 });
    s.set(newPage('a', Buffer.from('x'), '"a"', {}, 1_000));
    expect(s.get('a', 30_000)?.key).toBe('a');
    expect(s.get('a', 62_000)).toBeUndefined();
  });

  it('picks brotli before gzip and honours q=0', () => {
    expect(preferredEncoding('gzip, deflate, br')).toBe('br');
    expect(preferredEncoding('gzip, br;q=0')).toBe('gzip');
    expect(preferredEncoding('identity')).toBe('identity');
    expect(preferredEncoding(undefined)).toBe('identity');
    expect(preferredEncoding('*')).toBe('br');
  });
});
