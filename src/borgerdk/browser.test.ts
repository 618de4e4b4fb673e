import { describe, expect, it } from 'vitest';
import { DEMO } from '../../test/support/app.ts';
import { appInChromium, expectAccessible, openPage, signIn } from '../../test/support/browser.ts';
import { dialects } from '../../test/support/databases.ts';

// The browser run needs one database only; the HTTP tests cover both engines.
describe.each(dialects.slice(0, 1))('borger.dk articles in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);

  it('the demo page with an article from borger.dk reads in order and has no accessibility violations', async () => {
    const page = await openPage(run.browser);
    await page.goto(`${run.base}/borger/boligstoette`);
    const headings = await page.locator('article h2').allTextContents();
    expect(headings).toEqual(['Selvbetjening', 'Hvem kan få boligstøtte?', 'Sådan søger du boligstøtte', 'Når du har fået boligstøtte', 'Lovgivning', 'Få hjælp i Borgerservice']);
    expect(await page.getByRole('link', { name: 'Søg boligstøtte' }).getAttribute('href')).toBe('https://www.borger.dk/bolig-og-flytning/boligstoette/soeg-boligstoette');
    await expectAccessible(page, 'borgerdk-page');
    await page.context().close();
  });

  it('the admin page and the page form with its article choices have no accessibility violations', async () => {
    const page = await openPage(run.browser);
    await signIn(page, run.base, DEMO.web);
    await page.goto(`${run.base}/admin/borgerdk`);
    expect(await page.getByRole('row').count()).toBe(4);
    await expectAccessible(page, 'borgerdk-admin');
    await page.getByRole('button', { name: 'Importér' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Skriv et eller flere artikel-id’er');
    await expectAccessible(page, 'borgerdk-admin-error');

    const { id } = await run.t.db.selectFrom('items').select('id').where('title', '=', 'Boligstøtte').executeTakeFirstOrThrow();
    await page.goto(`${run.base}/admin/indhold/${id}`);
    expect(await page.getByLabel('Artikel fra borger.dk').inputValue()).toBe('2201');
    expect(await page.getByLabel('Hvem kan få boligstøtte?').isChecked()).toBe(true);
    expect(await page.getByLabel('Boligydelse til folkepensionister').isChecked()).toBe(false);
    await expectAccessible(page, 'borgerdk-page-form');
    await page.context().close();
  });
});
