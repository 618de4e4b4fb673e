import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { dialects } from '../../test/support/databases.ts';
import { mediaFileRoutes } from './media-files.ts';
import { MB } from './media-markup.ts';
import { createItem } from './service.ts';

/** For as long as src/platform/app.ts does not register the file routes itself. */
function withMediaFiles(app: FastifyInstance): void {
  if (!app.hasRoute({ method: 'GET', url: '/media/:id/:file' })) void app.register(mediaFileRoutes);
}

const photo = () => sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 20, g: 110, b: 60 } } }).jpeg().toBuffer();

const tokenOn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe.each(dialects)('the media library over HTTP (%s)', (dialect) => {
  let t: TestApp;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-media-'));
    t = await createTestApp(dialect, { MEDIEHUS_DATA_DIR: dataDir }, { beforeReady: withMediaFiles });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const mediaCount = async () => Number((await t.db.selectFrom('media').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  async function signedIn(email: string): Promise<Browser> {
    const b = new Browser(t.app);
    await b.signIn(email);
    return b;
  }

  /** Sends the upload form as a browser does: multipart, with `_csrf` first. `csrf: null` leaves the token out. */
  async function sendUpload(b: Browser, file: { data: Buffer; name: string; type?: string } | null, alt: string, options: { csrf?: string | null } = {}) {
    const page = await b.get('/admin/medier');
    const form = new FormData();
    const token = options.csrf === undefined ? tokenOn(page.body) : options.csrf;
    if (token !== null) form.append('_csrf', token);
    form.append('alt', alt);
    if (file) form.append('file', new Blob([new Uint8Array(file.data)], { type: file.type ?? 'image/jpeg' }), file.name);
    return t.app.inject({ method: 'POST', url: '/admin/medier', payload: form, cookies: Object.fromEntries(b.cookies) });
  }

  async function uploaded(alt: string): Promise<string> {
    const res = await sendUpload(await signedIn(DEMO.web), { data: await photo(), name: 'torvet.jpg' }, alt);
    expect(res.statusCode).toBe(303);
    return (await t.db.selectFrom('media').select('id').where('alt', '=', alt).executeTakeFirstOrThrow()).id;
  }

  it('a web editor uploads an image through the form, and the library shows it with its thumbnail, alt text, size and uploader', async () => {
    const b = await signedIn(DEMO.web);
    const page = await b.get('/admin/medier');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toMatch(/<a href="\/admin\/medier" class="nav-link" aria-current="page"><span>Medier<\/span>/);

    const res = await sendUpload(b, { data: await photo(), name: 'C:\\Billeder\\torvet.jpg' }, 'Torvet i Tønder med julebelysning');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/medier?uploadet=1');

    const list = await b.get('/admin/medier?uploadet=1');
    const row = await t.db.selectFrom('media').selectAll().where('alt', '=', 'Torvet i Tønder med julebelysning').executeTakeFirstOrThrow();
    expect(row.original_name).toBe('torvet.jpg');
    expect(list.body).toContain('Billedet er uploadet.');
    expect(list.body).toContain('Torvet i Tønder med julebelysning');
    expect(list.body).toContain(`<source type="image/webp" srcset="/media/${row.id}/320.webp 320w"`);
    expect(list.body).toContain(`src="/media/${row.id}/320.jpg"`);
    expect(list.body).toContain('1200 × 800 pixel, JPEG');
    expect(list.body).toContain(' af Jonas Holm</p>');
    expect(list.body).toContain(`href="/admin/medier/${row.id}"`);
  });

  it('the file URL serves each rendition with its type and the immutable cache header, to anyone', async () => {
    const id = await uploaded('Skoven ved Draved');
    for (const [file, type, format] of [['640.webp', 'image/webp', 'webp'], ['1024.jpg', 'image/jpeg', 'jpeg']] as const) {
      const res = await t.app.inject({ method: 'GET', url: `/media/${id}/${file}` });
      expect(res.statusCode, file).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
      expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
      expect((await sharp(res.rawPayload).metadata()).format).toBe(format);
    }
  });

  it('unknown files and anything that tries to leave the media folder are 404', async () => {
    const id = await uploaded('Marsken ved Rømø');
    fs.writeFileSync(path.join(dataDir, 'secret.jpg'), 'hemmeligt');
    for (const url of [
      `/media/${id}/2000.webp`,
      `/media/${id}/320.png`,
      `/media/${id}/original.jpg`,
      `/media/${id}/..%2F..%2Fsecret.jpg`,
      `/media/${id}/%2e%2e`,
      `/media/..%2Fsecret.jpg/320.jpg`,
      `/media/${id.slice(0, -1)}x/320.jpg`,
      '/media/00000000-0000-4000-8000-000000000000/320.jpg',
      '/media/..%2F..%2F/secret.jpg',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain('hemmeligt');
    }
  });

  it('a file that is not an image, a missing alt text and an oversized file are shown beside the fields with status 422, the alt text kept', async () => {
    const b = await signedIn(DEMO.web);
    const before = await mediaCount();
    const text = await sendUpload(b, { data: Buffer.from('Referat fra byrådsmødet'), name: 'referat.jpg' }, 'Min <tekst> & "citat"');
    expect(text.statusCode).toBe(422);
    expect(text.body).toContain('Filen er ikke et billede. Upload JPEG, PNG, WebP eller GIF.');
    expect(text.body).toMatch(/id="f-file"[^>]*aria-invalid="true"/);
    expect(text.body).toContain('>Min &lt;tekst&gt; &amp; &quot;citat&quot;</textarea>');

    const noAlt = await sendUpload(b, { data: await photo(), name: 'havn.jpg' }, '');
    expect(noAlt.statusCode).toBe(422);
    expect(noAlt.body).toContain('Skriv en alternativ tekst, der beskriver billedet for dem, der ikke kan se det.');
    expect(noAlt.body).toContain('Vælg filen igen');

    const big = Buffer.alloc(16 * MB);
    (await photo()).copy(big);
    const tooLarge = await sendUpload(b, { data: big, name: 'stor.jpg' }, 'Stort billede');
    expect(tooLarge.statusCode).toBe(422);
    expect(tooLarge.body).toContain('Filen er for stor (16 MB). Den må højst være 15 MB.');

    const none = await sendUpload(b, null, 'Uden fil');
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('Vælg en billedfil.');
    expect(await mediaCount()).toBe(before);
  });

  it('an upload without the CSRF token, or with a wrong one, is refused with 403 and nothing is stored', async () => {
    const b = await signedIn(DEMO.web);
    const before = await mediaCount();
    for (const csrf of [null, 'forkert-token']) {
      const res = await sendUpload(b, { data: await photo(), name: 'havn.jpg' }, 'Havnen', { csrf });
      expect(res.statusCode, String(csrf)).toBe(403);
      expect(res.body).toContain('Formularen er udløbet');
    }
    expect(await mediaCount()).toBe(before);
  });

  it('an employee without an editor role gets 403 for the library, the upload and an image', async () => {
    const id = await uploaded('Vandtårnet i Tønder');
    const b = await signedIn(DEMO.employee);
    expect((await b.get('/admin/medier')).statusCode).toBe(403);
    expect((await b.get(`/admin/medier/${id}`)).statusCode).toBe(403);
    const before = await mediaCount();
    expect((await sendUpload(b, { data: await photo(), name: 'havn.jpg' }, 'Havnen', { csrf: tokenOn((await b.get('/')).body) })).statusCode).toBe(403);
    expect((await b.post(`/admin/medier/${id}/slet`)).statusCode).toBe(403);
    expect(await mediaCount()).toBe(before);
  });

  it('the detail page shows every rendition; there the alt text is changed and an unused image deleted', async () => {
    const id = await uploaded('Rådhuset');
    const b = await signedIn(DEMO.intranet);
    const page = await b.get(`/admin/medier/${id}`);
    expect(page.statusCode).toBe(200);
    for (const file of ['320.webp', '320.jpg', '640.webp', '640.jpg', '1024.webp', '1024.jpg', '1200.webp', '1200.jpg']) expect(page.body).toContain(`/media/${id}/${file}`);

    const empty = await b.post(`/admin/medier/${id}`, { alt: ' ' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Skriv en alternativ tekst');
    const saved = await b.post(`/admin/medier/${id}`, { alt: 'Rådhuset i Tønder om vinteren' });
    expect(saved.headers.location).toBe(`/admin/medier/${id}?gemt=1`);
    expect((await b.get(`/admin/medier/${id}?gemt=1`)).body).toContain('Rådhuset i Tønder om vinteren');

    const deleted = await b.post(`/admin/medier/${id}/slet`);
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe('/admin/medier?slettet=1');
    expect((await b.get(`/admin/medier/${id}`)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/media/${id}/320.webp` })).statusCode).toBe(404);
    expect((await b.get('/admin/medier/ikke-et-id')).statusCode).toBe(404);
  });

  it('deleting an image that content uses is refused with the number of items, and the image stays', async () => {
    const id = await uploaded('Genbrugspladsen');
    const web = await actorByEmail(t.db, DEMO.web);
    const unit = await unitId(t.db, 'kommunikation');
    for (const title of ['Genbrugspladsen åbner', 'Nye åbningstider på genbrugspladsen']) {
      await createItem(t.db, web, 'news', newsInput(unit, { title, images: [{ mediaId: id, alt: 'Pladsen' }] }));
    }
    const b = await signedIn(DEMO.web);
    const page = await b.get(`/admin/medier/${id}`);
    expect(page.body).toContain('bruges i 2 indholdselementer og kan ikke slettes');
    const res = await b.post(`/admin/medier/${id}/slet`);
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Billedet bruges i 2 indholdselementer og kan ikke slettes.');
    expect((await t.app.inject({ method: 'GET', url: `/media/${id}/320.webp` })).statusCode).toBe(200);
  });

  it('the library shows 24 images a page, newest first, with links to the other pages', async () => {
    const start = Date.parse('2020-01-01T00:00:00Z');
    await t.db
      .insertInto('media')
      .values(
        Array.from({ length: 30 }, (_, i) => ({
          id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          original_name: `arkiv-${i}.jpg`,
          mime: 'image/jpeg',
          bytes: 1000,
          width: 320,
          height: 240,
          alt: `Arkivbillede ${i}`,
          renditions: '[]',
          uploaded_by: null,
          created_at: new Date(start + i * 60_000).toISOString(),
        })),
      )
      .execute();
    const total = await mediaCount();
    const b = await signedIn(DEMO.web);
    const pages = Math.ceil(total / 24);
    const last = await b.get(`/admin/medier?side=${pages}`);
    expect(last.body.match(/class="card mh-media-card"/g)?.length).toBe(total - (pages - 1) * 24);
    expect(last.body).toContain('arkiv-0.jpg');
    const first = await b.get('/admin/medier');
    expect(first.body.match(/class="card mh-media-card"/g)?.length).toBe(24);
    expect(first.body).toContain(`Viser 1–24 af ${total} billeder`);
    expect(first.body).toContain('aria-label="Sider med billeder"');
    expect(first.body).toContain('href="/admin/medier?side=2"');
    expect(first.body).not.toContain('arkiv-0.jpg');
  });
});
