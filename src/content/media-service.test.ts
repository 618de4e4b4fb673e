import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/support/databases.ts';
import { seedDemo } from '../demo/seed.ts';
import type { Actor } from '../org/actor.ts';
import { verifyAuditChain } from '../platform/audit/service.ts';
import { loadConfig, type Config } from '../platform/config.ts';
import type { AppError } from '../platform/errors.ts';
import { MB, parseRenditions, pictureFor } from './media-markup.ts';
import { deleteMedia, MAX_UPLOAD_BYTES, updateAlt, uploadImage } from './media-service.ts';
import { findMedia } from './media-store.ts';
import { createItem } from './service.ts';

const ALT = 'Havnen i Højer ved solnedgang';

/** A 2000 × 1500 camera photo stored on its side (EXIF orientation 6), with camera make and GPS position. */
const cameraPhoto = () =>
  sharp({ create: { width: 2000, height: 1500, channels: 3, background: { r: 30, g: 90, b: 160 } } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'Testkamera', Model: 'TK-1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '54/1 56/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '8/1 39/1 0/1' },
    })
    .toBuffer();

const widePng = () => sharp({ create: { width: 3000, height: 1200, channels: 4, background: { r: 0, g: 128, b: 0, alpha: 0.5 } } }).png().toBuffer();

async function animatedGif(): Promise<Buffer> {
  const frame = (colour: string) => sharp({ create: { width: 200, height: 100, channels: 3, background: colour } }).png().toBuffer();
  return sharp([await frame('#ff0000'), await frame('#0000ff')], { join: { animated: true } }).gif().toBuffer();
}

const refusal = async (p: Promise<unknown>): Promise<AppError> => {
  const error = await p.then(
    () => null,
    (e: unknown) => e as AppError,
  );
  if (!error) throw new Error('expected a refusal');
  return error;
};

