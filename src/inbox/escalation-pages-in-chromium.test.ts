import { describe, expect, it } from 'vitest';
import { DEMO } from '../../test/support/app.ts';
import { appInChromium, expectAccessible, openPage, signIn } from '../../test/support/browser.ts';
import { dialects } from '../../test/support/databases.ts';

// One database is enough in the browser; escalation.test.ts, blocking.test.ts and rules-editor.test.ts cover both engines.
describe.each(dialects.slice(0, 1))('sending on, blocking and the rules in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);
  const SLOW = 180_000;

  it(
    'the pages for sending on, blocking, the blocks and the rules, with and without errors, have no accessibility violations',
    async () => {
      const page = await openPage(run.browser);
      await signIn(page, run.base, DEMO.social);
      const poul = await run.t.db.selectFrom('inbox_items').select('id').where('author_name', '=', 'Poul Sørensen').executeTakeFirstOrThrow();
      for (const [name, path] of [
        ['inbox-escalate', `/admin/indbakke/${poul.id}/eskaler`],
        ['inbox-block', `/admin/indbakke/${poul.id}/bloker`],
        ['inbox-blocks', '/admin/indbakke/blokeringer'],
        ['inbox-rules', '/admin/indbakke/regler'],
        ['inbox-rule-new', '/admin/indbakke/regler/ny'],
      ] as const) {
        const res = await page.goto(run.base + path);
        expect(res?.status(), path).toBe(200);
        expect(await page.content()).not.toContain('120345-1234');
        await expectAccessible(page, name);
      }

      // Each form sent empty shows its errors; the pages work without script.
      await page.goto(`${run.base}/admin/indbakke/${poul.id}/eskaler`);
      await page.getByRole('button', { name: 'Send videre' }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Der er fejl i formularen');
      await expectAccessible(page, 'inbox-escalate-errors');

      await page.goto(`${run.base}/admin/indbakke/${poul.id}/bloker`);
      await page.getByRole('button', { name: 'Blokér afsender' }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Der er fejl i formularen');
      await expectAccessible(page, 'inbox-block-errors');

      await page.goto(`${run.base}/admin/indbakke/regler`);
      await page.getByLabel('Tekst').fill('Hvornår tømmer I skraldet? Køb billige solbriller nu!');
      await page.getByRole('button', { name: 'Prøv' }).click();
      await expect.poll(() => page.locator('#resultat').textContent()).toContain('Spørgsmål');
      await expectAccessible(page, 'inbox-rules-tried');

      // The rules are in the table once the rules page has been read.
      const rule = await run.t.db.selectFrom('moderation_rules').select('id').orderBy('position').executeTakeFirstOrThrow();
      await page.goto(`${run.base}/admin/indbakke/regler/${rule.id}`);
      await page.getByLabel('Mønstre (regulære udtryk)').fill('(uafsluttet');
      await page.getByRole('button', { name: 'Gem' }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Der er fejl i formularen');
      await expectAccessible(page, 'inbox-rule-errors');
      await page.context().close();
    },
    SLOW,
  );
});
