import { describe, expect, it } from 'vitest';
import { DEMO } from '../support/app.ts';
import { appInChromium, expectAccessible, openPage, signIn } from '../support/browser.ts';
import { dialects } from '../support/databases.ts';

// The browser run needs one database only; the HTTP tests cover both engines.
describe.each(dialects.slice(0, 1))('in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);

  it('a web editor signs in with e-mail and password, lands where they were going, and signs out', async () => {
    const page = await openPage(run.browser);
    await page.goto(`${run.base}/admin`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await expectAccessible(page, 'login');
    await page.getByLabel('E-mailadresse').fill(DEMO.web);
    await page.getByLabel('Adgangskode').fill('demo');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.waitForURL(`${run.base}/admin`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Overblik');
    await page.getByRole('button', { name: 'Log af' }).click();
    await page.waitForURL(`${run.base}/`);
    expect(await page.getByRole('link', { name: 'Log ind' }).count()).toBe(1);
    await page.context().close();
  });

  it('a wrong password shows the Danish error beside the field and keeps the e-mail', async () => {
    const page = await openPage(run.browser);
    await page.goto(`${run.base}/login`);
    await page.getByLabel('E-mailadresse').fill(DEMO.web);
    await page.getByLabel('Adgangskode').fill('forkert');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('E-mailadressen eller adgangskoden er forkert.');
    expect(await page.getByLabel('E-mailadresse').inputValue()).toBe(DEMO.web);
    await expectAccessible(page, 'login-error');
    await page.context().close();
  });

  it('the public pages and the error page have no accessibility violations', async () => {
    const page = await openPage(run.browser);
    for (const [name, path] of [['front', '/'], ['was', '/was'], ['not-found', '/findes-ikke']] as const) {
      await page.goto(run.base + path);
      await expectAccessible(page, name);
    }
    await page.context().close();
  });

  it('the intranet home page has no accessibility violations', async () => {
    const page = await openPage(run.browser);
    await signIn(page, run.base, DEMO.employee);
    await page.goto(`${run.base}/intranet`);
    await expectAccessible(page, 'intranet');
    await page.context().close();
  });

  it('every admin page of the platform owner has no accessibility violations', async () => {
    const page = await openPage(run.browser);
    await signIn(page, run.base, DEMO.owner);
    const unit = await run.t.db.selectFrom('units').select('id').where('slug', '=', 'biblioteket').executeTakeFirstOrThrow();
    const person = await run.t.db.selectFrom('people').select('id').where('email', '=', DEMO.employee).executeTakeFirstOrThrow();
    const group = await run.t.db.selectFrom('groups').select('id').where('kind', '=', 'ad_hoc').executeTakeFirstOrThrow();
    const pages: [string, string][] = [
      ['admin', '/admin'],
      ['units', '/admin/enheder'],
      ['unit-new', '/admin/enheder/ny'],
      ['unit', `/admin/enheder/${unit.id}`],
      ['people', '/admin/personer'],
      ['person-new', '/admin/personer/ny'],
      ['person', `/admin/personer/${person.id}`],
      ['groups', '/admin/grupper'],
      ['group-new', '/admin/grupper/ny'],
      ['group', `/admin/grupper/${group.id}`],
      ['audit', '/admin/log'],
      ['jargon', '/admin/klarsprog'],
    ];
    for (const [name, path] of pages) {
      const res = await page.goto(run.base + path);
      expect(res?.status(), path).toBe(200);
      await expectAccessible(page, name);
    }
    await page.context().close();
  }, 90_000);

  it('a form with errors stays accessible: the unit form sent empty', async () => {
    const page = await openPage(run.browser);
    await signIn(page, run.base, DEMO.owner);
    await page.goto(`${run.base}/admin/enheder/ny`);
    await page.locator('form[method="post"] button[type="submit"]').last().click();
    await page.waitForLoadState();
    expect(await page.locator('.form-error-message').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'unit-new-errors');
    await page.context().close();
  });
});
