import { describe, expect, it } from 'vitest';
import { DEMO } from '../../test/support/app.ts';
import { appInChromium, expectAccessible, openPage, signIn } from '../../test/support/browser.ts';
import { dialects } from '../../test/support/databases.ts';

// One database is enough in the browser; response-times.test.ts covers both engines.
describe.each(dialects.slice(0, 1))('the response-time dashboard in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);
  const SLOW = 180_000;

  it(
    'the dashboard, with its tables and overdue questions, has no accessibility violations, and the period is chosen without script',
    async () => {
      const page = await openPage(run.browser);
      await signIn(page, run.base, DEMO.social);
      const res = await page.goto(`${run.base}/admin/indbakke/svartider`);
      expect(res?.status()).toBe(200);
      await expectAccessible(page, 'inbox-response-times');

      await page.getByLabel('Spørgsmål stillet').selectOption({ label: 'Seneste 7 dage' });
      await page.getByRole('button', { name: 'Vis' }).click();
      await page.waitForURL((url) => url.search.includes('dage=7'));
      await expect.poll(() => page.locator('caption').first().textContent()).toContain('seneste 7 dage');
      await expectAccessible(page, 'inbox-response-times-7');
      await page.context().close();
    },
    SLOW,
  );
});
