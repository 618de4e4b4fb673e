import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectedPage, connectDemoFacebook } from '../../src/inbox/removal-test-support.ts';
import { type FacebookContractServer, startFacebookContractServer } from '../../src/social/testing/facebook-server.ts';
import { DEMO } from '../support/app.ts';
import { appInChromium, expectAccessible, openPage, signIn } from '../support/browser.ts';
import { dialects } from '../support/databases.ts';

// The moderation flow as an editor meets it: a comment classified as offensive, with its reason; hidden with a
// guideline point and a reason; the removal record; and the CSV export that holds it. The Facebook page is a
// contract server. One database is enough in the browser; src/inbox/moderation.test.ts covers both engines.
describe.each(dialects.slice(0, 1))('hiding an offensive comment and exporting the record, in Chromium (%s)', (dialect) => {
  const run = appInChromium(dialect);
  const SLOW = 180_000;
  let fb: FacebookContractServer;
  let page: ConnectedPage;

  beforeAll(async () => {
    fb = await startFacebookContractServer();
    page = await connectDemoFacebook(run.t, fb);
  });
  afterAll(async () => {
    await fb?.close();
  });

  it(
    'Sofie sees the comment classified as offensive with its reason, hides it under a guideline point with a reason, reads the record and finds it in the CSV; every page passes axe',
    async () => {
      const id = await page.comment('Tom Berg', 'I er nogle fucking idioter på rådhuset. Mit CPR er 010203-4321.');
      const externalId = (await run.t.db.selectFrom('inbox_items').select('external_id').where('id', '=', id).executeTakeFirstOrThrow()).external_id;
      const sofie = await openPage(run.browser);
      await signIn(sofie, run.base, DEMO.social);

      await sofie.goto(`${run.base}/admin/indbakke`);
      const listed = sofie.locator(`#item-${id}`);
      await expect.poll(() => listed.textContent()).toContain('Krænkende eller uhøvisk sprog');
      expect(await listed.textContent()).toContain('010203-****');
      await expectAccessible(sofie, 'moderation-inbox-list');

      await listed.getByRole('link', { name: 'Tom Berg' }).click();
      await sofie.waitForURL(`${run.base}/admin/indbakke/${id}`);
      expect(await sofie.locator('ul[aria-labelledby="begrundelse"]').textContent()).toContain('Krænkende eller uhøvisk sprog');
      await expectAccessible(sofie, 'moderation-item');

      await sofie.getByRole('link', { name: 'Skjul eller slet' }).click();
      await sofie.waitForURL(`${run.base}/admin/indbakke/${id}/fjern`);
      await expectAccessible(sofie, 'moderation-removal-action');
      // One question per page: hide (preferred), the guideline point, the reason.
      await sofie.getByLabel('Skjul kommentaren').check();
      await sofie.getByRole('button', { name: 'Fortsæt' }).click();
      await expect.poll(() => sofie.locator('legend').textContent()).toBe('Hvilket punkt i retningslinjerne er anvendt?');
      await expectAccessible(sofie, 'moderation-removal-guideline');
      await sofie.getByLabel('Krænkende, anstødeligt eller uhøvisk indhold').check();
      await sofie.getByRole('button', { name: 'Fortsæt' }).click();
      // Sent without a reason first: the error names the field, and the page still passes.
      await sofie.getByRole('button', { name: 'Gem notat og fjern kommentaren' }).click();
      await expect.poll(() => sofie.locator('#f-reason-error').textContent()).toContain('Skriv en begrundelse');
      await expectAccessible(sofie, 'moderation-removal-reason-errors');
      await sofie.getByLabel('Begrundelse').fill('Grove skældsord mod kommunens medarbejdere.');
      await sofie.getByRole('button', { name: 'Gem notat og fjern kommentaren' }).click();
      await sofie.waitForURL(/\/admin\/indbakke\/fjernet\/[^/]+\?gennemfoert=1$/);
      const recordId = new URL(sofie.url()).pathname.split('/').pop()!;
      expect(await sofie.getByRole('status').textContent()).toContain('Kommentaren er fjernet på netværket, og notatet er gemt.');
      const facts = (await sofie.locator('dl.mh-facts').textContent())!;
      expect(facts).toContain('Skjult på netværket');
      expect(facts).toContain('Krænkende, anstødeligt eller uhøvisk indhold');
      expect(facts).toContain('Grove skældsord mod kommunens medarbejdere.');
      expect(await sofie.content()).not.toContain('010203-4321');
      expect(fb.hiddenIds().has(externalId)).toBe(true);
      await expectAccessible(sofie, 'moderation-record');

      await sofie.getByRole('link', { name: 'Side til borgeren (kan udskrives)' }).click();
      await expect.poll(() => sofie.locator('h1').textContent()).toBe('Din kommentar er skjult');
      await expectAccessible(sofie, 'moderation-record-citizen');

      await sofie.goto(`${run.base}/admin/indbakke`);
      await sofie.getByRole('link', { name: 'Fjernede kommentarer' }).click();
      await sofie.waitForURL(`${run.base}/admin/indbakke/fjernet`);
      expect(await sofie.locator('tbody tr').first().textContent()).toContain('Tom Berg');
      await expectAccessible(sofie, 'moderation-records');

      const [download] = await Promise.all([sofie.waitForEvent('download'), sofie.getByRole('link', { name: 'Hent som CSV (regneark)' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^fjernede-kommentarer-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = await readFile((await download.path())!, 'utf8');
      expect(csv.startsWith('\uFEFFNotat-id;Konto;')).toBe(true);
      const row = csv.split('\r\n').find((line) => line.startsWith(recordId));
      expect(row).toContain('Tom Berg');
      expect(row).toContain('I er nogle fucking idioter på rådhuset. Mit CPR er 010203-****.');
      expect(row).toContain('Grove skældsord mod kommunens medarbejdere.');
      expect(csv).not.toContain('010203-4321');
      await sofie.context().close();
    },
    SLOW,
  );
});
