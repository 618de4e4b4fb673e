import { describe, expect, it } from 'vitest';
import { appInChromium, expectAccessible, openPage } from '../support/browser.ts';
import { dialects } from '../support/databases.ts';

// The browser run needs one database only; the HTTP tests in src/sites cover both engines.
describe.each(dialects.slice(0, 1))('a subsite in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);

  it('a parent goes from the main front page to the school, through its menu to a page, and back to the main site', async () => {
    const page = await openPage(run.browser);
    await page.goto(`${run.base}/`);
    await page.getByRole('link', { name: 'Tønder Distriktsskole' }).first().click();
    await page.waitForURL(`${run.base}/distriktsskolen`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Tønder Distriktsskole');
    await expectAccessible(page, 'subsite-front');

    const menu = page.getByRole('navigation', { name: 'Menu for Tønder Distriktsskole' });
    await menu.getByRole('link', { name: 'SFO' }).click();
    await page.waitForURL(/\/distriktsskolen\/sfo/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('SFO – åbningstider og tilmelding');
    expect(await menu.getByRole('link', { name: 'SFO' }).getAttribute('aria-current')).toBe('page');
    await expectAccessible(page, 'subsite-page');

    await page.getByRole('navigation', { name: 'Du er her' }).getByRole('link', { name: 'Tønder Distriktsskole' }).click();
    await page.waitForURL(`${run.base}/distriktsskolen`);
    await page.getByRole('link', { name: 'Tønder Kommune', exact: true }).click();
    await page.waitForURL(`${run.base}/`);
    await page.context().close();
  });

  it('the subsite works with JavaScript turned off', async () => {
    const context = await run.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${run.base}/distriktsskolen`);
    await page.getByRole('navigation', { name: 'Menu for Tønder Distriktsskole' }).getByRole('link', { name: 'Skolestart' }).click();
    await page.waitForURL(/\/distriktsskolen\/skolestart-i-0-klasse$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Skolestart i 0. klasse');
    await context.close();
  });
});
