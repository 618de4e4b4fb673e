import { describe, expect, it } from 'vitest';

import { appInChromium, expectAccessible, openPage, signIn } from '../support/browser.ts';
import { DEMO } from '../support/app.ts';
import { dialects } from '../support/databases.ts';

// The browser run needs one database only; the HTTP tests cover both engines.
describe.each(dialects.slice(0, 1))('the front page and its slots in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);

  it('the front page has no accessibility violations and shows the slots as cards', async () => {
    const page = await openPage(run.browser);
    await page.goto(`${run.base}/`);
    expect(await page.getByRole('heading', { level: 3, name: 'Ny genbrugsplads åbner i Toftlund' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('search', { name: 'Søg på hjemmesiden' }).getByRole('searchbox').count()).toBe(1);
    await expectAccessible(page, 'front');
    await page.context().close();
  });

  it('a web editor reaches the slots from the overview, is told to choose a slot when all are taken, replaces one and moves it, without violations', async () => {
    const page = await openPage(run.browser);
    await signIn(page, run.base, DEMO.web);
    await page.goto(`${run.base}/admin`);
    await page.getByRole('link', { name: 'Hjemmesidens forside: indholdet på de faste pladser' }).click();
    await page.waitForURL(`${run.base}/admin/forside`);
    await expectAccessible(page, 'front-slots');

    // Every slot is taken: choosing only the item is not enough.
    await page.getByRole('radio', { name: 'Byggetilladelse' }).check();
    await page.getByRole('button', { name: 'Sæt på forsiden' }).click();
    await expect.poll(() => page.getByText('Der er fejl i formularen').count()).toBe(1);
    expect(await page.getByRole('radio', { name: 'Byggetilladelse' }).isChecked()).toBe(true);
    await expectAccessible(page, 'front-slots-error');

    await page.getByRole('radio', { name: 'Plads 6: Affald' }).check();
    await page.getByRole('button', { name: 'Sæt på forsiden' }).click();
    await expect.poll(() => page.getByText('Indholdet har erstattet det, der stod på pladsen.').count()).toBe(1);
    await page.getByRole('button', { name: 'Flyt op »Byggetilladelse«' }).click();
    await expect.poll(() => page.getByText('Rækkefølgen er ændret.').count()).toBe(1);
    await expectAccessible(page, 'front-slots-changed');

    await page.goto(`${run.base}/`);
    const cards = await page.locator('#h-aktuelt + ul h3').allTextContents();
    expect(cards.slice(-2)).toEqual(['Byggetilladelse', 'Skolestart']);
    await page.context().close();
  });
});
