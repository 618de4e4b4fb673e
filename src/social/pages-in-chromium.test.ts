import { describe, expect, it } from 'vitest';
import { DEMO } from '../../test/support/app.ts';
import { appInChromium, expectAccessible, openPage, signIn } from '../../test/support/browser.ts';
import { dialects } from '../../test/support/databases.ts';
import { finalText } from './post-text.ts';
import { providerFor } from './providers/index.ts';
import type { Network } from './providers/types.ts';

const SHOT_DIR = process.env.MEDIEHUS_SCREENSHOTS;

// One database is enough in the browser; routes.test.ts covers both engines.
describe.each(dialects.slice(0, 1))('the social media pages in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);
  const SLOW = 180_000;

  const accountId = async (handle: string) => (await run.t.db.selectFrom('social_accounts').select('id').where('handle', '=', handle).executeTakeFirstOrThrow()).id;

  it(
    'the overview, an account, the composer with its errors, a post and the calendar have no accessibility violations',
    async () => {
      const page = await openPage(run.browser);
      await signIn(page, run.base, DEMO.social);
      const failed = await run.t.db.selectFrom('social_posts').select('id').where('state', '=', 'failed').executeTakeFirstOrThrow();
      for (const [name, path] of [
        ['social-overview', '/admin/sociale-medier'],
        ['social-account', `/admin/sociale-medier/konti/${await accountId('kulturogfritidtoender')}`],
        ['social-account-form', `/admin/sociale-medier/konti/${await accountId('toenderkommune')}/rediger`],
        ['social-post-failed', `/admin/sociale-medier/opslag/${failed.id}`],
        ['social-calendar-week', '/admin/sociale-medier/kalender'],
        ['social-calendar-month', `/admin/sociale-medier/kalender?maaned=${new Date().toISOString().slice(0, 7)}`],
      ] as const) {
        const res = await page.goto(run.base + path);
        expect(res?.status(), path).toBe(200);
        await expectAccessible(page, name);
      }

      // The composer refusing a text that is too long and a time in the past, then the post page of a batch.
      await page.goto(`${run.base}/admin/sociale-medier/opslag/nyt`);
      await page.getByLabel('Tønder Kommune (@toenderkommune) – X').check();
      await page.getByLabel('Tekst til X: Tønder Kommune (@toenderkommune)').fill('Byrådet mødes i aften. '.repeat(14));
      await page.getByLabel('Planlæg til tidspunktet herunder').check();
      await page.locator('#f-scheduledAt').fill('2020-01-01T10:00');
      await page.getByRole('button', { name: 'Planlæg' }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Der er fejl i formularen');
      expect(await page.getByRole('alert').first().textContent()).toContain('Tidspunktet er allerede passeret');
      await expectAccessible(page, 'social-composer-errors');

      await page.getByLabel('Tekst til X: Tønder Kommune (@toenderkommune)').fill('Byrådet mødes i aften kl. 19.');
      await page.getByLabel('Send nu').check();
      await page.getByRole('button', { name: 'Planlæg' }).click();
      await page.waitForURL(/\/opslag\/[0-9a-f-]+\?planlagt=1$/);
      await expectAccessible(page, 'social-post');
      await page.context().close();
    },
    SLOW,
  );

  it(
    'the count under each text follows the typing, counted as its network counts, and agrees with the server',
    async () => {
      const page = await openPage(run.browser);
      await signIn(page, run.base, DEMO.social);
      await page.goto(`${run.base}/admin/sociale-medier/opslag/nyt`);
      const handles: Record<Network, string> = { facebook: 'toenderkommune', x: '@toenderkommune', mastodon: '@toenderkommune@social.toender.dk', bluesky: '@toender.dk' };
      const link = 'https://www.toender.dk/nyheder/vinterferie-i-svoemmehallen';
      await page.locator('#f-link').fill(link);
      const samples = [
        'Vinterferie i svømmehallen 🏊‍♀️🇩🇰 – se åbningstiderne på toender.dk og www.toender.dk/svoem.',
        'Spørg @bibliotek@social.toender.dk om e-bøger: https://bibliotek.toender.dk/e-boeger (gratis).',
        '東京から来た友人 👨‍👩‍👧 besøger Tønder. Café, naïve, Øster Højst.',
      ];
      for (const network of ['x', 'mastodon', 'bluesky', 'facebook'] as const) {
        const id = await accountId(handles[network]);
        await page.locator(`input[name="accountIds"][value="${id}"]`).check();
        const field = page.locator(`#f-text_${id}`);
        const count = page.locator(`#f-text_${id}-count`);
        const max = providerFor(network).limits.maxText;
        // The link is part of the count from the start, as it is of the post (Facebook sends it apart).
        expect(await count.textContent()).toBe(`${providerFor(network).countText(finalText(network, '', link))} af ${max} tegn`);
        for (const sample of samples) {
          await field.fill('');
          await field.pressSequentially(sample.slice(0, 12));
          const partial = providerFor(network).countText(finalText(network, sample.slice(0, 12), link));
          await expect.poll(() => count.textContent(), { timeout: 5_000 }).toBe(`${partial} af ${max} tegn`);
          await field.fill(sample);
          const expected = providerFor(network).countText(finalText(network, sample, link));
          await expect.poll(() => count.textContent(), { timeout: 5_000 }).toBe(`${expected} af ${max} tegn`);
        }
      }
      // Past the limit the count says by how much.
      const x = await accountId('@toenderkommune');
      await page.locator(`#f-text_${x}`).fill('a'.repeat(300));
      await expect.poll(() => page.locator(`#f-text_${x}-count`).textContent()).toBe('325 af 280 tegn – 45 for mange');
      if (SHOT_DIR) await page.screenshot({ path: `${SHOT_DIR}/social-composer.png`, fullPage: true });
      await page.context().close();
    },
    SLOW,
  );
});
