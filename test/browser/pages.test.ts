import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type TestApp } from '../support/app.ts';
import { launchChromium } from '../support/browser.ts';
import { dialects } from '../support/databases.ts';

const SHOTS = process.env.MEDIEHUS_SCREENSHOTS;

async function signIn(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('E-mailadresse').fill(email);
  await page.getByLabel('Adgangskode').fill('demo');
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** axe-core's WCAG 2.1 A and AA rules; a failure lists each violation and where. */
async function expectAccessible(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `${name} (${page.url()})`).toEqual([]);
}

// The browser run needs one database only; the HTTP tests cover both engines.
describe.each(dialects.slice(0, 1))('in Chromium (%s)', (dialect) => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  // axe-core needs a page of its own context; a context per test also keeps sign-ins apart.
  const newPage = async () => (await browser.newContext()).newPage();
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('a web editor signs in with e-mail and password, lands where they were going, and signs out', async () => {
    const page = await newPage();
    await page.goto(`${base}/admin`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await expectAccessible(page, 'login');
    await page.getByLabel('E-mailadresse').fill(DEMO.web);
    await page.getByLabel('Adgangskode').fill('demo');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.waitForURL(`${base}/admin`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Overblik');
    await page.getByRole('button', { name: 'Log af' }).click();
    await page.waitForURL(`${base}/`);
    expect(await page.getByRole('link', { name: 'Log ind' }).count()).toBe(1);
    await page.context().close();
  });

  it('a wrong password shows the Danish error beside the field and keeps the e-mail', async () => {
    const page = await newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel('E-mailadresse').fill(DEMO.web);
    await page.getByLabel('Adgangskode').fill('forkert');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('E-mailadressen eller adgangskoden er forkert.');
    expect(await page.getByLabel('E-mailadresse').inputValue()).toBe(DEMO.web);
    await expectAccessible(page, 'login-error');
    await page.context().close();
  });

  it('the public pages and the error page have no accessibility violations', async () => {
    const page = await newPage();
    for (const [name, path] of [['front', '/'], ['was', '/was'], ['not-found', '/findes-ikke']] as const) {
      await page.goto(base + path);
      await expectAccessible(page, name);
    }
    await page.context().close();
  });

  it('the intranet home page has no accessibility violations', async () => {
    const page = await newPage();
    await signIn(page, base, DEMO.employee);
    await page.goto(`${base}/intranet`);
    await expectAccessible(page, 'intranet');
    await page.context().close();
  });

  it('every admin page of the platform owner has no accessibility violations', async () => {
    const page = await newPage();
    await signIn(page, base, DEMO.owner);
    const unit = await t.db.selectFrom('units').select('id').where('slug', '=', 'biblioteket').executeTakeFirstOrThrow();
    const person = await t.db.selectFrom('people').select('id').where('email', '=', DEMO.employee).executeTakeFirstOrThrow();
    const group = await t.db.selectFrom('groups').select('id').where('kind', '=', 'ad_hoc').executeTakeFirstOrThrow();
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
      const res = await page.goto(base + path);
      expect(res?.status(), path).toBe(200);
      await expectAccessible(page, name);
    }
    await page.context().close();
  });

  it('a form with errors stays accessible: the unit form sent empty', async () => {
    const page = await newPage();
    await signIn(page, base, DEMO.owner);
    await page.goto(`${base}/admin/enheder/ny`);
    await page.locator('form[method="post"] button[type="submit"]').last().click();
    await page.waitForLoadState();
    expect(await page.locator('.form-error-message').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'unit-new-errors');
    await page.context().close();
  });
});
