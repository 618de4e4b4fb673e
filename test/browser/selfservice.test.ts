import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { expectAccessible, launchChromium, openPage, serveOnFreePort } from '../support/browser.ts';
import { dialects } from '../support/databases.ts';

// The browser run needs one database only; the HTTP tests cover both engines.
describe.each(dialects.slice(0, 1))('the self-service catalogue in Chromium (%s)', (dialect) => {
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

  it('the catalogue is reached from the menu and has no accessibility violations, unfiltered or filtered', async () => {
    const page = await openPage(browser);
    await page.goto(`${base}/`);
    await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Selvbetjening' }).click();
    await page.waitForURL(`${base}/selvbetjening`);
    expect(await page.getByRole('link', { name: 'Flytning' }).getAttribute('href')).toBe('https://www.borger.dk/bolig-og-flytning/flytning');
    await expectAccessible(page, 'selfservice');

    await page.goto(`${base}/selvbetjening?emne=Findes%20ikke`);
    await expect.poll(() => page.getByText('Der er ingen selvbetjeninger').count()).toBe(1);
    await expectAccessible(page, 'selfservice-empty');
    await page.context().close();
  });
});
