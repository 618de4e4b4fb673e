import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { saveItem, transition } from '../../src/content/service.ts';
import * as store from '../../src/content/store.ts';
import { DEMO } from '../support/app.ts';
import { appInChromium, expectAccessible, openPage, signIn } from '../support/browser.ts';
import { actorByEmail, newsInput } from '../support/content.ts';
import { dialects } from '../support/databases.ts';

const TITLE = 'Vinterens åbningstider på genbrugspladserne';
const SUMMARY = 'Fra 1. december har genbrugspladserne kortere åbningstid.';
const BODY = 'Genbrugspladserne har åbent kl. 10–16 på hverdage.\n\nI weekenden er der åbent kl. 9–14.';

/** Clicks a button and waits for the page its form leads to. */
async function press(page: Page, name: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
}

// The browser run needs one database only; the HTTP tests cover both engines.
describe.each(dialects.slice(0, 1))('write → review → publish → visible, in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);

  it('the web editor writes a news item, another editor approves and publishes it, and a reader sees it', async () => {
    const web = await openPage(run.browser);
    await signIn(web, run.base, DEMO.web);
    await web.goto(`${run.base}/admin/indhold`);
    await expectAccessible(web, 'content-list');
    await web.getByRole('link', { name: 'Opret indhold' }).first().click();
    await web.waitForURL(`${run.base}/admin/indhold/ny`);
    await web.getByLabel('Nyhed', { exact: true }).check({ force: true });
    await press(web, 'Fortsæt');
    expect(new URL(web.url()).pathname).toBe('/admin/indhold/ny/news');

    await web.getByLabel('Titel').fill(TITLE);
    await web.getByLabel('Resumé').fill(SUMMARY);
    await web.getByLabel('Brødtekst').fill(BODY);
    await web.getByLabel('Vis på hjemmesiden').check({ force: true });
    await web.getByLabel('Afsnit på hjemmesiden').selectOption('nyheder');
    await press(web, 'Opret kladde');
    const id = /\/admin\/indhold\/([0-9a-f-]{36})/.exec(web.url())?.[1];
    expect(id, web.url()).toBeTruthy();
    await press(web, 'Send til godkendelse');
    expect((await store.findItem(run.t.db, id!))!.state).toBe('in_review');

    // The author is not asked to review their own text.
    await web.goto(`${run.base}/admin/opgaver`);
    expect(await web.locator('section[aria-labelledby="godkendelse"]').getByRole('link', { name: TITLE }).count()).toBe(0);
    expect(await web.locator('section[aria-labelledby="kladder"]').getByRole('link', { name: TITLE }).count()).toBe(0);

    const intra = await openPage(run.browser);
    await signIn(intra, run.base, DEMO.intranet);
    await intra.goto(`${run.base}/admin/opgaver`);
    await expectAccessible(intra, 'tasks');
    const waiting = intra.locator('section[aria-labelledby="godkendelse"]');
    await Promise.all([intra.waitForNavigation(), waiting.getByRole('link', { name: TITLE }).click()]);
    await press(intra, 'Godkend');
    await press(intra, 'Udgiv nu');
    expect((await store.findItem(run.t.db, id!))!.live_revision).toBe(1);

    const reader = await openPage(run.browser);
    const slug = (await store.findItem(run.t.db, id!))!.slug;
    const res = await reader.goto(`${run.base}/nyheder/${slug}`);
    expect(res?.status()).toBe(200);
    expect(await reader.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
    expect(await reader.locator('main').textContent()).toContain('I weekenden er der åbent kl. 9–14.');
    expect((await reader.context().cookies()).map((c) => c.name)).toEqual([]);
    await expectAccessible(reader, 'public-item');

    for (const p of [web, intra, reader]) await p.context().close();
  });

  it('the history and the comparison of two revisions have no accessibility violations', async () => {
    const jonas = await actorByEmail(run.t.db, DEMO.web);
    const line = await actorByEmail(run.t.db, DEMO.intranet);
    const sih = (await run.t.db.selectFrom('units').select('id').where('slug', '=', 'sekretariat-it-og-hr').executeTakeFirstOrThrow()).id;
    const { rows } = await store.listItems(run.t.db, { q: 'vinterens åbningstider', limit: 1, offset: 0 });
    const id = rows[0]!.id;
    await saveItem(run.t.db, line, id, newsInput(sih, { title: TITLE, summary: SUMMARY, body: BODY.replace('kl. 10–16', 'kl. 10–17').concat('\n\nJuleaftensdag er der lukket.'), topics: ['Affald', 'Jul'] }), {
      baseRevision: 1,
      changeNote: 'Længere åbent og lukket juleaften',
      major: true,
    });
    await saveItem(run.t.db, jonas, id, newsInput(sih, { title: `${TITLE} og i julen`, summary: SUMMARY, body: BODY, topics: ['Affald'] }), { baseRevision: 2, changeNote: 'Titel', major: false });

    const page = await openPage(run.browser);
    await signIn(page, run.base, DEMO.web);
    await page.goto(`${run.base}/admin/indhold/${id}/historik`);
    await expectAccessible(page, 'history');
    await page.getByLabel('Fra version').selectOption('1');
    await page.getByLabel('Til version').selectOption('2');
    await press(page, 'Sammenlign');
    expect(new URL(page.url()).search).toBe('?fra=1&til=2');
    expect(await page.locator('ins').filter({ hasText: 'Juleaftensdag' }).count()).toBeGreaterThan(0);
    await expectAccessible(page, 'compare');
    await page.goto(`${run.base}/admin`);
    await expectAccessible(page, 'dashboard-tasks');
    await page.context().close();
  });

  it('the notice readers see for withdrawn content has no accessibility violations', async () => {
    const line = await actorByEmail(run.t.db, DEMO.intranet);
    const { rows } = await store.listItems(run.t.db, { q: 'vinterens åbningstider', limit: 1, offset: 0 });
    const item = (await store.findItem(run.t.db, rows[0]!.id))!;
    await transition(run.t.db, line, item.id, 'unpublish', { reason: 'withdrawn', note: 'Åbningstiderne gælder ikke længere. Se de nye på siden om genbrug.' });
    const page = await openPage(run.browser);
    const res = await page.goto(`${run.base}/nyheder/${item.slug}`);
    expect(res?.status()).toBe(410);
    expect(await page.locator('main').textContent()).toContain('Åbningstiderne gælder ikke længere.');
    await expectAccessible(page, 'public-item-withdrawn');
    await page.context().close();
  });
});
