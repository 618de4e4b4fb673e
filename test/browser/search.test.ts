import { describe, expect, it } from 'vitest';
import { appInChromium, expectAccessible, openPage } from '../support/browser.ts';
import { dialects } from '../support/databases.ts';

// The browser run needs one database only; the HTTP tests cover both engines.
describe.each(dialects.slice(0, 1))('the public search in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);

  it('a reader searches, narrows to one type and follows "Mente du", on pages without accessibility violations', async () => {
    const page = await openPage(run.browser);
    await page.goto(`${run.base}/soeg`);
    await expectAccessible(page, 'search-empty');

    await page.getByLabel('Hvad leder du efter?').fill('flytning');
    await page.getByRole('button', { name: 'Søg', exact: true }).click();
    await page.waitForURL(`${run.base}/soeg?q=flytning`);
    const results = page.getByRole('list', { name: '2 resultater for »flytning«' });
    expect(await results.getByRole('link').first().getAttribute('href')).toBe('https://www.borger.dk/bolig-og-flytning/flytning');
    expect(await results.locator('mark').first().textContent()).toBe('Flytning');
    await expectAccessible(page, 'search-results');

    await page.getByLabel('Side', { exact: true }).check();
    await page.getByRole('button', { name: 'Vis resultater' }).click();
    await page.waitForURL(`${run.base}/soeg?q=flytning&type=page`);
    expect(await page.getByRole('list', { name: '1 resultat for »flytning«' }).getByRole('link').getAttribute('href')).toBe('/borger/flytning');
    await expect.poll(() => page.getByLabel('Side', { exact: true }).isChecked()).toBe(true);

    await page.getByLabel('Hvad leder du efter?').fill('flytnig');
    await page.getByLabel('Side', { exact: true }).uncheck();
    await page.getByRole('button', { name: 'Søg', exact: true }).click();
    await page.waitForURL(`${run.base}/soeg?q=flytnig`);
    await expect.poll(() => page.getByRole('heading', { name: 'Ingen resultater for »flytnig«' }).count()).toBe(1);
    await expectAccessible(page, 'search-no-hits');
    await page.getByRole('link', { name: 'flytning' }).click();
    await page.waitForURL(`${run.base}/soeg?q=flytning`);
    await page.context().close();
  }, 90_000);
});
