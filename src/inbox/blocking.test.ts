import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';
import { newId } from '../platform/ids.ts';
import { localDate } from '../platform/time.ts';
import type { IncomingItem } from '../social/providers/types.ts';
import { type BlueskyContractServer, startBlueskyContractServer } from '../social/testing/bluesky-server.ts';
import type { ContractAccount, ContractServer } from '../social/testing/contract.ts';
import { type MastodonContractServer, startMastodonContractServer } from '../social/testing/mastodon-server.ts';
import { sealTokens } from '../social/tokens.ts';
import { findPersonRowByEmail } from '../org/store.ts';
import { ValidationError } from '../platform/errors.ts';
import { actorFor } from '../signin/actors.ts';
import { blockAuthor, latestReviewDate } from './blocking.ts';
import { ingestItems } from './ingest.ts';

// Blocking an author: only with a reason and a review date; recorded in Mediehus, shown on the author's new comments,
// listed with the overdue reviews first, and lifted again by the account's editors.

const daysFromToday = (days: number) => {
  const d = new Date(`${localDate()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

describe.each(dialects)('blocking the author of an inbox item (%s)', (dialect) => {
  let t: TestApp;
  const accounts: Record<string, string> = {};

  const signedIn = async (email: string) => {
    const b = new Browser(t.app);
    await b.signIn(email);
    return b;
  };
  const itemBy = (author: string) => t.db.selectFrom('inbox_items').selectAll().where('author_name', '=', author).orderBy('received_at').executeTakeFirstOrThrow();
  const incoming = (over: Partial<IncomingItem>): IncomingItem => ({
    externalId: `new-${newId()}`,
    parentExternalId: 'x-post-9',
    rootExternalId: 'x-post-9',
    authorName: 'Crypto Gains',
    authorHandle: '@cryptogains2026',
    text: 'Tjen penge hurtigt hjemmefra.',
    createdAt: new Date(),
    url: null,
    hidden: false,
    ...over,
  });
  const listItem = ($: cheerio.CheerioAPI, author: string) => $('li.mh-listing-item').filter((_, el) => $(el).find('h3 a').text() === author);

  beforeAll(async () => {
    t = await createTestApp(dialect);
    for (const row of await t.db.selectFrom('social_accounts').select(['id', 'handle', 'network']).execute()) {
      if (row.network === 'x') accounts.x = row.id;
      if (row.handle === 'toenderkommune' && row.network === 'facebook') accounts.fb = row.id;
    }
  });
  afterAll(async () => t?.close());

  it('a block needs a reason and a review date after today and at most a year ahead; the messages name the field and what was typed is kept', async () => {
    const sofie = await signedIn(DEMO.social);
    const crypto = await itemBy('Crypto Gains');
    const page = await sofie.get(`/admin/indbakke/${crypto.id}/bloker`);
    expect(page.statusCode).toBe(200);
    expect(cheerio.load(page.body)('.alert-info').text()).toContain('Mediehus blokerer ikke afsenderen på X');

    const empty = await sofie.post(`/admin/indbakke/${crypto.id}/bloker`, { reason: '', reviewOn: daysFromToday(-3) });
    expect(empty.statusCode).toBe(422);
    const $ = cheerio.load(empty.body);
    expect($('#f-reason-error').text()).toContain('Skriv en begrundelse for blokeringen');
    expect($('#f-reviewOn-error').text()).toContain('Datoen for genvurdering skal ligge efter i dag');
    expect($('#f-reviewOn').val()).toBe(daysFromToday(-3));

    const far = await sofie.post(`/admin/indbakke/${crypto.id}/bloker`, { reason: 'Gentagen spam.', reviewOn: daysFromToday(400) });
    expect(far.statusCode).toBe(422);
    const $f = cheerio.load(far.body);
    expect($f('#f-reviewOn-error').text()).toContain('Datoen for genvurdering må højst ligge et år frem');
    expect($f('#f-reason').text()).toBe('Gentagen spam.');

    const missing = await sofie.post(`/admin/indbakke/${crypto.id}/bloker`, { reason: 'Gentagen spam.', reviewOn: '' });
    expect(cheerio.load(missing.body)('#f-reviewOn-error').text()).toContain('Skriv en dato for genvurdering');
    expect(await t.db.selectFrom('inbox_blocks').select('id').where('account_id', '=', accounts.x!).execute()).toEqual([]);
  });

  it('a blocked author’s new comments carry “Blokeret afsender” in the list and on the item page; others’ do not', async () => {
    const sofie = await signedIn(DEMO.social);
    const crypto = await itemBy('Crypto Gains');
    await sofie.get(`/admin/indbakke/${crypto.id}/bloker`);
    const res = await sofie.post(`/admin/indbakke/${crypto.id}/bloker`, { reason: 'Gentagen spam med links til pengesvindel (retningslinjerne: reklame og spam).', reviewOn: latestReviewDate(localDate()) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/indbakke/blokeringer?blokeret=1');
    const blocks = await t.db.selectFrom('inbox_blocks').selectAll().where('account_id', '=', accounts.x!).execute();
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ account_id: accounts.x, author_handle: '@cryptogains2026', author_name: 'Crypto Gains', lifted_at: null });
    expect((await t.db.selectFrom('audit_log').select('action').where('object_id', '=', blocks[0]!.id).execute()).map((a) => a.action)).toEqual(['inbox.blocked']);

    const added = await ingestItems(t.db, { id: accounts.x!, business_hours: null }, [
      incoming({ authorName: 'Crypto Gains 💰', text: 'Ny chance: tjen 9000 kr om dagen!' }),
      incoming({ authorName: 'Nanna Friis', authorHandle: '@nannafriis', text: 'Hvornår er der byrådsmøde?' }),
    ]);
    expect(added.added).toBe(2);
    const $ = cheerio.load((await sofie.get('/admin/indbakke')).body);
    expect(listItem($, 'Crypto Gains 💰').find('.badge').text()).toContain('Blokeret afsender');
    expect(listItem($, 'Crypto Gains').find('.badge').text()).toContain('Blokeret afsender');
    expect(listItem($, 'Nanna Friis').find('.badge').text()).not.toContain('Blokeret afsender');
    const item = cheerio.load((await sofie.get(`/admin/indbakke/${added.ids[0]}`)).body);
    expect(item('.mh-facts').text()).toContain('Blokeret afsender');
    // The same handle on another account is another person's business.
    const fbItem = await itemBy('Tina Holm');
    expect(cheerio.load((await sofie.get(`/admin/indbakke/${fbItem.id}`)).body)('.mh-facts').text()).not.toContain('Blokeret afsender');
  });

  it('the blocks list shows those due for review first and marks them “Skal genvurderes”', async () => {
    const sofie = await signedIn(DEMO.social);
    const decidedBy = await t.db.selectFrom('people').select('id').where('email', '=', DEMO.social).executeTakeFirstOrThrow();
    await t.db
      .insertInto('inbox_blocks')
      .values({ id: newId(), account_id: accounts.fb!, author_handle: 'Tina Holm', author_name: 'Tina Holm', reason: 'Grove skældsord mod medarbejdere.', review_on: daysFromToday(-2), decided_by: decidedBy.id, decided_at: new Date(Date.now() - 200 * 86_400_000).toISOString(), lifted_at: null })
      .execute();
    const res = await sofie.get('/admin/indbakke/blokeringer');
    expect(res.statusCode).toBe(200);
    const $ = cheerio.load(res.body);
    const entries = $('li.mh-listing-item');
    // The demo's block on Dagplejen's page is reviewed in three months, this one in a year.
    expect(entries.map((_, el) => $(el).find('h2').text().trim()).get()).toEqual(['Tina Holm Skal genvurderes', 'Jonas Schmidt', 'Crypto Gains @cryptogains2026']);
    expect(entries.eq(0).find('.badge').text()).toContain('Skal genvurderes');
    expect(entries.find('.badge').length).toBe(1);
    expect($('main').text()).toContain('1 blokering skal genvurderes');
    // Facebook gives no handle when polled: the author is known by name, and the tag shows on her comments.
    const tina = await itemBy('Tina Holm');
    expect(cheerio.load((await sofie.get(`/admin/indbakke/${tina.id}`)).body)('.mh-facts').text()).toContain('Blokeret afsender');
  });

  it('a unit editor may neither block on nor lift a block on an account they do not edit, and does not see its blocks', async () => {
    const anne = await signedIn(DEMO.employee);
    const crypto = await itemBy('Crypto Gains');
    expect((await anne.get(`/admin/indbakke/${crypto.id}/bloker`)).statusCode).toBe(403);
    expect((await anne.post(`/admin/indbakke/${crypto.id}/bloker`, { reason: 'Spam', reviewOn: daysFromToday(30) })).statusCode).toBe(403);
    const list = await anne.get('/admin/indbakke/blokeringer');
    expect(list.statusCode).toBe(200);
    const $ = cheerio.load(list.body);
    expect($('li.mh-listing-item h2').map((_, el) => $(el).text().trim()).get()).toEqual(['Jonas Schmidt']);
    const block = await t.db.selectFrom('inbox_blocks').select('id').where('author_name', '=', 'Crypto Gains').executeTakeFirstOrThrow();
    expect((await anne.post(`/admin/indbakke/blokeringer/${block.id}/ophaev`)).statusCode).toBe(403);
    expect((await t.db.selectFrom('inbox_blocks').select('lifted_at').where('id', '=', block.id).executeTakeFirstOrThrow()).lifted_at).toBeNull();
  });

  it('the same block sent twice at once (a double click) makes one block; the second is told the author is already blocked', async () => {
    const item = await itemBy('Kim Larsen');
    const sofie = await actorFor(t.db, (await findPersonRowByEmail(t.db, DEMO.social))!, null);
    const input = { reason: 'Gentagne grove svar.', reviewOn: daysFromToday(30) };
    const results = await Promise.allSettled([blockAuthor(t.app.ctx.social, sofie, item.id, input), blockAuthor(t.app.ctx.social, sofie, item.id, input)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(ValidationError);
    expect((refused.reason as ValidationError).fields._form).toContain('Kim Larsen er allerede blokeret');
    expect(await t.db.selectFrom('inbox_blocks').select('id').where('author_name', '=', 'Kim Larsen').where('lifted_at', 'is', null).execute()).toHaveLength(1);
  });

  it('lifting a block removes the tag and is in the audit log', async () => {
    const sofie = await signedIn(DEMO.social);
    const block = await t.db.selectFrom('inbox_blocks').select('id').where('author_name', '=', 'Crypto Gains').executeTakeFirstOrThrow();
    await sofie.get('/admin/indbakke/blokeringer');
    const res = await sofie.post(`/admin/indbakke/blokeringer/${block.id}/ophaev`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/indbakke/blokeringer?ophaevet=1');
    const $ = cheerio.load((await sofie.get('/admin/indbakke/blokeringer?ophaevet=1')).body);
    expect($('[role="status"]').text()).toContain('Blokeringen er ophævet.');
    expect($('li.mh-listing-item').text()).not.toContain('Crypto Gains');
    const list = cheerio.load((await sofie.get('/admin/indbakke')).body);
    expect(listItem(list, 'Crypto Gains').find('.badge').text()).not.toContain('Blokeret afsender');
    expect((await t.db.selectFrom('audit_log').select('action').where('object_id', '=', block.id).orderBy('seq').execute()).map((a) => a.action)).toEqual(['inbox.blocked', 'inbox.block_lifted']);
  });
});

/** Points a demo account at a contract server, as connecting it would. */
async function connectDemo(t: TestApp, server: ContractServer, handle: string): Promise<ContractAccount> {
  const row = await t.db.selectFrom('social_accounts').select(['id']).where('network', '=', server.network).where('handle', '=', handle).executeTakeFirstOrThrow();
  const made = server.createAccount({ handle: handle.replace(/^@/, '').split('@')[0], name: 'Tønder Kommune' });
  await t.db
    .updateTable('social_accounts')
    .set({ api_base: made.apiBase, external_id: made.externalId, status: 'connected', token_sealed: sealTokens(t.app.ctx.social, row.id, { accessToken: made.accessToken, refreshToken: made.refreshToken }) })
    .where('id', '=', row.id)
    .execute();
  return made;
}

describe.each(dialects)('blocking the author on the network itself (%s)', (dialect) => {
  let t: TestApp;
  let mastodon: MastodonContractServer;
  let bluesky: BlueskyContractServer;
  let toot: ContractAccount;
  let sky: ContractAccount;

  const signedIn = async (email: string) => {
    const b = new Browser(t.app);
    await b.signIn(email);
    return b;
  };
  const itemBy = (author: string) => t.db.selectFrom('inbox_items').selectAll().where('author_name', '=', author).orderBy('received_at').executeTakeFirstOrThrow();
  const blockOf = (author: string) => t.db.selectFrom('inbox_blocks').selectAll().where('author_name', '=', author).orderBy('decided_at', 'desc').executeTakeFirstOrThrow();
  const auditOf = async (id: string) => (await t.db.selectFrom('audit_log').select('action').where('object_id', '=', id).orderBy('seq').execute()).map((a) => a.action);
  /** Opens the form (for its CSRF token) and blocks. */
  async function block(b: Browser, author: string) {
    const item = await itemBy(author);
    await b.get(`/admin/indbakke/${item.id}/bloker`);
    return b.post(`/admin/indbakke/${item.id}/bloker`, { reason: 'Gentagen chikane af medarbejdere (retningslinjerne: chikane og mobning).', reviewOn: daysFromToday(60) });
  }

  beforeAll(async () => {
    t = await createTestApp(dialect);
    [mastodon, bluesky] = await Promise.all([startMastodonContractServer(), startBlueskyContractServer()]);
    toot = await connectDemo(t, mastodon, '@toenderkommune@social.toender.dk');
    sky = await connectDemo(t, bluesky, '@toender.dk');
    // The demo's citizens as the networks know them.
    mastodon.addIncoming(toot.externalId, { postId: null, authorName: 'Ida Lauridsen', authorHandle: 'ida@social.example', text: 'Hvor er affaldskalenderen?' });
    mastodon.addIncoming(toot.externalId, { postId: null, authorName: 'Peter Christiansen', authorHandle: 'peterc@social.example', text: 'Gode nyheder.' });
    bluesky.addIncoming(sky.externalId, { postId: null, authorName: 'Louise Andersen', authorHandle: 'louiseandersen.bsky.social', text: 'Åbningstider?' });
  });
  afterAll(async () => {
    await mastodon?.close();
    await bluesky?.close();
    await t?.close();
  });

  it('blocking a Mastodon author blocks them on Mastodon too and the list says so; lifting the block unblocks them there', async () => {
    const sofie = await signedIn(DEMO.social);
    const ida = await itemBy('Ida Lauridsen');
    const form = cheerio.load((await sofie.get(`/admin/indbakke/${ida.id}/bloker`)).body);
    expect(form('.alert-info').text()).toContain('Blokeres også på Mastodon');

    const res = await block(sofie, 'Ida Lauridsen');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/indbakke/blokeringer?blokeret=1&paa=mastodon');
    expect(mastodon.blockedAuthors(toot.externalId)).toEqual(['@ida@social.example']);
    const row = await blockOf('Ida Lauridsen');
    expect(row.network_blocked_at).not.toBeNull();

    const $ = cheerio.load((await sofie.get(res.headers.location as string)).body);
    expect($('[role="status"]').text()).toContain('Afsenderen er blokeret i Mediehus og på Mastodon.');
    expect($(`#blokering-${row.id} dl`).text()).toContain('Blokeret på Mastodon');
    expect($(`#blokering-${row.id} button`).map((_, el) => $(el).text()).get().join('|')).not.toContain('Prøv igen');

    const lift = await sofie.post(`/admin/indbakke/blokeringer/${row.id}/ophaev`);
    expect(lift.headers.location).toBe('/admin/indbakke/blokeringer?ophaevet=1&paa=mastodon');
    expect(mastodon.blockedAuthors(toot.externalId)).toEqual([]);
    expect(cheerio.load((await sofie.get(lift.headers.location as string)).body)('[role="status"]').text()).toContain('Blokeringen er ophævet i Mediehus og på Mastodon.');
    expect(await auditOf(row.id)).toEqual(['inbox.blocked', 'inbox.blocked_on_network', 'inbox.block_lifted', 'inbox.unblocked_on_network']);
  });

  it('when Mastodon fails, the block stays recorded with a Danish message and “Ikke blokeret på netværket”, and “Prøv igen” blocks there', async () => {
    const sofie = await signedIn(DEMO.social);
    mastodon.injectFaults([{ kind: 'server_error' }], toot.externalId);
    const res = await block(sofie, 'Peter Christiansen');
    const row = await blockOf('Peter Christiansen');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/admin/indbakke/blokeringer?fejl=${row.id}#blokering-${row.id}`);
    expect(row).toMatchObject({ lifted_at: null, network_blocked_at: null });
    expect(mastodon.blockedAuthors(toot.externalId)).toEqual([]);

    const $ = cheerio.load((await sofie.get(`/admin/indbakke/blokeringer?fejl=${row.id}`)).body);
    expect($('[role="alert"]').text()).toContain('Afsenderen blev ikke blokeret på Mastodon, fordi netværket ikke svarede. Prøv igen om lidt. Blokeringen er registreret i Mediehus.');
    const entry = $(`#blokering-${row.id}`);
    expect(entry.find('dl').text()).toContain('Ikke blokeret på netværket');
    expect(entry.find('button').first().text()).toContain('Prøv igen');
    // The tag shows on the author's comments all the same.
    expect(cheerio.load((await sofie.get(`/admin/indbakke/${(await itemBy('Peter Christiansen')).id}`)).body)('.mh-facts').text()).toContain('Blokeret afsender');

    const again = await sofie.post(`/admin/indbakke/blokeringer/${row.id}/proev-igen`);
    expect(again.headers.location).toBe('/admin/indbakke/blokeringer?blokeret=1&paa=mastodon');
    expect(mastodon.blockedAuthors(toot.externalId)).toEqual(['@peterc@social.example']);
    const after = cheerio.load((await sofie.get(again.headers.location as string)).body);
    expect(after(`#blokering-${row.id} dl`).text()).toContain('Blokeret på Mastodon');
    expect(after(`#blokering-${row.id} dl`).text()).not.toContain('Ikke blokeret');
    expect(await auditOf(row.id)).toEqual(['inbox.blocked', 'inbox.network_block_failed', 'inbox.blocked_on_network']);
  });

  it('when Mastodon fails to unblock, the lift stays recorded, the list says it is not lifted there, and “Prøv igen” unblocks', async () => {
    const sofie = await signedIn(DEMO.social);
    const row = await blockOf('Peter Christiansen');
    await sofie.get('/admin/indbakke/blokeringer');
    mastodon.injectFaults([{ kind: 'server_error' }], toot.externalId);
    const lift = await sofie.post(`/admin/indbakke/blokeringer/${row.id}/ophaev`);
    expect(lift.headers.location).toBe(`/admin/indbakke/blokeringer?fejl=${row.id}#blokering-${row.id}`);
    expect((await blockOf('Peter Christiansen')).lifted_at).not.toBeNull();
    expect(mastodon.blockedAuthors(toot.externalId)).toEqual(['@peterc@social.example']);

    const $ = cheerio.load((await sofie.get(`/admin/indbakke/blokeringer?fejl=${row.id}`)).body);
    expect($('[role="alert"]').text()).toContain('Blokeringen blev ikke ophævet på Mastodon, fordi netværket ikke svarede. Prøv igen om lidt. Ophævelsen er registreret i Mediehus.');
    expect($('main h2').text()).toContain('Ophævet i Mediehus, men ikke på netværket');
    expect($(`#blokering-${row.id} dl`).text()).toContain('Ikke ophævet på Mastodon');
    expect($('ul[aria-label="Blokeringer"]').text()).not.toContain('Peter Christiansen');

    const again = await sofie.post(`/admin/indbakke/blokeringer/${row.id}/proev-igen`);
    expect(again.headers.location).toBe('/admin/indbakke/blokeringer?ophaevet=1&paa=mastodon');
    expect(mastodon.blockedAuthors(toot.externalId)).toEqual([]);
    expect(cheerio.load((await sofie.get(again.headers.location as string)).body)('main').text()).not.toContain('Ophævet i Mediehus, men ikke på netværket');
  });

  it('blocking a Bluesky author makes a block record on Bluesky; an author Bluesky no longer knows is blocked in Mediehus only, with the reason', async () => {
    const sofie = await signedIn(DEMO.social);
    const res = await block(sofie, 'Louise Andersen');
    expect(res.headers.location).toBe('/admin/indbakke/blokeringer?blokeret=1&paa=bluesky');
    expect(bluesky.blockedAuthors(sky.externalId)).toEqual(['@louiseandersen.bsky.social']);
    const louise = await blockOf('Louise Andersen');
    expect(cheerio.load((await sofie.get('/admin/indbakke/blokeringer')).body)(`#blokering-${louise.id} dl`).text()).toContain('Blokeret på Bluesky');

    const gone = await block(sofie, 'Henrik Pedersen');
    const henrik = await blockOf('Henrik Pedersen');
    expect(gone.headers.location).toBe(`/admin/indbakke/blokeringer?fejl=${henrik.id}#blokering-${henrik.id}`);
    const $ = cheerio.load((await sofie.get(`/admin/indbakke/blokeringer?fejl=${henrik.id}`)).body);
    expect($('[role="alert"]').text()).toContain('Afsenderen blev ikke blokeret på Bluesky: Bluesky kender ikke længere afsenderen.');
    expect($(`#blokering-${henrik.id} dl`).text()).toContain('Ikke blokeret på netværket');
  });

  it('on Facebook the block is recorded in Mediehus only, and the form and the list say to block on Facebook too', async () => {
    const sofie = await signedIn(DEMO.social);
    const tina = await itemBy('Tina Holm');
    const form = cheerio.load((await sofie.get(`/admin/indbakke/${tina.id}/bloker`)).body);
    expect(form('.alert-info').text()).toContain('Registreres kun i Mediehus – bloker også på Facebook');
    const res = await block(sofie, 'Tina Holm');
    expect(res.headers.location).toBe('/admin/indbakke/blokeringer?blokeret=1');
    const row = await blockOf('Tina Holm');
    expect(row).toMatchObject({ network_blocked_at: null, network_note: null });
    const $ = cheerio.load((await sofie.get(res.headers.location as string)).body);
    expect($('[role="status"]').text()).toContain('Afsenderen er blokeret i Mediehus.');
    expect($(`#blokering-${row.id} dl`).text()).toContain('Registreres kun i Mediehus – bloker også på Facebook');
    expect($(`#blokering-${row.id} button`).text()).not.toContain('Prøv igen');
    expect($('.font-lead').text()).toContain('Blokeres også på Mastodon og Bluesky');
    expect(await auditOf(row.id)).toEqual(['inbox.blocked']);
  });
});
