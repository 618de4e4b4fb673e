import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowIso } from '../../src/platform/ids.ts';
import { JobRunner } from '../../src/platform/jobs/runner.ts';
import { registerSocialJobs } from '../../src/social/jobs.ts';
import { startBlueskyContractServer } from '../../src/social/testing/bluesky-server.ts';
import type { ContractServer } from '../../src/social/testing/contract.ts';
import { startFacebookContractServer } from '../../src/social/testing/facebook-server.ts';
import { startMastodonContractServer } from '../../src/social/testing/mastodon-server.ts';
import { startXContractServer } from '../../src/social/testing/x-server.ts';
import { sealTokens } from '../../src/social/tokens.ts';
import { DEMO } from '../support/app.ts';
import { appInChromium, expectAccessible, openPage, signIn } from '../support/browser.ts';
import { dialects } from '../support/databases.ts';

const SHOTS = process.env.MEDIEHUS_SCREENSHOTS;
const TEXT = 'Dagplejen søger nye dagplejere i Toftlund og Agerskov. Læs om jobbet og fristen på hjemmesiden.';
const LINK = 'https://www.toender.dk/job/dagplejer-toftlund';
const quiet = { info() {}, warn() {}, error() {} };

// Publishing as the municipality does it, with the real server, the job runner and the four contract servers in
// place of the networks. The job runner is exercised on both engines, so the file runs on each.
describe.each(dialects)('a post from the composer to Facebook, in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);
  let servers: ContractServer[] = [];
  let runner: JobRunner;
  /** Dagplejen's page on the Facebook contract server. */
  let dagplejenPage = '';

  beforeAll(async () => {
    servers = await Promise.all([startFacebookContractServer(), startXContractServer(), startMastodonContractServer(), startBlueskyContractServer()]);
    const ctx = run.t.app.ctx.social;
    const accounts = await run.t.db.selectFrom('social_accounts').select(['id', 'network', 'handle', 'name']).where('status', '=', 'connected').execute();
    for (const a of accounts) {
      const server = servers.find((s) => s.network === a.network)!;
      const made = server.createAccount({ handle: a.handle, name: a.name });
      if (a.handle === 'dagplejenitoender') dagplejenPage = made.externalId;
      await run.t.db
        .updateTable('social_accounts')
        .set({ api_base: server.url, external_id: made.externalId, token_sealed: sealTokens(ctx, a.id, { accessToken: made.accessToken, refreshToken: made.refreshToken }), updated_at: nowIso() })
        .where('id', '=', a.id)
        .execute();
    }
    expect(dagplejenPage).not.toBe('');
    runner = new JobRunner({ db: run.t.db, logger: quiet, pollMs: 100 });
    registerSocialJobs(runner, null, ctx, quiet);
    runner.start();
  });
  afterAll(async () => {
    await runner?.stop();
    await Promise.all(servers.map((s) => s.close()));
  });

  it(
    "Anne writes a post for Dagplejen's page, Sofie approves it, and it is sent once with the network's link on the post page",
    async () => {
      const anne = await openPage(run.browser);
      await signIn(anne, run.base, DEMO.employee);
      await anne.goto(`${run.base}/admin/sociale-medier/opslag/nyt`);
      await anne.getByLabel(/^Dagplejen i Tønder Kommune \(dagplejenitoender\) – Facebook/).check();
      // A typo, fixed below before anyone approves it.
      await anne.getByLabel('Tekst til Facebook: Dagplejen i Tønder Kommune (dagplejenitoender)').fill(TEXT.replace('dagplejere', 'dagplejre'));
      await anne.getByLabel(/^Link/).fill(LINK);
      await expectAccessible(anne, 'social-e2e-composer');
      await anne.getByRole('button', { name: 'Send til godkendelse' }).click();
      await anne.waitForURL(/\/admin\/sociale-medier\/opslag\/[0-9a-f-]+\?til-godkendelse=1$/);
      const postUrl = anne.url().split('?')[0]!;
      expect(await anne.getByRole('status').textContent()).toContain('Opslaget er sendt til godkendelse.');
      expect(await anne.locator('.font-lead .badge').textContent()).toBe('Venter på godkendelse');
      await expectAccessible(anne, 'social-e2e-awaiting');

      await anne.getByRole('link', { name: 'Redigér' }).click();
      await anne.waitForURL(`${postUrl}/rediger`);
      const text = anne.getByLabel('Tekst til Facebook: Dagplejen i Tønder Kommune (dagplejenitoender)');
      expect(await text.inputValue()).toBe(TEXT.replace('dagplejere', 'dagplejre'));
      expect(await anne.locator('#f-text-count').textContent()).toBe(`${[...TEXT].length - 1} af 63206 tegn`);
      await text.fill(TEXT);
      await expect.poll(() => anne.locator('#f-text-count').textContent()).toBe(`${[...TEXT].length} af 63206 tegn`);
      await expectAccessible(anne, 'social-e2e-edit');
      await anne.getByRole('button', { name: 'Gem ændringer' }).click();
      await anne.waitForURL(`${postUrl}?rettet=1`);
      expect(await anne.locator('.font-lead .badge').textContent()).toBe('Venter på godkendelse');
      expect(await anne.getByRole('main').textContent()).toContain(TEXT);
      await anne.context().close();

      const sofie = await openPage(run.browser);
      await signIn(sofie, run.base, DEMO.social);
      await sofie.goto(`${run.base}/admin/sociale-medier`);
      await expectAccessible(sofie, 'social-e2e-overview');
      await sofie.locator('#venter ~ div').getByRole('link', { name: /^Dagplejen søger nye dagplejere/ }).click();
      await sofie.waitForURL(postUrl);
      await sofie.getByRole('button', { name: 'Godkend' }).click();
      await sofie.waitForURL(`${postUrl}?godkendt=1`);

      // The job runner sends it in the background; the page shows it once it is through.
      await expect
        .poll(
          async () => {
            await sofie.goto(postUrl);
            return sofie.locator('.font-lead .badge').textContent();
          },
          { timeout: 10_000, interval: 300 },
        )
        .toBe('Sendt');
      const received = servers.find((s) => s.network === 'facebook')!.createdPosts(dagplejenPage);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ text: TEXT, link: LINK });
      const onNetwork = sofie.getByRole('link', { name: 'Se opslaget på Facebook' });
      expect(await onNetwork.getAttribute('href')).toBe(`https://www.facebook.com/${dagplejenPage}/posts/${received[0]!.id.split('_').pop()}`);
      expect(await sofie.getByRole('table').filter({ hasText: 'Forsøg' }).locator('tbody tr').allTextContents()).toEqual([expect.stringContaining('Sendt')]);
      await expectAccessible(sofie, 'social-e2e-sent');
      if (SHOTS) await sofie.screenshot({ path: `${SHOTS}/social-e2e-sent-${dialect}.png`, fullPage: true });

      // A second look a moment later still finds one post: nothing sends it again.
      await new Promise((r) => setTimeout(r, 500));
      expect(servers.find((s) => s.network === 'facebook')!.createdPosts(dagplejenPage)).toHaveLength(1);
      await sofie.context().close();
    },
    120_000,
  );
});
