import { describe, expect, it } from 'vitest';
import { DEMO } from '../../test/support/app.ts';
import { appInChromium, expectAccessible, openPage, signIn } from '../../test/support/browser.ts';
import { dialects } from '../../test/support/databases.ts';

// One database is enough in the browser; routes.test.ts covers both engines.
describe.each(dialects.slice(0, 1))('the inbox pages in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);
  const SLOW = 180_000;

  it(
    'the list, an item with its thread and reasons, a filled-in saved reply and the saved replies have no accessibility violations',
    async () => {
      const page = await openPage(run.browser);
      await signIn(page, run.base, DEMO.social);
      const poul = await run.t.db.selectFrom('inbox_items').select('id').where('author_name', '=', 'Poul Sørensen').executeTakeFirstOrThrow();
      for (const [name, path] of [
        ['inbox-list', '/admin/indbakke'],
        ['inbox-list-filtered', '/admin/indbakke?kategori=question&forsinket=1'],
        ['inbox-item', `/admin/indbakke/${poul.id}`],
        ['inbox-saved-replies', '/admin/indbakke/svar'],
      ] as const) {
        const res = await page.goto(run.base + path);
        expect(res?.status(), path).toBe(200);
        expect(await page.content()).not.toContain('120345-1234');
        await expectAccessible(page, name);
      }

      // Choosing a saved reply and pressing "Indsæt" fills the text, with no script on the page.
      await page.goto(`${run.base}/admin/indbakke/${poul.id}`);
      await page.getByLabel('Gemt svar').selectOption({ label: 'Personlige sager: skriv sikkert' });
      await page.getByRole('button', { name: 'Indsæt' }).click();
      await expect.poll(() => page.getByLabel('Dit svar').inputValue()).toContain('Vi kan ikke behandle sager her');
      await expectAccessible(page, 'inbox-item-reply-filled');

      // A saved reply with errors.
      await page.goto(`${run.base}/admin/indbakke/svar`);
      await page.getByRole('button', { name: 'Opret' }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Der er fejl i formularen');
      await expectAccessible(page, 'inbox-saved-replies-errors');
      await page.context().close();
    },
    SLOW,
  );
});