describe.each(dialects)('the media library service (%s)', (dialect) => {
  let t: TestDatabase;
  let config: Config;
  let web: Actor, employee: Actor;
  let dataDir: string;
  const mediaDirs = () => (fs.existsSync(path.join(dataDir, 'media')) ? fs.readdirSync(path.join(dataDir, 'media')).sort() : []);
  const mediaCount = async () => Number((await t.db.selectFrom('media').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedDemo(t.db);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-media-'));
    config = { ...loadConfig({}), dataDir };
    web = await actorByEmail(t.db, 'web@demo.mediehus.dk');
    employee = await actorByEmail(t.db, 'medarbejder@demo.mediehus.dk');
  });
  afterAll(async () => {
    await t.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const upload = (data: Buffer, filename = 'billede.jpg', alt = ALT, actor = web) => uploadImage(t.db, config, actor, { filename, mime: 'image/jpeg', data, alt });

  it('renditions are made at 320, 640, 1024 and 1600 pixels in WebP and JPEG, and none is wider than the original', async () => {
    const { id } = await upload(await widePng(), 'banner.png');
    const row = (await findMedia(t.db, id))!;
    const renditions = parseRenditions(row.renditions);
    expect(renditions.map((r) => `${r.width}.${r.format}`).sort()).toEqual(
      ['320', '640', '1024', '1600'].flatMap((w) => [`${w}.jpeg`, `${w}.webp`]).sort(),
    );
    for (const r of renditions) {
      const file = path.join(dataDir, 'media', id, r.file);
      const meta = await sharp(file).metadata();
      expect(meta.format).toBe(r.format);
      expect(meta.width).toBe(r.width);
      expect(meta.height).toBe(Math.round((r.width * 1200) / 3000));
      expect(fs.statSync(file).size).toBe(r.bytes);
    }
    // The largest rendition stands in for the original; the uploaded file is not kept.
    expect(row).toMatchObject({ width: 1600, height: 640, mime: 'image/png', original_name: 'banner.png', alt: ALT, uploaded_by: web.personId });
    expect(fs.readdirSync(path.join(dataDir, 'media', id)).sort()).toEqual(renditions.map((r) => r.file).sort());
  });

  it('an image narrower than 1600 pixels keeps its own width as the largest rendition, and a small one gets just that', async () => {
    const photo = parseRenditions((await findMedia(t.db, (await upload(await cameraPhoto())).id))!.renditions);
    // Upright, the photo is 1500 pixels wide.
    expect([...new Set(photo.map((r) => r.width))]).toEqual([320, 640, 1024, 1500]);
    expect(Math.max(...photo.map((r) => r.width))).toBeLessThanOrEqual(1500);
    const small = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#ccc' } }).webp().toBuffer();
    const tiny = parseRenditions((await findMedia(t.db, (await upload(small, 'ikon.webp')).id))!.renditions);
    expect(tiny.map((r) => `${r.width}x${r.height}.${r.format}`)).toEqual(['120x80.webp', '120x80.jpeg']);
  });

  it('EXIF metadata with the GPS position is stripped and the photo is turned upright', async () => {
    const original = await cameraPhoto();
    const before = await sharp(original).metadata();
    expect(before.exif?.toString('latin1')).toContain('Testkamera');
    expect(before.orientation).toBe(6);
    const { id } = await upload(original, 'IMG_0001.JPG');
    for (const r of parseRenditions((await findMedia(t.db, id))!.renditions)) {
      const bytes = fs.readFileSync(path.join(dataDir, 'media', id, r.file));
      const meta = await sharp(bytes).metadata();
      expect(meta.exif, r.file).toBeUndefined();
      expect(meta.xmp, r.file).toBeUndefined();
      expect(meta.orientation, r.file).toBeUndefined();
      expect(meta.height!, r.file).toBeGreaterThan(meta.width!);
      expect(bytes.toString('latin1')).not.toContain('Testkamera');
    }
  });

  it('an animated GIF is stored as its first frame', async () => {
    const { id } = await upload(await animatedGif(), 'blink.gif');
    const row = (await findMedia(t.db, id))!;
    expect(row.mime).toBe('image/gif');
    const { dominant } = await sharp(path.join(dataDir, 'media', id, '200.jpg')).stats();
    expect(dominant.r).toBeGreaterThan(200);
    expect(dominant.b).toBeLessThan(50);
  });

  it('an SVG with a script, a text file named .jpg and an oversized file are refused with Danish messages, and nothing is written', async () => {
    const rows = await mediaCount();
    const dirs = mediaDirs();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(document.cookie)</script><rect width="100" height="100"/></svg>');
    for (const [data, name] of [
      [svg, 'logo.svg'],
      [svg, 'logo.jpg'],
      [Buffer.from('Dette er ikke et billede, bare tekst.\n'), 'referat.jpg'],
    ] as const) {
      const error = await refusal(upload(data, name));
      expect(error.status, name).toBe(400);
      expect(error.fields.file, name).toBe('Filen er ikke et billede. Upload JPEG, PNG, WebP eller GIF.');
    }
    const oversized = Buffer.alloc(23 * MB);
    (await cameraPhoto()).copy(oversized);
    const tooLarge = await refusal(upload(oversized, 'stor.jpg'));
    expect(tooLarge.fields.file).toBe('Filen er for stor (23 MB). Den må højst være 15 MB.');
    expect(MAX_UPLOAD_BYTES).toBe(15 * MB);
    expect(await mediaCount()).toBe(rows);
    expect(mediaDirs()).toEqual(dirs);
  });

  it('missing alt text is refused, and so is one over 300 characters; both problems are named at once with the file’s', async () => {
    const photo = await cameraPhoto();
    expect((await refusal(upload(photo, 'a.jpg', '   '))).fields).toEqual({ alt: 'Skriv en alternativ tekst, der beskriver billedet for dem, der ikke kan se det.' });
    expect((await refusal(upload(photo, 'a.jpg', 'x'.repeat(301)))).fields.alt).toBe('Den alternative tekst må højst være 300 tegn.');
    expect(Object.keys((await refusal(upload(Buffer.from('tekst'), 'a.jpg', ''))).fields).sort()).toEqual(['alt', 'file']);
  });

  it('only editors may upload, and an upload the database refuses leaves no files behind', async () => {
    const photo = await cameraPhoto();
    expect((await refusal(upload(photo, 'a.jpg', ALT, employee))).status).toBe(403);
    const dirs = mediaDirs();
    // An uploader who is not in the people table breaks the foreign key on insert.
    const ghost: Actor = { ...web, personId: '00000000-0000-4000-8000-000000000000' };
    await expect(upload(photo, 'a.jpg', ALT, ghost)).rejects.toThrow(/foreign key/i);
    expect(mediaDirs()).toEqual(dirs);
  });

  it('the alt text can be changed, and uploads and changes are audited in the hash chain', async () => {
    const { id } = await upload(await cameraPhoto());
    await updateAlt(t.db, web, id, '  Rådhuset i Tønder set fra torvet  ');
    expect((await findMedia(t.db, id))!.alt).toBe('Rådhuset i Tønder set fra torvet');
    expect((await refusal(updateAlt(t.db, web, id, ''))).fields.alt).toMatch(/^Skriv en alternativ tekst/);
    expect((await refusal(updateAlt(t.db, employee, id, 'x'))).status).toBe(403);
    const actions = await t.db.selectFrom('audit_log').select(['action', 'actor_id']).where('object_id', '=', id).orderBy('seq').execute();
    expect(actions).toEqual([
      { action: 'media.uploaded', actor_id: web.personId },
      { action: 'media.alt_updated', actor_id: web.personId },
    ]);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('delete is refused while a revision uses the image, and removes the row and the files when none does', async () => {
    const used = (await upload(await cameraPhoto())).id;
    await createItem(t.db, web, 'news', newsInput(await unitId(t.db, 'kommunikation'), { images: [{ mediaId: used, alt: 'Havnen' }] }));
    const refused = await refusal(deleteMedia(t.db, config, web, used));
    expect(refused.status).toBe(409);
    expect(refused.message).toBe('Billedet bruges i 1 indholdselement og kan ikke slettes.');
    expect(await findMedia(t.db, used)).toBeDefined();
    expect(fs.existsSync(path.join(dataDir, 'media', used, '320.webp'))).toBe(true);

    const unused = (await upload(await cameraPhoto())).id;
    await deleteMedia(t.db, config, web, unused);
    expect(await findMedia(t.db, unused)).toBeUndefined();
    expect(fs.existsSync(path.join(dataDir, 'media', unused))).toBe(false);
    const entry = await t.db.selectFrom('audit_log').select('action').where('object_id', '=', unused).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(entry.action).toBe('media.deleted');
  });

  it('pictureFor gives a WebP source and a JPEG fallback with every width', async () => {
    const { id } = await upload(await widePng(), 'banner.png');
    const picture = pictureFor((await findMedia(t.db, id))!, 'Banner', '100vw')!;
    expect(picture.sources).toEqual([
      { type: 'image/webp', sizes: '100vw', srcset: [320, 640, 1024, 1600].map((w) => `/media/${id}/${w}.webp ${w}w`).join(', ') },
    ]);
    expect(picture).toMatchObject({ src: `/media/${id}/640.jpg`, width: 1600, height: 640, alt: 'Banner', sizes: '100vw' });
    expect(picture.srcset).toBe([320, 640, 1024, 1600].map((w) => `/media/${id}/${w}.jpg ${w}w`).join(', '));
    const thumb = pictureFor((await findMedia(t.db, id))!, '', '160px', { maxWidth: 320 })!;
    expect(thumb.sources[0]!.srcset).toBe(`/media/${id}/320.webp 320w`);
    expect(pictureFor({ id, renditions: '[]' }, '', '100vw')).toBeNull();
  });
});
