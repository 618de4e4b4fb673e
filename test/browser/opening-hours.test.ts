import { describe, expect, it } from 'vitest';

import { appInChromium, expectAccessible, openPage,  } from '../support/browser.ts';
import { dialects } from '../support/databases.ts';

// One database is enough here; src/site/opening-hours-routes.test.ts covers both engines.
describe.each(dialects.slice(0, 1))('the opening hours page in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);

  it('all units, one unit and an unknown unit have no accessibility violations', async () => {
    const page = await openPage(run.browser);
    for (const [name, path] of [
      ['opening-hours', '/aabningstider'],
      ['opening-hours-unit', '/aabningstider?enhed=borgerservice'],
      ['opening-hours-unknown', '/aabningstider?enhed=findes-ikke'],
    ] as const) {
      await page.goto(run.base + path);
      await expectAccessible(page, name);
    }
    await page.context().close();
  });

  it('the week table names its rows and columns for a screen reader', async () => {
    const page = await openPage(run.browser);
    await page.goto(`${run.base}/aabningstider?enhed=borgerservice`);
    const week = page.getByRole('table', { name: 'Åbningstider på en almindelig uge' });
    expect(await week.getByRole('columnheader').allTextContents()).toEqual(['Dag', 'Åbent']);
    expect(await week.getByRole('row', { name: /^Torsdag/ }).getByRole('cell').allTextContents()).toEqual(['10–17.30']);
    await page.context().close();
  });
});
