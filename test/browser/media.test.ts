import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaFileRoutes } from '../../src/content/media-files.ts';
import { createTestApp, DEMO, type TestApp } from '../support/app.ts';
import { expectAccessible, launchChromium, openPage, serveOnFreePort, signIn } from '../support/browser.ts';
import { dialects } from '../support/databases.ts';

/** For as long as src/platform/app.ts does not register the file routes itself. */
function withMediaFiles(app: FastifyInstance): void {
  if (!app.hasRoute({ method: 'GET', url: '/media/:id/:file' })) void app.register(mediaFileRoutes);
}

/** A photo with something to look at: a sky, a sea and a low sun. */
async function harbourPhoto(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1800" height="1200">
    <rect width="1800" height="700" fill="#f4a259"/><rect y="700" width="1800" height="500" fill="#2b6f8f"/>
    <circle cx="1200" cy="650" r="140" fill="#fbe7a1"/><rect x="300" y="560" width="420" height="160" fill="#3d3d3d"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg().toBuffer();
}

// The browser run needs one database only; the HTTP tests cover both engines.
describe.each(dialects.slice(0, 1))('the media library in Chromium (%s)', (dialect) => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-media-'));
    t = await createTestApp(dialect, { MEDIEHUS_DATA_DIR: dataDir }, { beforeReady: withMediaFiles });
    base = await serveOnFreePort(t.app);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a web editor uploads an image through the form and sees it in the library; the library and the image page are accessible', async () => {
    const page = await openPage(browser);
    await signIn(page, base, DEMO.web);
    await page.goto(`${base}/admin`);
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Medier' }).click();
    await page.waitForURL(`${base}/admin/medier`);
    await page.getByLabel('Billedfil').setInputFiles({ name: 'havnen.jpg', mimeType: 'image/jpeg', buffer: await harbourPhoto() });
    await page.getByLabel('Alternativ tekst').fill('Solnedgang over havnen i Højer');
    await page.getByRole('button', { name: 'Upload billedet' }).click();
    await page.waitForURL(`${base}/admin/medier?uploadet=1`);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Billedet er uploadet.');
    const card = page.locator('.mh-media-card').first();
    expect(await card.getByRole('link').textContent()).toBe('havnen.jpg');
    expect(await card.textContent()).toContain('Solnedgang over havnen i Højer');
    // The thumbnail actually loads, from the WebP source.
    const thumb = card.locator('img');
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await thumb.evaluate((img: HTMLImageElement) => img.currentSrc)).toMatch(/\/320\.webp$/);
    await expectAccessible(page, 'media-library');

    await card.getByRole('link').click();
    await page.waitForURL(/\/admin\/medier\/[0-9a-f-]{36}$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('havnen.jpg');
    expect(await page.getByRole('img', { name: 'Solnedgang over havnen i Højer' }).count()).toBe(1);
    await expectAccessible(page, 'media-item');
    await page.context().close();
  });

  it('the upload form with errors stays accessible and keeps the alt text', async () => {
    const page = await openPage(browser);
    await signIn(page, base, DEMO.web);
    await page.goto(`${base}/admin/medier`);
    await page.getByLabel('Billedfil').setInputFiles({ name: 'referat.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('Referat fra mødet') });
    await page.getByLabel('Alternativ tekst').fill('Et referat');
    await page.getByRole('button', { name: 'Upload billedet' }).click();
    await page.waitForLoadState();
    expect(await page.locator('.form-error-message').first().textContent()).toContain('Filen er ikke et billede. Upload JPEG, PNG, WebP eller GIF.');
    expect(await page.getByLabel('Alternativ tekst').inputValue()).toBe('Et referat');
    await expectAccessible(page, 'media-upload-errors');

    await page.getByLabel('Alternativ tekst').fill('');
    await page.getByRole('button', { name: 'Upload billedet' }).click();
    await page.waitForLoadState();
    expect(await page.locator('.form-error-message').count()).toBe(2);
    await expectAccessible(page, 'media-upload-errors-both');
    await page.context().close();
  });
});
