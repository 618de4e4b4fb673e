import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { expectAccessible, launchChromium, openPage, serveOnFreePort } from '../support/browser.ts';
import { dialects } from '../support/databases.ts';

// The browser run needs one database only; the HTTP tests cover both engines.
describe.each(dialects.slice(0, 1))('the news and events lists in Chromium (%s)', (dialect) => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    base = await serveOnFreePort(t.app);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the news list and the events list have no accessibility violations and are reached from the menu', async () => {
    const page = await openPage(browser);
    await page.goto(`${base}/`);
    await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Nyheder' }).click();
    await page.waitForURL(`${base}/nyheder`);
    expect(await page.getByRole('heading', { level: 2 }).count()).toBeGreaterThan(0);
    await expectAccessible(page, 'news-list');

    await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Arrangementer' }).click();
    await page.waitForURL(`${base}/arrangementer`);
    expect(await page.getByRole('heading', { name: 'Borgermøde om cykelstier' }).count()).toBe(1);
    await expectAccessible(page, 'events-list');

    await page.getByRole('link', { name: 'Borgermøde om cykelstier' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Tilføj til kalender' }).count()).toBe(1);
    await expectAccessible(page, 'event-item');
    await page.context().close();
  });
});
