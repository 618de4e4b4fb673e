import { describe, expect, it } from 'vitest';
import { DEMO } from '../../test/support/app.ts';
import { appInChromium, expectAccessible, openPage, signIn } from '../../test/support/browser.ts';
import { dialects } from '../../test/support/databases.ts';

// The browser run needs one database only; the HTTP tests cover both engines.
describe.each(dialects.slice(0, 1))('must-reads in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);

  it('the reader’s list shows the demo guidelines waiting and has no accessibility violations', async () => {
    const page = await openPage(run.browser);
    await signIn(page, run.base, DEMO.employee);
    await page.goto(`${run.base}/intranet/skal-laeses`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Skal læses');
    const waiting = page.getByRole('region', { name: /Venter på dig/ });
    await expect.poll(() => waiting.getByRole('link').allTextContents()).toContain('Retningslinjer for brug af sociale medier');
    expect(await waiting.getByRole('link').allTextContents()).not.toContain('Ny procedure for indberetning af arbejdsskader');
    await expectAccessible(page, 'mustreads-list');
    await page.context().close();
  }, 60_000);

  it('the head of the owner unit follows the acknowledgements, filters them, and the page has no accessibility violations', async () => {
    const page = await openPage(run.browser);
    await signIn(page, run.base, DEMO.social);
    await page.goto(`${run.base}/intranet/skal-laeses`);
    await page.getByRole('region', { name: 'Følg med i kvitteringerne' }).getByRole('link', { name: /Retningslinjer for brug af sociale medier/ }).click();
    await page.waitForURL(/\/status$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Retningslinjer for brug af sociale medier');
    expect(await page.locator('[data-totals]').textContent()).toMatch(/^14 af \d+ har kvitteret \(\d+ %\)\. \d+ mangler\.$/);
    await expectAccessible(page, 'mustreads-status');

    await page.getByLabel('Enhed', { exact: true }).selectOption({ label: 'Dagplejen' });
    await page.getByLabel('Kvittering', { exact: true }).selectOption({ label: 'Mangler at kvittere' });
    await page.getByRole('button', { name: 'Vis' }).click();
    await page.waitForURL(/kvittering=nej/);
    const names = await page.locator('table[data-people] tbody th').allTextContents();
    expect(names).toContain('Anne Jensen');
    expect(names).not.toContain('Lene Clausen');
    await expectAccessible(page, 'mustreads-status-filtered');
    await page.context().close();
  }, 60_000);
});
