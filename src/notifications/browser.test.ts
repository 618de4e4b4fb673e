import { describe, expect, it } from 'vitest';
import { DEMO } from '../../test/support/app.ts';
import { appInChromium, expectAccessible, openPage, signIn } from '../../test/support/browser.ts';
import { dialects } from '../../test/support/databases.ts';

// The browser run needs one database only; the HTTP tests cover both engines.
describe.each(dialects.slice(0, 1))('notifications in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);

  it('the notification list and the e-mail choices have no accessibility violations, and a changed choice is saved and shown chosen', async () => {
    const page = await openPage(run.browser);
    await signIn(page, run.base, DEMO.employee);

    await page.goto(`${run.base}/intranet/notifikationer`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Notifikationer');
    expect(await page.getByRole('link', { name: 'Legestuen flytter til Bevtoft Forsamlingshus' }).count()).toBe(1);
    await expectAccessible(page, 'notifications-list');

    await page.getByRole('link', { name: 'Vælg hvor ofte du får notifikationer på e-mail' }).click();
    await page.waitForURL('**/intranet/indstillinger/notifikationer');
    const news = page.getByRole('group', { name: 'Nyheder til dig' });
    expect(await news.getByLabel('Samlet én gang om ugen').isChecked()).toBe(true);
    await expectAccessible(page, 'notification-preferences');

    await news.getByLabel('Samlet én gang om dagen').check();
    await page.getByRole('button', { name: 'Gem valg' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Dine valg er gemt.');
    expect(await page.getByRole('group', { name: 'Nyheder til dig' }).getByLabel('Samlet én gang om dagen').isChecked()).toBe(true);
    await expectAccessible(page, 'notification-preferences-saved');
    await page.context().close();
  }, 120_000);
});
