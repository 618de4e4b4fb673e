import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItem, saveItem, transition } from '../../src/content/service.ts';
import * as store from '../../src/content/store.ts';
import { createTestApp, DEMO, type TestApp } from '../support/app.ts';
import { expectAccessible, launchChromium, openPage, serveOnFreePort, signIn } from '../support/browser.ts';
import { actorByEmail, newsInput, unitId } from '../support/content.ts';
import { dialects } from '../support/databases.ts';

// One database is enough here; the HTTP tests in src/content cover both engines.
describe.each(dialects.slice(0, 1))('the editor in Chromium (%s)', (dialect) => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let kom: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    base = await serveOnFreePort(t.app);
    browser = await launchChromium();
    kom = await unitId(t.db, 'kommunikation');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const pageFor = async (email: string): Promise<Page> => {
    const page = await openPage(browser);
    await signIn(page, base, email);
    return page;
  };

  const newsItem = async (title: string, overrides: Record<string, unknown> = {}) =>
    (await createItem(t.db, await actorByEmail(t.db, DEMO.web), 'news', newsInput(kom, { title, ...overrides }))).id;

  it('two editors saving the same item: the second sees both versions side by side and can save theirs deliberately', async () => {
    const id = await newsItem('Vejarbejde på Storegade');
    const web = await pageFor(DEMO.web);
    const intra = await pageFor(DEMO.intranet);
    await web.goto(`${base}/admin/indhold/${id}`);
    await intra.goto(`${base}/admin/indhold/${id}`);

    await intra.getByLabel('Titel', { exact: true }).fill('Vejarbejde på Storegade i uge 12');
    await intra.getByRole('button', { name: 'Gem', exact: true }).click();
    await intra.waitForURL(/\?gemt=1$/);

    await web.getByLabel('Titel', { exact: true }).fill('Storegade er spærret');
    await web.getByLabel('Brødtekst', { exact: true }).fill('Storegade er spærret mellem Torvet og Vestergade.');
    await web.getByRole('button', { name: 'Gem', exact: true }).click();
    await expect.poll(() => web.getByRole('heading', { level: 1 }).textContent()).toBe('Konflikt: Vejarbejde på Storegade i uge 12');
    const table = web.getByRole('table', { name: /Den nyeste version/ });
    await expect.poll(() => table.getByRole('columnheader').allTextContents()).toEqual([
      'Felt',
      expect.stringMatching(/^Den nyeste version \(af Line Kjær, .+\)$/),
      'Din version',
    ]);
    const titleRow = table.getByRole('row', { name: /Titel/ });
    expect(await titleRow.getByRole('cell').allTextContents()).toEqual(['Vejarbejde på Storegade i uge 12', 'Storegade er spærret']);
    expect(await web.getByLabel('Titel', { exact: true }).inputValue()).toBe('Storegade er spærret');
    expect(await web.getByLabel('Brødtekst', { exact: true }).inputValue()).toBe('Storegade er spærret mellem Torvet og Vestergade.');
    await expectAccessible(web, 'editor-conflict');

    await web.getByRole('button', { name: 'Gem min version' }).click();
    await web.waitForURL(/\?gemt=1$/);
    await expect.poll(() => web.getByRole('status').first().textContent()).toContain('Ændringerne er gemt.');
    const item = (await store.findItem(t.db, id))!;
    expect(item.title).toBe('Storegade er spærret');
    await web.context().close();
    await intra.context().close();
  });

  it('the LIX figure updates while typing', async () => {
    const id = await newsItem('Læsbarhed', { body: '' });
    const page = await pageFor(DEMO.web);
    await page.goto(`${base}/admin/indhold/${id}`);
    const score = page.locator('[data-lix-score]');
    expect(await score.textContent()).toBe('–');
    await page.getByLabel('Brødtekst', { exact: true }).fill('Vi har åbent i dag. Kom forbi.');
    await expect.poll(() => score.textContent()).toBe('4');
    await page.getByLabel('Brødtekst', { exact: true }).fill('Kommunalbestyrelsens beslutningsgrundlag vedrørende ressourceanvendelsen forventes offentliggjort.');
    await expect.poll(async () => Number(await score.textContent())).toBeGreaterThan(60);
    expect(await page.locator('[data-lix-level]').textContent()).toBe('meget svær');
    await page.context().close();
  });

  it('autosave stores a revision after typing, and the form carries on from it', async () => {
    const id = await newsItem('Autosave');
    const page = await pageFor(DEMO.web);
    await page.goto(`${base}/admin/indhold/${id}`);
    await page.getByLabel('Resumé', { exact: true }).fill('Skrevet uden at trykke på Gem.');
    await expect.poll(async () => (await store.findItem(t.db, id))!.latest_revision, { timeout: 15_000, interval: 500 }).toBe(2);
    const revision = (await store.findRevision(t.db, id, 2))!;
    expect(revision).toMatchObject({ change_note: 'Automatisk gemt', major: 0 });
    expect(JSON.parse(revision.content).summary).toBe('Skrevet uden at trykke på Gem.');
    await expect.poll(() => page.locator('input[name="baseRevision"]').inputValue()).toBe('2');
    await expect.poll(() => page.locator('[data-autosave-status]').textContent()).toContain('Gemt automatisk');

    // Saving by hand right after goes on from the autosaved revision, not into a conflict with it.
    await page.getByLabel('Hvad har du ændret?').fill('Nyt resumé');
    await page.getByRole('button', { name: 'Gem', exact: true }).click();
    await page.waitForURL(/\?gemt=1$/);
    expect((await store.findItem(t.db, id))!.latest_revision).toBe(3);
    await page.context().close();
  });

  it('autosave stops and says so when someone else has saved meanwhile; nothing typed is lost', async () => {
    const id = await newsItem('Samtidig redigering');
    const page = await pageFor(DEMO.web);
    await page.goto(`${base}/admin/indhold/${id}`);
    const intra = await actorByEmail(t.db, DEMO.intranet);
    await saveItem(t.db, intra, id, newsInput(kom, { title: 'Line var først' }), { baseRevision: 1, changeNote: 'Rettet', major: false });
    await page.getByLabel('Titel', { exact: true }).fill('Jonas skriver');
    await expect.poll(() => page.getByRole('alert').allTextContents(), { timeout: 15_000, interval: 500 }).toContainEqual(
      expect.stringContaining('En anden har gemt indholdet, mens du skrev'),
    );
    expect(await page.getByLabel('Titel', { exact: true }).inputValue()).toBe('Jonas skriver');
    expect((await store.findItem(t.db, id))!.latest_revision).toBe(2);
    await page.context().close();
  });

  it('the editor pages have no accessibility violations: type chooser, new form, item pages with actions, form with errors', async () => {
    const web = await pageFor(DEMO.web);
    await web.goto(`${base}/admin/indhold/ny`);
    await expectAccessible(web, 'editor-choose-type');
    await web.getByRole('button', { name: 'Fortsæt' }).click();
    await expect.poll(() => web.locator('.form-error-message').count()).toBeGreaterThan(0);
    await expectAccessible(web, 'editor-choose-type-error');

    await web.getByLabel('Arrangement').check();
    await web.getByRole('button', { name: 'Fortsæt' }).click();
    await web.waitForURL(/\/admin\/indhold\/ny\/event$/);
    await expectAccessible(web, 'editor-new');
    await web.getByLabel('Vis på hjemmesiden').check();
    await web.getByLabel('Afsnit på hjemmesiden').selectOption('');
    await web.getByRole('button', { name: 'Opret kladde' }).click();
    await expect.poll(() => web.locator('.form-error-message').count()).toBeGreaterThan(2);
    await expectAccessible(web, 'editor-new-errors');

    // In review, seen by another editor: approve, send back and emergency publish.
    const inReview = await newsItem('Ny genbrugsplads');
    await transition(t.db, await actorByEmail(t.db, DEMO.web), inReview, 'submit');
    const intra = await pageFor(DEMO.intranet);
    await intra.goto(`${base}/admin/indhold/${inReview}`);
    expect(await intra.getByRole('button', { name: 'Godkend', exact: true }).count()).toBe(1);
    await expectAccessible(intra, 'editor-item-review');
    await intra.getByRole('button', { name: 'Send tilbage', exact: true }).click();
    await expect.poll(() => intra.locator('#f-send_back-comment-error').count()).toBe(1);
    await expectAccessible(intra, 'editor-item-step-error');

    // Published: unpublish now or later, each with its reasons.
    const live = await newsItem('Udgivet nyhed');
    const intraActor = await actorByEmail(t.db, DEMO.intranet);
    await transition(t.db, intraActor, live, 'emergency_publish', { reason: 'Haster' });
    await intra.goto(`${base}/admin/indhold/${live}`);
    expect(await intra.getByRole('button', { name: 'Afpublicér', exact: true }).count()).toBe(1);
    await expectAccessible(intra, 'editor-item-live');

    await intra.getByRole('button', { name: 'Forhåndsvis' }).click();
    await expect.poll(() => intra.getByRole('heading', { name: 'Forhåndsvisning af brødteksten' }).count()).toBe(1);
    await expectAccessible(intra, 'editor-item-preview');
    await web.context().close();
    await intra.context().close();
  });
});
