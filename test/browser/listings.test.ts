import { describe, expect, it } from 'vitest';

import { appInChromium, expectAccessible, openPage,  } from '../support/browser.ts';
import { dialects } from '../support/databases.ts';

// The browser run needs one database only; the HTTP tests cover both engines.
describe.each(dialects.slice(0, 1))('the news and events lists in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);

  it('the news list and the events list have no accessibility violations and are reached from the menu', async () => {
    const page = await openPage(run.browser);
    await page.goto(`${run.base}/`);
    await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Nyheder' }).click();
    await page.waitForURL(`${run.base}/nyheder`);
    expect(await page.getByRole('heading', { level: 2 }).count()).toBeGreaterThan(0);
    await expectAccessible(page, 'news-list');

    await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Arrangementer' }).click();
    await page.waitForURL(`${run.base}/arrangementer`);
    expect(await page.getByRole('heading', { name: 'Borgermøde om cykelstier' }).count()).toBe(1);
    await expectAccessible(page, 'events-list');

    await page.getByRole('link', { name: 'Borgermøde om cykelstier' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Tilføj til kalender' }).count()).toBe(1);
    await expectAccessible(page, 'event-item');
    await page.context().close();
  });
});
