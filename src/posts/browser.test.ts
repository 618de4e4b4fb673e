import { describe, expect, it } from 'vitest';
import { DEMO } from '../../test/support/app.ts';
import { appInChromium, expectAccessible, openPage, signIn } from '../../test/support/browser.ts';
import { dialects } from '../../test/support/databases.ts';

// The browser run needs one database only; the HTTP tests cover both engines.
describe.each(dialects.slice(0, 1))('posts in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);
  let postUrl = '';

  it('the feed and a refused post have no accessibility violations, and the error keeps what was typed', async () => {
    const page = await openPage(run.browser);
    await signIn(page, run.base, DEMO.employee);
    await page.goto(`${run.base}/intranet/opslag`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Nyheder og opslag');
    await expectAccessible(page, 'posts-feed');

    await page.getByLabel('Dagplejen – dine kolleger').uncheck();
    await page.getByLabel('Dit opslag').fill('Vi mangler en hjælper til legestuen på torsdag.');
    await page.getByRole('button', { name: 'Del opslag' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('alert').first().textContent()).toContain('Vælg hvem der kan se opslaget');
    expect(await page.getByLabel('Dit opslag').inputValue()).toBe('Vi mangler en hjælper til legestuen på torsdag.');
    await expectAccessible(page, 'posts-compose-error');

    await page.getByLabel('Alle i kommunen').check();
    await page.getByRole('button', { name: 'Del opslag' }).click();
    await page.waitForURL(/\/intranet\/opslag\/[^/?]+\?oprettet=1$/);
    postUrl = page.url().split('?')[0]!;
    await page.context().close();
  }, 60_000);

  it('a post page with a comment, a mention and a reaction has no accessibility violations', async () => {
    const page = await openPage(run.browser);
    await signIn(page, run.base, DEMO.employee);
    await page.goto(postUrl);
    await page.getByLabel('Din kommentar').fill('Jeg spørger @Line Kjær, om hun kan.');
    await page.getByRole('button', { name: 'Kommentér' }).click();
    await page.waitForURL(/kommenteret=1/);
    await page.getByRole('button', { name: 'Synes godt om' }).click();
    await page.waitForURL(/#reaktioner$/);
    expect(await page.getByRole('button', { name: 'Synes godt om (1)' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('link', { name: '@Line Kjær' }).getAttribute('href')).toMatch(/^\/intranet\/personer\//);
    await expectAccessible(page, 'posts-post');
    await page.context().close();
  }, 60_000);

  it("the demo's post with comments and an editor's removal form have no accessibility violations", async () => {
    const editor = await openPage(run.browser);
    await signIn(editor, run.base, DEMO.intranet);
    await editor.goto(`${postUrl}/fjern`);
    await editor.getByRole('button', { name: 'Fjern opslaget' }).click();
    await editor.waitForLoadState();
    expect(await editor.getByRole('alert').first().textContent()).toContain('Skriv en begrundelse');
    await expectAccessible(editor, 'posts-remove-error');

    await editor.goto(`${run.base}/intranet/opslag`);
    await editor.getByRole('link', { name: 'Opslag fra Line Kjær' }).first().click();
    await editor.waitForURL(/\/intranet\/opslag\/[^/?]+$/);
    expect(await editor.getByRole('heading', { name: /^Kommentarer/ }).textContent()).toBe('Kommentarer (3)');
    await expectAccessible(editor, 'posts-demo-post');
    await editor.context().close();
  }, 60_000);
});
