import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';
import type { ContractAccount } from '../social/testing/contract.ts';
import { type MastodonContractServer, startMastodonContractServer } from '../social/testing/mastodon-server.ts';
import { sealTokens } from '../social/tokens.ts';
import { ingestItems } from './ingest.ts';

describe.each(dialects)('the inbox pages (%s)', (dialect) => {
  let t: TestApp;
  let mastodon: MastodonContractServer;
  let made: ContractAccount;
  const accounts: Record<string, string> = {};

  const signedIn = async (email: string) => {
    const b = new Browser(t.app);
    await b.signIn(email);
    return b;
  };
  const itemBy = (author: string) => t.db.selectFrom('inbox_items').selectAll().where('author_name', '=', author).executeTakeFirstOrThrow();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    mastodon = await startMastodonContractServer();
    for (const row of await t.db.selectFrom('social_accounts').select(['id', 'handle', 'network']).execute()) {
      if (row.handle === 'toenderkommune') accounts.fb = row.id;
      if (row.network === 'mastodon') accounts.mastodon = row.id;
      if (row.handle === 'dagplejenitoender') accounts.dagplejen = row.id;
    }
    // The demo's Mastodon account, connected to the contract server instead of the demo network.
    made = mastodon.createAccount({ handle: 'toenderkommune' });
    await t.db
      .updateTable('social_accounts')
      .set({ api_base: made.apiBase, external_id: made.externalId, status: 'connected', token_sealed: sealTokens(t.app.ctx.social, accounts.mastodon!, { accessToken: made.accessToken, refreshToken: made.refreshToken }) })
      .where('id', '=', accounts.mastodon!)
      .execute();
  });
  afterAll(async () => {
    await mastodon?.close();
    await t?.close();
  });

  it('the list shows every account’s items newest first, with author, categories and the answer deadline, and CPR numbers masked', async () => {
    const sofie = await signedIn(DEMO.social);
    const res = await sofie.get('/admin/indbakke');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('120345-1234');
    const $ = cheerio.load(res.body);
    const poul = $('li.mh-listing-item').filter((_, el) => $(el).find('h3').text().includes('Poul Sørensen'));
    expect(poul.text()).toContain('120345-****');
    expect(poul.find('.badge').map((_, el) => $(el).text()).get()).toEqual(expect.arrayContaining(['Spørgsmål', 'Personlig sag']));
    expect(poul.find('.badge').text()).toMatch(/Svarfrist|Overskredet/);
    const authors = $('li.mh-listing-item h3 a').map((_, el) => $(el).text()).get();
    expect(authors[0]).toBe('Crypto Gains');
    expect(authors.at(-1)).toBe('Ida Lauridsen');
    const overview = cheerio.load((await sofie.get('/admin/sociale-medier')).body);
    expect(overview('main a[href="/admin/indbakke"]').text()).toBe('Indbakke');
  });

  it('filters by category, account, overdue and state show only the matching items', async () => {
    const sofie = await signedIn(DEMO.social);
    const authorsOf = async (url: string) => cheerio.load((await sofie.get(url)).body)('li.mh-listing-item h3 a').map((_, el) => cheerio.load(el).text()).get();
    expect((await authorsOf('/admin/indbakke?kategori=spam')).sort()).toEqual(['Billige Solbriller', 'Crypto Gains']);
    const dagplejen = await authorsOf(`/admin/indbakke?konto=${accounts.dagplejen}`);
    expect(dagplejen.sort()).toEqual(['Camilla Brandt', 'Jonas Schmidt', 'Line Mortensen', 'Thomas Kjær']);
    const overdue = await authorsOf('/admin/indbakke?forsinket=1');
    expect(overdue).toContain('Camilla Brandt');
    expect(overdue).not.toContain('Jens Møller');
    expect(await authorsOf('/admin/indbakke?status=faerdige')).toEqual([]);
  });

  it('a unit editor sees only their own account’s items and is refused another account’s item', async () => {
    const anne = await signedIn(DEMO.employee);
    const res = await anne.get('/admin/indbakke');
    expect(res.statusCode).toBe(200);
    const authors = cheerio.load(res.body)('li.mh-listing-item h3 a').map((_, el) => cheerio.load(el).text()).get();
    expect(authors.sort()).toEqual(['Camilla Brandt', 'Jonas Schmidt', 'Line Mortensen', 'Thomas Kjær']);
    const other = await itemBy('Tina Holm');
    expect((await anne.get(`/admin/indbakke/${other.id}`)).statusCode).toBe(403);
    expect((await anne.post(`/admin/indbakke/${other.id}/afslut`)).statusCode).toBe(403);
  });

  it('someone with no social media account is told whom to ask', async () => {
    const res = await (await signedIn(DEMO.school)).get('/admin/indbakke');
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Kommunikationsafdelingen');
  });

  it('the item page shows the item in its thread under our post, the classification’s reasons and the moderation links', async () => {
    const sofie = await signedIn(DEMO.social);
    const poul = await itemBy('Poul Sørensen');
    const res = await sofie.get(`/admin/indbakke/${poul.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('120345-1234');
    const $ = cheerio.load(res.body);
    const post = await t.db.selectFrom('social_posts').select('text').where('id', '=', poul.social_post_id!).executeTakeFirstOrThrow();
    expect($('#traad').nextAll('.mh-step').first().text()).toContain(post.text);
    const thread = $('ol[aria-labelledby="traad"] li').map((_, el) => $(el).text()).get().join('\n');
    expect(thread).toContain('Jens Møller');
    expect(thread).toContain('Tina Holm');
    expect($('li[aria-current="true"]').text()).toContain('120345-****');
    const reasons = $('ul[aria-labelledby="begrundelse"]').text();
    expect(reasons).toContain('Personlig sag');
    expect(reasons).toContain('"hjemmehjælp"');
    expect(reasons).toContain('"Hendes CPR"');
    expect(reasons).toContain('"120345-****"');
    for (const path of ['fjern', 'eskaler', 'bloker']) expect($(`a[href="/admin/indbakke/${poul.id}/${path}"]`).length).toBe(1);
  });

  it('an editor takes an item, marks it done and opens it again, and the list filters follow', async () => {
    const sofie = await signedIn(DEMO.social);
    const karin = await itemBy('Karin Lund');
    await sofie.get(`/admin/indbakke/${karin.id}`);
    const assigned = await sofie.post(`/admin/indbakke/${karin.id}/tildel`, { assignedTo: 'mig' });
    expect(assigned.statusCode).toBe(303);
    const mine = cheerio.load((await sofie.get('/admin/indbakke?mine=1')).body)('li.mh-listing-item h3 a').map((_, el) => cheerio.load(el).text()).get();
    expect(mine).toEqual(['Karin Lund']);

    await sofie.get(`/admin/indbakke/${karin.id}`);
    expect((await sofie.post(`/admin/indbakke/${karin.id}/afslut`)).headers.location).toBe(`/admin/indbakke/${karin.id}?afsluttet=1`);
    const done = cheerio.load((await sofie.get('/admin/indbakke?status=faerdige&kategori=question')).body)('li.mh-listing-item h3 a').map((_, el) => cheerio.load(el).text()).get();
    expect(done).toEqual(['Karin Lund']);
    expect(await t.db.selectFrom('inbox_item_categories').select('state').where('item_id', '=', karin.id).execute()).toEqual([{ state: 'done' }]);

    await sofie.get(`/admin/indbakke/${karin.id}`);
    await sofie.post(`/admin/indbakke/${karin.id}/genaabn`);
    expect((await itemBy('Karin Lund')).state).toBe('open');
    expect(await t.db.selectFrom('inbox_item_categories').select('state').where('item_id', '=', karin.id).execute()).toEqual([{ state: 'open' }]);
  });

  it('an item cannot be given to someone outside the account’s editor group', async () => {
    const anne = await signedIn(DEMO.employee);
    const camilla = await itemBy('Camilla Brandt');
    const outsider = await t.db.selectFrom('people').select('id').where('email', '=', DEMO.school).executeTakeFirstOrThrow();
    await anne.get(`/admin/indbakke/${camilla.id}`);
    const res = await anne.post(`/admin/indbakke/${camilla.id}/tildel`, { assignedTo: outsider.id });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Vælg dig selv eller en i kontoens redaktørgruppe');
  });

  it('choosing a saved reply fills the reply text without JavaScript', async () => {
    const sofie = await signedIn(DEMO.social);
    const poul = await itemBy('Poul Sørensen');
    const $page = cheerio.load((await sofie.get(`/admin/indbakke/${poul.id}`)).body);
    const option = $page('#f-savedReplyId option').filter((_, el) => $page(el).text() === 'Personlige sager: skriv sikkert');
    const res = await sofie.post(`/admin/indbakke/${poul.id}/svar`, { savedReplyId: option.attr('value')!, text: '', fill: '1' });
    expect(res.statusCode).toBe(200);
    const $ = cheerio.load(res.body);
    expect($('#f-text').text()).toContain('Vi kan ikke behandle sager her');
    expect($('#f-savedReplyId').val()).toBe(option.attr('value'));
  });

  it('a reply goes to the network as an answer to the item, stops the question’s clock and can mark it done', async () => {
    const citizenId = mastodon.addIncoming(made.externalId, { postId: null, authorName: 'Ida Lauridsen', authorHandle: 'ida@social.example', text: 'Hvornår er der storskrald i Tønder? Mit CPR er 010203-4321.' });
    const added = await ingestItems(t.db, { id: accounts.mastodon!, business_hours: null }, [
      { externalId: citizenId, parentExternalId: null, rootExternalId: null, authorName: 'Ida Lauridsen', authorHandle: '@ida@social.example', text: 'Hvornår er der storskrald i Tønder? Mit CPR er 010203-4321.', createdAt: new Date(), url: null, hidden: false },
    ]);
    const id = added.ids[0]!;
    const sofie = await signedIn(DEMO.social);
    const page = await sofie.get(`/admin/indbakke/${id}`);
    expect(page.body).not.toContain('010203-4321');
    const res = await sofie.post(`/admin/indbakke/${id}/svar`, { text: 'Storskrald hentes første mandag i måneden. Se toender.dk/affald.', savedReplyId: '', done: '1' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/admin/indbakke/${id}?besvaret-afsluttet=1`);
    const sent = mastodon.createdPosts(made.externalId).filter((p) => p.inReplyTo === citizenId);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain('Storskrald hentes første mandag i måneden. Se toender.dk/affald.');
    const row = await t.db.selectFrom('inbox_items').select(['answered_at', 'state']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.answered_at).not.toBeNull();
    expect(row.state).toBe('done');
    const after = cheerio.load((await sofie.get(`/admin/indbakke/${id}?besvaret-afsluttet=1`)).body);
    expect(after('[role="status"]').text()).toContain('Svaret er sendt, og henvendelsen er markeret som færdig.');
    expect(after('ol[aria-labelledby="traad"]').text()).toContain('Vores svar');
    const entry = await t.db.selectFrom('audit_log').select('action').where('object_id', '=', id).execute();
    expect(entry.map((e) => e.action)).toContain('inbox.replied');
  });

  it('a reply on an account that is not connected is refused in Danish and the text is kept', async () => {
    const anne = await signedIn(DEMO.employee);
    const camilla = await itemBy('Camilla Brandt');
    await anne.get(`/admin/indbakke/${camilla.id}`);
    const res = await anne.post(`/admin/indbakke/${camilla.id}/svar`, { text: 'Du skriver dig op på pladsanvisningen.' });
    expect(res.statusCode).toBe(422);
    const $ = cheerio.load(res.body);
    expect($('#f-text-error').text()).toMatch(/forbundet|netværket/);
    expect($('#f-text').text()).toBe('Du skriver dig op på pladsanvisningen.');
    expect((await itemBy('Camilla Brandt')).answered_at).toBeNull();
  });

  it('the social media editors keep the saved replies; a unit editor may use them but not change them', async () => {
    const sofie = await signedIn(DEMO.social);
    await sofie.get('/admin/indbakke/svar');
    const refused = await sofie.post('/admin/indbakke/svar', { title: '', text: '' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Skriv en titel');
    const created = await sofie.post('/admin/indbakke/svar', { title: 'Genbrugspladsen', text: 'Genbrugspladsen har åbent alle dage kl. 10–17.', category: 'question', active: '1' });
    expect(created.headers.location).toBe('/admin/indbakke/svar?oprettet=1');
    const row = await t.db.selectFrom('saved_replies').selectAll().where('title', '=', 'Genbrugspladsen').executeTakeFirstOrThrow();
    await sofie.get('/admin/indbakke/svar');
    await sofie.post(`/admin/indbakke/svar/${row.id}`, { title: 'Genbrugspladsen', text: 'Åbent alle dage kl. 9–18.', category: 'question', active: '1' });
    expect((await t.db.selectFrom('saved_replies').select('text').where('id', '=', row.id).executeTakeFirstOrThrow()).text).toBe('Åbent alle dage kl. 9–18.');

    const anne = await signedIn(DEMO.employee);
    const page = await anne.get('/admin/indbakke/svar');
    expect(page.statusCode).toBe(200);
    expect(cheerio.load(page.body)('form[action="/admin/indbakke/svar"]').length).toBe(0);
    expect((await anne.post(`/admin/indbakke/svar/${row.id}/slet`)).statusCode).toBe(403);

    await sofie.get('/admin/indbakke/svar');
    expect((await sofie.post(`/admin/indbakke/svar/${row.id}/slet`)).headers.location).toBe('/admin/indbakke/svar?slettet=1');
    expect(await t.db.selectFrom('saved_replies').select('id').where('id', '=', row.id).executeTakeFirst()).toBeUndefined();
  });
});
