import { describe, expect, it } from 'vitest';
import { DEMO } from '../../test/support/app.ts';
import { appInChromium, expectAccessible, openPage, signIn } from '../../test/support/browser.ts';
import { dialects } from '../../test/support/databases.ts';

// One database is enough in the browser; the HTTP tests next to the code cover both engines.
describe.each(dialects.slice(0, 1))('the directory, the tools and the knowledge pages in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);

  // axe takes seconds per page on a busy machine, so each reader's pages are a test of their own with room to run.
  const SLOW = 120_000;

  it.each([
    ['an employee', DEMO.employee, ['/intranet/personer', '/intranet/personer?q=dagplejer&rolle=employee', 'person:bimo@toender.dk', '/intranet/enheder', '/intranet/enheder/biblioteket', '/intranet/vaerktoejer', '/intranet/viden']],
    ['a manager', DEMO.manager, ['/intranet/kompetence']],
    ['the intranet editor', DEMO.intranet, ['/intranet/vaerktoejer/admin', 'tool:Aula']],
  ] as const)(
    'the pages %s sees have no accessibility violations',
    async (_who, email, paths) => {
      const page = await openPage(run.browser);
      await signIn(page, run.base, email);
      for (const wanted of paths) {
        let path: string = wanted;
        if (wanted.startsWith('person:')) path = `/intranet/personer/${(await run.t.db.selectFrom('people').select('id').where('email', '=', wanted.slice(7)).executeTakeFirstOrThrow()).id}`;
        if (wanted.startsWith('tool:')) path = `/intranet/vaerktoejer/admin/${(await run.t.db.selectFrom('tools').select('id').where('name', '=', wanted.slice(5)).executeTakeFirstOrThrow()).id}`;
        const res = await page.goto(run.base + path);
        expect(res?.status(), path).toBe(200);
        await expectAccessible(page, wanted.replace(/[^a-z0-9]+/gi, '-'));
      }
      await page.context().close();
    },
    SLOW,
  );

  it('a reader pins a tool with the button beside it, and it joins their pins at the top', async () => {
    const page = await openPage(run.browser);
    await signIn(page, run.base, DEMO.employee);
    await page.goto(`${run.base}/intranet/vaerktoejer`);
    await page.getByRole('button', { name: /^Fastgør\s+Outlook på nettet$/ }).click();
    await page.waitForURL(/fastgjort=1/);
    const pinned = page.getByRole('region', { name: 'Fastgjorte' });
    expect(await pinned.getByRole('link').allTextContents()).toEqual(['Dagplejens vagtplan', 'Medarbejderportalen (Silkeborg Data)', 'Outlook på nettet']);
    await expectAccessible(page, 'tools-pinned');
    await page.context().close();
  }, SLOW);

  it('a tool form with mistakes shows the error summary and the messages beside the fields, accessibly', async () => {
    const page = await openPage(run.browser);
    await signIn(page, run.base, DEMO.intranet);
    await page.goto(`${run.base}/intranet/vaerktoejer/admin`);
    await page.getByLabel('Adresse', { exact: true }).fill('http://vikar.toender.dk');
    await page.getByRole('button', { name: 'Opret værktøj' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Der er fejl i formularen');
    expect(await page.getByLabel('Adresse', { exact: true }).inputValue()).toBe('http://vikar.toender.dk');
    await expectAccessible(page, 'tools-admin-errors');
    await page.context().close();
  }, SLOW);
});
