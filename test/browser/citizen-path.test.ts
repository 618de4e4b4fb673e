import { describe, expect, it } from 'vitest';
import { appInChromium, expectAccessible, openPage } from '../support/browser.ts';
import { dialects } from '../support/databases.ts';

// The browser run needs one database only; the HTTP tests cover both engines.
describe.each(dialects.slice(0, 1))("a citizen's path through the website in Chromium (%s)", (dialect) => {
  const run = appInChromium(dialect);

  it('from the front page a citizen searches "flytning", reads the service page and reaches the self-service solution', async () => {
    const page = await openPage(run.browser);
    // borger.dk cannot be reached from here; the browser is given a stand-in page where the solution would be.
    await page.route('https://www.borger.dk/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><html lang="da"><title>Anmeld flytning – borger.dk</title><h1>Anmeld flytning</h1></html>' }));

    await page.goto(`${run.base}/`);
    await expectAccessible(page, 'front');
    const search = page.getByRole('search', { name: 'Søg på hjemmesiden' });
    await search.getByLabel('Søg efter indhold').fill('flytning');
    await search.getByRole('button', { name: 'Søg' }).click();
    await page.waitForURL(`${run.base}/soeg?q=flytning`);

    await page.getByRole('link', { name: 'Flytning' }).and(page.locator('[href="/borger/flytning"]')).click();
    await page.waitForURL(`${run.base}/borger/flytning`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Flytning');
    expect(await page.getByRole('complementary').getByRole('heading', { name: 'Kontakt' }).count()).toBe(1);
    expect(await page.getByText(/Senest opdateret/).count()).toBe(1);
    await expectAccessible(page, 'service-page');

    await page.getByRole('main').getByRole('link', { name: 'borger.dk' }).first().click();
    await page.waitForURL(/^https:\/\/www\.borger\.dk\/bolig-og-flytning\/flytning/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Anmeld flytning');
    await page.context().close();
  }, 90_000);

  it('the front page, search and service page work with JavaScript turned off', async () => {
    const context = await run.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${run.base}/`);
    await page.getByLabel('Søg efter indhold').fill('pas');
    await page.getByRole('button', { name: 'Søg' }).click();
    await page.waitForURL(`${run.base}/soeg?q=pas`);
    await page.locator('[href="/borger/pas"]').first().click();
    await page.waitForURL(`${run.base}/borger/pas`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Pas');
    await context.close();
  });
});
