import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Dialect } from '../../src/platform/db.ts';
import { createTestApp, type TestApp } from './app.ts';
import { CHROMIUM } from './global-setup.ts';

/** A folder to keep a screenshot of every page the axe check sees, for looking the design over by eye. */
const SHOTS = process.env.MEDIEHUS_SCREENSHOTS;

/** Debian's Chromium, headless, without the sandbox (containers) and without calls home that slow or break test runs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/** Port 0 lets test files run side by side without fighting over a port; the base URL comes back. */
export function serveOnFreePort(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' });
}

/** axe-core needs a page of its own context, and a context per person keeps their sign-ins apart. */
export async function openPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

/** Signs a demo person in (password "demo"); where they land depends on the page, so it waits only to leave /login. */
export async function signIn(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('E-mailadresse').fill(email);
  await page.getByLabel('Adgangskode').fill('demo');
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** axe-core's WCAG 2.1 A and AA rules; a failure lists each violation and where, so it can be fixed without rerunning. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `${name} (${page.url()})`).toEqual([]);
}

export interface AppInChromium {
  t: TestApp;
  browser: Browser;
  base: string;
}

/**
 * For a describe block: starts the app with the demo on a free port and Chromium before its tests, and
 * stops both after. The fields are filled in when the tests run.
 */
export function appInChromium(dialect: Dialect): AppInChromium {
  const run = {} as AppInChromium;
  beforeAll(async () => {
    run.t = await createTestApp(dialect);
    run.base = await serveOnFreePort(run.t.app);
    run.browser = await launchChromium();
  });
  afterAll(async () => {
    await run.browser?.close();
    await run.t?.close();
  });
  return run;
}
