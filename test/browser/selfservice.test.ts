import { describe, expect, it } from 'vitest';

import { appInChromium, expectAccessible, openPage,  } from '../support/browser.ts';
import { dialects } from '../support/databases.ts';

// The browser run needs one database only; the HTTP tests cover both engines.
describe.each(dialects.slice(0, 1))('the self-service catalogue in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);

  it('the catalogue is reached from the menu and has no accessibility violations, unfiltered or filtered', async () => {
    const page = await openPage(run.browser);
    await page.goto(`${run.base}/`);
    await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Selvbetjening' }).click();
    await page.waitForURL(`${run.base}/selvbetjening`);
    expect(await page.getByRole('link', { name: 'Flytning' }).getAttribute('href')).toMatch(/^\/selvbetjening\/flytning(-\d+)?\/start$/);
    await expectAccessible(page, 'selfservice');

    await page.goto(`${run.base}/selvbetjening?emne=Findes%20ikke`);
    await expect.poll(() => page.getByText('Der er ingen selvbetjeninger').count()).toBe(1);
    await expectAccessible(page, 'selfservice-empty');
    await page.context().close();
  });
});
