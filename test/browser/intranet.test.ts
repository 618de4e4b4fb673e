import { describe, expect, it } from 'vitest';
import { DEMO } from '../support/app.ts';
import { appInChromium, expectAccessible, openPage, signIn } from '../support/browser.ts';
import { dialects } from '../support/databases.ts';

// TønderPortalen as its readers use it. The HTTP tests in src/intranet, src/posts and src/mustreads cover both engines.
describe.each(dialects.slice(0, 1))('TønderPortalen in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);

  it('an employee signs in, sees news for her unit, acknowledges a must-read, posts to everyone and is mentioned by a colleague', async () => {
    const page = await openPage(run.browser);
    await page.goto(`${run.base}/intranet`);
    await page.waitForURL(/\/login\?next=%2Fintranet/);
    await page.getByLabel('E-mailadresse').fill(DEMO.employee);
    await page.getByLabel('Adgangskode').fill('demo');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.waitForURL(`${run.base}/intranet`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Goddag, Anne Jensen');
    const news = page.getByRole('region', { name: 'Nyheder til dig' });
    await expect.poll(() => news.getByRole('link').allTextContents()).toContain('Legestuen flytter til Bevtoft Forsamlingshus');
    expect(await news.getByRole('link').allTextContents()).not.toContain('Ny aftale om ledernes løn og arbejdstid');
    await expectAccessible(page, 'intranet-home');

    // The must-read waiting for her: open it from the home page and acknowledge it.
    await page.getByRole('region', { name: 'Skal læses' }).getByRole('link', { name: 'Retningslinjer for brug af sociale medier' }).click();
    await page.waitForURL(/\/intranet\/[a-z-]+\/[a-z0-9-]+$/);
    await expectAccessible(page, 'intranet-must-read');
    await page.getByRole('button', { name: /Jeg har læst/ }).click();
    await expect.poll(() => page.getByText(/Du kvitterede/).count()).toBeGreaterThan(0);
    await page.goto(`${run.base}/intranet`);
    expect(await page.getByRole('link', { name: 'Retningslinjer for brug af sociale medier' }).count()).toBe(0);

    // A post to everyone in the municipality.
    await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Nyheder og opslag' }).click();
    await page.waitForURL(`${run.base}/intranet/opslag`);
    await page.getByLabel('Dit opslag').fill('Hvem har lyst til at bytte vagt fredag? Jeg skal til tandlæge.');
    await page.getByRole('group', { name: 'Hvem kan se opslaget?' }).getByLabel('Alle i kommunen').check();
    await page.getByRole('button', { name: 'Del opslag' }).click();
    await page.waitForURL(/\/intranet\/opslag\/[0-9a-f-]+/);
    const postUrl = page.url();
    await expect.poll(() => page.getByText('Hvem har lyst til at bytte vagt fredag?').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'intranet-post');
    await page.context().close();

    // A colleague elsewhere in the municipality answers and names her; she is told.
    const colleague = await openPage(run.browser);
    await signIn(colleague, run.base, DEMO.intranet);
    await colleague.goto(postUrl);
    await colleague.getByLabel('Din kommentar').fill('@Anne Jensen spørg Dagplejens vikarkorps, de har ledige fredag.');
    await colleague.getByRole('button', { name: 'Kommentér' }).click();
    await colleague.waitForURL(/\/intranet\/opslag\//);
    await colleague.context().close();

    const again = await openPage(run.browser);
    await signIn(again, run.base, DEMO.employee);
    await again.goto(`${run.base}/intranet/notifikationer`);
    await expect.poll(() => again.getByRole('main').textContent()).toContain('Line Kjær har nævnt dig i en kommentar');
    await expectAccessible(again, 'intranet-notifications');
    await again.context().close();
  });

  it('a politician sees the politicians’ news and what is for everyone, and nothing meant for units or managers', async () => {
    const page = await openPage(run.browser);
    await signIn(page, run.base, DEMO.politician);
    await page.goto(`${run.base}/intranet`);
    const news = await page.getByRole('region', { name: 'Nyheder til dig' }).getByRole('link').allTextContents();
    expect(news).toContain('Materiale til budgetseminaret er klar');
    for (const other of ['Ny aftale om ledernes løn og arbejdstid', 'Legestuen flytter til Bevtoft Forsamlingshus', 'Aula får ny forside for medarbejdere', 'Julefrokost i Kultur og Fritid']) {
      expect(news).not.toContain(other);
    }
    const events = await page.getByRole('region', { name: 'Kommende arrangementer' }).getByRole('link').allTextContents();
    expect(events).toEqual(['Fællesmøde for alle ansatte']);
    await page.goto(`${run.base}/intranet/soeg?q=ledernes+løn`);
    expect(await page.locator('.mh-search-hits li').count()).toBe(0);
    await page.goto(`${run.base}/intranet/opslag`);
    expect(await page.getByText('Legestue', { exact: false }).count()).toBe(0);
    await expectAccessible(page, 'intranet-feed-politician');
    await page.context().close();
  });
});
