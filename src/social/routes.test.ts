import { randomUUID } from 'node:crypto';
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';
import { dateToLocalInput, showDateTime } from '../platform/time.ts';
import { GUIDELINES_PATH } from './guidelines.ts';
import { finalText } from './post-text.ts';
import { providerFor } from './providers/index.ts';
import type { ContractServer } from './testing/contract.ts';
import { startMastodonContractServer } from './testing/mastodon-server.ts';

const HOUR = 60 * 60_000;
const SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

describe.each(dialects)('the social media pages (%s)', (dialect) => {
  let t: TestApp;
  let mastodon: ContractServer;
  /** The demo's accounts by their key: fb and x of Kommunikationsafdelingen, dagplejen and kultur of the units. */
  const accounts: Record<string, string> = {};

  const signedIn = async (email: string) => {
    const b = new Browser(t.app);
    await b.signIn(email);
    return b;
  };
  const postsOf = (accountId: string) => t.db.selectFrom('social_posts').selectAll().where('account_id', '=', accountId).orderBy('created_at').execute();
  const later = (hours: number) => dateToLocalInput(new Date(Date.now() + hours * HOUR));

  beforeAll(async () => {
    t = await createTestApp(dialect, { MEDIEHUS_SECRET_KEY: SECRET_KEY });
    mastodon = await startMastodonContractServer();
    for (const row of await t.db.selectFrom('social_accounts').select(['id', 'handle', 'network']).execute()) {
      if (row.handle === 'toenderkommune') accounts.fb = row.id;
      if (row.network === 'x') accounts.x = row.id;
      if (row.handle === 'dagplejenitoender') accounts.dagplejen = row.id;
      if (row.handle === 'kulturogfritidtoender') accounts.kultur = row.id;
    }
    expect(Object.keys(accounts).sort()).toEqual(['dagplejen', 'fb', 'kultur', 'x']);
  });
  afterAll(async () => {
    await mastodon?.close();
    await t?.close();
  });

  it('an editor composes for two accounts and sees the posts planned on the post page, the overview and the calendar', async () => {
    const sofie = await signedIn(DEMO.social);
    const composer = await sofie.get('/admin/sociale-medier/opslag/nyt');
    expect(composer.statusCode).toBe(200);
    const $c = cheerio.load(composer.body);
    expect($c(`a[href="${GUIDELINES_PATH}"]`).text()).toBe('Retningslinjer for kommunens sociale medier');
    expect($c(`#f-text_${accounts.x}`).attr('data-max')).toBe('280');
    expect($c(`#f-text_${accounts.x}-count`).text()).toBe('0 af 280 tegn');

    const at = later(30);
    const res = await sofie.post('/admin/sociale-medier/opslag', {
      accountIds: [accounts.fb!, accounts.x!],
      [`text_${accounts.fb}`]: 'Vinterens snerydning begynder i nat. Se ruterne på hjemmesiden.',
      [`text_${accounts.x}`]: 'Snerydningen begynder i nat. Se ruterne:',
      link: 'https://www.toender.dk/nyheder/snerydning',
      when: 'later',
      scheduledAt: at,
      action: 'submit',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/admin\/sociale-medier\/opslag\/[0-9a-f-]+\?planlagt=1$/);

    const planned = [...(await postsOf(accounts.fb!)), ...(await postsOf(accounts.x!))].filter((p) => p.text.includes('nat'));
    expect(planned.map((p) => p.state)).toEqual(['scheduled', 'scheduled']);
    expect(new Set(planned.map((p) => p.batch_id)).size).toBe(1);
    expect(dateToLocalInput(planned[0]!.scheduled_at)).toBe(at);

    const page = cheerio.load((await sofie.get(String(res.headers.location))).body);
    expect(page('[role="status"]').text()).toContain('Opslaget er planlagt');
    expect(page('.font-lead .badge').first().text()).toBe('Planlagt');
    expect(page('#samme-opslag').length).toBe(1);
    // Each post's count is the network's: X counts the link at the end of the text as 23.
    const first = planned.find((p) => String(res.headers.location).includes(p.id))!;
    const network = first.account_id === accounts.x ? 'x' : 'facebook';
    const counted = providerFor(network).countText(finalText(network, first.text, first.link_url));
    expect(page('main').text()).toContain(`${counted} af ${network === 'x' ? 280 : 63206} tegn, som ${network === 'x' ? 'X' : 'Facebook'} tæller dem`);
    if (network === 'x') expect(counted).toBe('Snerydningen begynder i nat. Se ruterne:'.length + 2 + 23);

    const overview = cheerio.load((await sofie.get('/admin/sociale-medier')).body);
    const plannedRows = overview('#planlagt').nextAll('div').first().find('tbody tr');
    expect(plannedRows.text()).toContain('Snerydningen begynder i nat');
    expect(plannedRows.text()).toContain('Vinterens snerydning begynder i nat');

    const calendar = cheerio.load((await sofie.get(`/admin/sociale-medier/kalender?konto=${accounts.x}&uge=${isoWeek(planned[0]!.scheduled_at)}`)).body);
    expect(calendar('tbody').text()).toContain('Snerydningen begynder i nat');
    expect(calendar('tbody').text()).not.toContain('Vinterens snerydning');
  });

  it('a too-long X text is refused with the count in the message, and every typed value is kept', async () => {
    const sofie = await signedIn(DEMO.social);
    await sofie.get('/admin/sociale-medier/opslag/nyt');
    const before = (await postsOf(accounts.x!)).length;
    const long = 'Kulturnatten i Tønder byder på musik, teater og åbne døre i hele byen. '.repeat(5).trim();
    const res = await sofie.post('/admin/sociale-medier/opslag', {
      accountIds: [accounts.fb!, accounts.x!],
      [`text_${accounts.fb}`]: 'Kulturnatten er på fredag.',
      [`text_${accounts.x}`]: long,
      link: 'https://www.toender.dk/kulturnat',
      when: 'later',
      scheduledAt: later(48),
      action: 'submit',
    });
    expect(res.statusCode).toBe(422);
    const $ = cheerio.load(res.body);
    const message = $(`#f-text_${accounts.x}-error`).text();
    // 354 characters, then two line breaks and the link counted as 23.
    expect(long.length).toBe(354);
    expect(message).toContain('Teksten til X er 379 tegn med linket; højst 280. Forkort den med 99 tegn.');
    expect($('.alert-error a[href="#f-text_' + accounts.x + '"]').text()).toContain('379 tegn');
    expect($(`#f-text_${accounts.x}`).text()).toBe(long);
    expect($(`#f-text_${accounts.x}`).attr('aria-invalid')).toBe('true');
    expect($(`#f-text_${accounts.x}-count`).text()).toBe('379 af 280 tegn – 99 for mange');
    expect($(`#f-text_${accounts.fb}`).text()).toBe('Kulturnatten er på fredag.');
    expect($('#f-link').val()).toBe('https://www.toender.dk/kulturnat');
    expect($('#f-when-later').is('[checked]')).toBe(true);
    expect($('input[name="accountIds"][checked]').map((_, e) => $(e).val()).get().sort()).toEqual([accounts.fb, accounts.x].sort());
    expect(await postsOf(accounts.x!)).toHaveLength(before);
  });

  it("a unit's editor sees only the unit's own account and is refused another unit's account, posts and calendar", async () => {
    const peter = await signedIn(DEMO.manager);
    await peter.get('/admin/sociale-medier/opslag/nyt');
    const made = await peter.post('/admin/sociale-medier/opslag', { accountIds: accounts.kultur!, [`text_${accounts.kultur}`]: 'Svømmehallen åbner igen mandag.', when: 'later', scheduledAt: later(50), action: 'submit' });
    expect(made.statusCode).toBe(303);
    const [kulturPost] = await postsOf(accounts.kultur!);

    const anne = await signedIn(DEMO.employee);
    const overview = cheerio.load((await anne.get('/admin/sociale-medier')).body);
    expect(overview('#konti').nextAll('div').first().find('tbody th a').map((_, e) => overview(e).text()).get()).toEqual(['Dagplejen i Tønder Kommune']);
    expect(overview('main').text()).not.toContain('Kultur og Fritid i Tønder');

    expect((await anne.get(`/admin/sociale-medier/konti/${accounts.kultur}`)).statusCode).toBe(403);
    expect((await anne.get(`/admin/sociale-medier/opslag/${kulturPost!.id}`)).statusCode).toBe(403);
    expect((await anne.get(`/admin/sociale-medier/kalender?konto=${accounts.kultur}`)).statusCode).toBe(403);
    const composer = cheerio.load((await anne.get('/admin/sociale-medier/opslag/nyt')).body);
    expect(composer('input[name="accountIds"]').map((_, e) => composer(e).val()).get()).toEqual([accounts.dagplejen]);

    const res = await anne.post('/admin/sociale-medier/opslag', { accountIds: accounts.kultur!, [`text_${accounts.kultur}`]: 'Et opslag fra den forkerte enhed.', when: 'now', action: 'submit' });
    expect(res.statusCode).toBe(422);
    expect(cheerio.load(res.body)('#f-accountIds-error').text()).toContain('Vælg kun konti, du er redaktør for');
    expect((await anne.post(`/admin/sociale-medier/opslag/${kulturPost!.id}/annuller`)).statusCode).toBe(403);
    expect((await t.db.selectFrom('social_posts').select('state').where('id', '=', kulturPost!.id).executeTakeFirstOrThrow()).state).toBe(kulturPost!.state);

    // Peter edits Kultur og Fritid's page and sees it, but not Dagplejen's.
    expect((await peter.get(`/admin/sociale-medier/konti/${accounts.kultur}`)).statusCode).toBe(200);
    expect((await peter.get(`/admin/sociale-medier/konti/${accounts.dagplejen}`)).statusCode).toBe(403);
  });

  it('someone with no account to use is refused the whole area with whom to ask, and a reader is sent to sign in', async () => {
    const politician = await signedIn(DEMO.politician);
    for (const path of ['/admin/sociale-medier', '/admin/sociale-medier/opslag/nyt', '/admin/sociale-medier/kalender']) {
      const res = await politician.get(path);
      expect(res.statusCode, path).toBe(403);
      expect(res.body).toContain('Spørg Kommunikationsafdelingen');
    }
    const anonymous = await new Browser(t.app).get('/admin/sociale-medier/opslag/nyt');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Fadmin%2Fsociale-medier%2Fopslag%2Fnyt');
  });

  it('an author submits for approval, cannot approve it, and another social editor approves it', async () => {
    const anne = await signedIn(DEMO.employee);
    await anne.get('/admin/sociale-medier/opslag/nyt');
    const res = await anne.post('/admin/sociale-medier/opslag', {
      accountIds: accounts.dagplejen!,
      [`text_${accounts.dagplejen}`]: 'Dagplejen holder lukket den 23. december. Husk at melde pasningsbehov senest 1. december.',
      when: 'later',
      scheduledAt: later(72),
      action: 'submit',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/\?til-godkendelse=1$/);
    const postPage = String(res.headers.location).split('?')[0]!;
    const id = postPage.split('/').pop()!;

    const own = cheerio.load((await anne.get(postPage)).body);
    expect(own('.font-lead .badge').text()).toBe('Venter på godkendelse');
    expect(own('button:contains("Godkend")').length).toBe(0);
    expect((await anne.post(`${postPage}/godkend`)).statusCode).toBe(403);

    // Sofie, the social editor, approves others' posts; her own post to an approval account waits for someone else.
    const sofie = await signedIn(DEMO.social);
    const overview = cheerio.load((await sofie.get('/admin/sociale-medier')).body);
    expect(overview(`#venter ~ div a[href="${postPage}"]`).length).toBe(1);
    await sofie.get('/admin/sociale-medier/opslag/nyt');
    const hers = await sofie.post('/admin/sociale-medier/opslag', {
      accountIds: accounts.dagplejen!,
      [`text_${accounts.dagplejen}`]: 'Godt nytår fra Dagplejen.',
      when: 'later',
      scheduledAt: later(96),
      action: 'submit',
    });
    const herPage = String(hers.headers.location).split('?')[0]!;
    const herOwn = cheerio.load((await sofie.get(herPage)).body);
    expect(herOwn('main').text()).toContain('en anden redaktør skal godkende det');
    const refused = await sofie.post(`${herPage}/godkend`);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('En anden redaktør skal godkende dit opslag.');
    expect((await t.db.selectFrom('social_posts').select('state').where('id', '=', herPage.split('/').pop()!).executeTakeFirstOrThrow()).state).toBe('awaiting_approval');

    const page = cheerio.load((await sofie.get(postPage)).body);
    expect(page('button:contains("Godkend")').length).toBe(1);
    const approved = await sofie.post(`${postPage}/godkend`);
    expect(approved.statusCode).toBe(303);
    expect(approved.headers.location).toBe(`${postPage}?godkendt=1`);
    const row = await t.db.selectFrom('social_posts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.state).toBe('scheduled');
    const after = cheerio.load((await anne.get(postPage)).body);
    expect(after('.font-lead .badge').text()).toBe('Planlagt');
    expect(after('main').text()).toContain('Godkendt af');
    expect(after('main').text()).toContain('Sofie Nielsen');

    // Approving twice finds the post moved on, and says so at the top of the page.
    const again = await sofie.post(`${postPage}/godkend`);
    expect(again.statusCode).toBe(422);
    expect(cheerio.load(again.body)('.alert-error').text()).toContain('Opslaget venter ikke længere på godkendelse.');
  });

  it('a post sent back needs a reason, keeps what the approver typed, and returns to its author as a draft', async () => {
    const anne = await signedIn(DEMO.employee);
    await anne.get('/admin/sociale-medier/opslag/nyt');
    const res = await anne.post('/admin/sociale-medier/opslag', { accountIds: accounts.dagplejen!, [`text_${accounts.dagplejen}`]: 'Billeder fra juleklippedagen.', when: 'now', action: 'submit' });
    const postPage = String(res.headers.location).split('?')[0]!;

    const sofie = await signedIn(DEMO.social);
    await sofie.get(postPage);
    const empty = await sofie.post(`${postPage}/send-tilbage`, { reason: '   ' });
    expect(empty.statusCode).toBe(422);
    expect(cheerio.load(empty.body)('#f-reason-error').text()).toContain('Skriv, hvad der skal rettes');

    const reason = 'Børnenes ansigter må ikke vises uden samtykke fra forældrene.';
    const sent = await sofie.post(`${postPage}/send-tilbage`, { reason });
    expect(sent.statusCode).toBe(303);
    const mine = cheerio.load((await anne.get(postPage)).body);
    expect(mine('.font-lead .badge').text()).toBe('Kladde');
    expect(mine('.alert-warning').text()).toContain(reason);
    expect(mine('button:contains("Send til godkendelse")').length).toBe(1);
    const overview = cheerio.load((await anne.get('/admin/sociale-medier')).body);
    expect(overview(`#kladder ~ div a[href="${postPage}"]`).length).toBe(1);
  });

  it('a new account is added, connected with a pasted token, and the token is never shown back on any page', async () => {
    const made = mastodon.createAccount({ handle: 'redaktionen' });
    const sofie = await signedIn(DEMO.social);
    const form = cheerio.load((await sofie.get('/admin/sociale-medier/konti/ny')).body);
    const unitId = form('#f-unitId option').filter((_, e) => form(e).text().trim() === 'Kommunikationsafdelingen').val() as string;
    const groupId = form('#f-editorGroupId option').filter((_, e) => form(e).text() === 'Redaktørgruppen for sociale medier').val() as string;

    const refused = await sofie.post('/admin/sociale-medier/konti/ny', { network: 'mastodon', handle: 'ikke gyldig!', name: '', unitId, editorGroupId: groupId, apiBase: mastodon.url });
    expect(refused.statusCode).toBe(422);
    const $r = cheerio.load(refused.body);
    expect($r('#f-name-error').text()).toContain('Skriv navnet');
    expect($r('#f-handle').val()).toBe('ikke gyldig!');
    expect($r('#f-apiBase').val()).toBe(mastodon.url);

    const created = await sofie.post('/admin/sociale-medier/konti/ny', { network: 'mastodon', handle: made.handle, name: 'Redaktionen på Mastodon', unitId, editorGroupId: groupId, adviserGroupId: '', apiBase: mastodon.url });
    expect(created.statusCode).toBe(303);
    const accountPage = String(created.headers.location).split('?')[0]!;

    await sofie.get(accountPage);
    const wrong = 'ikke-den-rigtige-noegle-0123456789';
    const bad = await sofie.post(`${accountPage}/forbind`, { accessToken: wrong, refreshToken: '' });
    expect(bad.statusCode).toBe(422);
    expect(cheerio.load(bad.body)('#f-accessToken-error').text()).toContain('Netværket godkendte ikke adgangsnøglen');
    expect(bad.body).not.toContain(wrong);

    const refresh = 'fornyelse-som-ikke-maa-vises-9876543210';
    const ok = await sofie.post(`${accountPage}/forbind`, { accessToken: made.accessToken, refreshToken: refresh });
    expect(ok.statusCode).toBe(303);
    const row = await t.db.selectFrom('social_accounts').selectAll().where('id', '=', accountPage.split('/').pop()!).executeTakeFirstOrThrow();
    expect(row.status).toBe('connected');
    expect(row.token_sealed).not.toContain(made.accessToken);

    const page = await sofie.get(String(ok.headers.location));
    expect(cheerio.load(page.body)('#forbindelse + p').text()).toMatch(/^Forbundet d\. .+ af Sofie Nielsen\.$/);
    for (const path of [String(ok.headers.location), `${accountPage}/rediger`, '/admin/sociale-medier', '/admin/sociale-medier/kalender', `/admin/sociale-medier/kalender?konto=${row.id}`, `/admin/sociale-medier/opslag/nyt?konto=${row.id}`]) {
      const res = await sofie.get(path);
      expect(res.statusCode, path).toBe(200);
      expect(res.body, path).not.toContain(made.accessToken);
      expect(res.body, path).not.toContain(refresh);
    }

    const disconnected = await sofie.post(`${accountPage}/afbryd`);
    expect(disconnected.headers.location).toBe(`${accountPage}?afbrudt=1`);
    const after = await t.db.selectFrom('social_accounts').select(['status', 'token_sealed']).where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'not_connected', token_sealed: null });
  });

  it('the registry is kept by the social editors: a unit editor may connect their account but not change or add accounts', async () => {
    const anne = await signedIn(DEMO.employee);
    expect((await anne.get('/admin/sociale-medier/konti/ny')).statusCode).toBe(403);
    expect((await anne.get(`/admin/sociale-medier/konti/${accounts.dagplejen}/rediger`)).statusCode).toBe(403);
    const page = cheerio.load((await anne.get(`/admin/sociale-medier/konti/${accounts.dagplejen}`)).body);
    expect(page('form[action$="/forbind"]').length).toBe(1);
    expect(page('a[href$="/rediger"]').length).toBe(0);
    expect(page('form[action$="/deaktiver"]').length).toBe(0);
    expect((await anne.post(`/admin/sociale-medier/konti/${accounts.dagplejen}/deaktiver`)).statusCode).toBe(403);
    expect((await anne.post(`/admin/sociale-medier/konti/${accounts.dagplejen}/rediger`, { handle: 'kapret', name: 'Kapret' })).statusCode).toBe(403);
    expect((await t.db.selectFrom('social_accounts').select(['handle', 'active']).where('id', '=', accounts.dagplejen!).executeTakeFirstOrThrow())).toEqual({ handle: 'dagplejenitoender', active: 1 });

    // The account's profile text carries the guidelines' address.
    expect(page('#f-profile').text()).toContain(`${t.config.baseUrl}${GUIDELINES_PATH}`);
  });

  it('the composer takes the texts, link and image of a content item’s social placements', async () => {
    const item = await t.db
      .selectFrom('items as i')
      .innerJoin('live_placements as p', 'p.item_id', 'i.id')
      .select(['i.id', 'i.slug', 'i.title', 'i.latest_revision'])
      .where('p.channel', '=', 'website')
      .where('p.target', '=', 'nyheder')
      .orderBy('i.title')
      .executeTakeFirstOrThrow();
    const revision = await t.db.selectFrom('revisions').select('content').where('item_id', '=', item.id).where('number', '=', item.latest_revision).executeTakeFirstOrThrow();
    const content = JSON.parse(revision.content) as { placements: unknown[] };
    content.placements = [
      ...content.placements.filter((p) => (p as { channel: string }).channel !== 'social'),
      { channel: 'social', accountId: accounts.x, text: 'Læs nyheden på hjemmesiden.' },
      { channel: 'social', accountId: accounts.dagplejen, text: 'Dagplejens tekst.' },
    ];
    await t.db.updateTable('revisions').set({ content: JSON.stringify(content) }).where('item_id', '=', item.id).where('number', '=', item.latest_revision).execute();

    const sofie = await signedIn(DEMO.social);
    const $ = cheerio.load((await sofie.get(`/admin/sociale-medier/opslag/nyt?item=${item.id}`)).body);
    expect($('#f-link').val()).toBe(`${t.config.baseUrl}/nyheder/${item.slug}`);
    expect($('input[name="itemId"]').val()).toBe(item.id);
    expect($('input[name="accountIds"][checked]').map((_, e) => $(e).val()).get().sort()).toEqual([accounts.dagplejen, accounts.x].sort());
    expect($(`#f-text_${accounts.x}`).text()).toBe('Læs nyheden på hjemmesiden.');
    expect($('main').text()).toContain(item.title);

    // Anne may use only Dagplejen's account: she gets its text and nothing of the others.
    const anne = await signedIn(DEMO.employee);
    const hers = cheerio.load((await anne.get(`/admin/sociale-medier/opslag/nyt?item=${item.id}`)).body);
    expect(hers('input[name="accountIds"][checked]').map((_, e) => hers(e).val()).get()).toEqual([accounts.dagplejen]);
    expect(hers('main').text()).not.toContain('Læs nyheden på hjemmesiden.');
  });

  it("an editor changes a planned post's text and time, and sees both on the post page and in the calendar", async () => {
    const sofie = await signedIn(DEMO.social);
    await sofie.get('/admin/sociale-medier/opslag/nyt');
    const made = await sofie.post('/admin/sociale-medier/opslag', {
      accountIds: accounts.fb!,
      [`text_${accounts.fb}`]: 'Genbrugspladsen holder åbnt til kl. 18 på lørdag.',
      when: 'later',
      scheduledAt: later(30),
      action: 'submit',
    });
    const postPage = String(made.headers.location).split('?')[0]!;
    const id = postPage.split('/').pop()!;

    const page = cheerio.load((await sofie.get(postPage)).body);
    expect(page(`a[href="${postPage}/rediger"]`).text()).toBe('Redigér');
    const form = cheerio.load((await sofie.get(`${postPage}/rediger`)).body);
    expect(form('#f-text').text()).toBe('Genbrugspladsen holder åbnt til kl. 18 på lørdag.');
    expect(form('#f-text-count').text()).toBe('49 af 63206 tegn');
    expect(form('#f-when-later').is('[checked]')).toBe(true);

    const at = later(200);
    const saved = await sofie.post(`${postPage}/rediger`, { text: 'Genbrugspladsen holder åbent til kl. 18 på lørdag.', link: '', mediaId: '', imageAlt: '', when: 'later', scheduledAt: at });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${postPage}?rettet=1`);

    const row = await t.db.selectFrom('social_posts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.state).toBe('scheduled');
    expect(dateToLocalInput(row.scheduled_at)).toBe(at);
    // The sender looks at the post at its new time, and is woken then.
    expect(row.next_attempt_at).toBe(row.scheduled_at);
    const wakes = await t.db.selectFrom('jobs').select('run_at').where('name', '=', 'social.send').where('payload', 'like', `%${accounts.fb}%`).execute();
    expect(wakes.map((w) => new Date(w.run_at).toISOString())).toContain(row.scheduled_at);

    const after = cheerio.load((await sofie.get(String(saved.headers.location))).body);
    expect(after('[role="status"]').text()).toContain('Ændringerne er gemt.');
    expect(after('main').text()).toContain('Genbrugspladsen holder åbent til kl. 18 på lørdag.');
    expect(after('main').text()).not.toContain('holder åbnt');
    expect(after('.font-lead').text()).toContain(`Planlagt til ${showDateTime(row.scheduled_at)}`);

    const week = cheerio.load((await sofie.get(`/admin/sociale-medier/kalender?konto=${accounts.fb}&uge=${isoWeek(row.scheduled_at)}`)).body);
    expect(week('tbody').text()).toContain('Genbrugspladsen holder åbent');
    const oldWeek = cheerio.load((await sofie.get(`/admin/sociale-medier/kalender?konto=${accounts.fb}&uge=${isoWeek(new Date(Date.now() + 30 * HOUR).toISOString())}`)).body);
    expect(oldWeek('tbody').text()).not.toContain('Genbrugspladsen');

    // The audit says what changed, not what the text now says.
    const entry = await t.db.selectFrom('audit_log').select('details').where('action', '=', 'social_post.edited').where('object_id', '=', id).executeTakeFirstOrThrow();
    const details = JSON.parse(entry.details) as { changed: string[]; textLength: { from: number; to: number } };
    expect(details.changed).toEqual(['text', 'scheduledAt']);
    expect(details.textLength).toEqual({ from: 49, to: 50 });
    expect(entry.details).not.toContain('Genbrugspladsen');
  });

  it('editing the text of an approved post on an account that requires approval sends it back for approval; a new time alone does not', async () => {
    const anne = await signedIn(DEMO.employee);
    await anne.get('/admin/sociale-medier/opslag/nyt');
    const made = await anne.post('/admin/sociale-medier/opslag', {
      accountIds: accounts.dagplejen!,
      [`text_${accounts.dagplejen}`]: 'Dagplejen holder legestue i Bevtoft på torsdag.',
      when: 'later',
      scheduledAt: later(60),
      action: 'submit',
    });
    const postPage = String(made.headers.location).split('?')[0]!;
    const id = postPage.split('/').pop()!;
    const sofie = await signedIn(DEMO.social);
    await sofie.get(postPage);
    expect((await sofie.post(`${postPage}/godkend`)).statusCode).toBe(303);
    const stateOf = () => t.db.selectFrom('social_posts').select(['state', 'approved_by', 'next_attempt_at', 'text']).where('id', '=', id).executeTakeFirstOrThrow();
    expect((await stateOf()).state).toBe('scheduled');

    const form = cheerio.load((await anne.get(`${postPage}/rediger`)).body);
    expect(form('main').text()).toContain('skal opslaget godkendes igen');
    const moved = await anne.post(`${postPage}/rediger`, { text: 'Dagplejen holder legestue i Bevtoft på torsdag.', link: '', mediaId: '', imageAlt: '', when: 'later', scheduledAt: later(62) });
    expect(moved.headers.location).toBe(`${postPage}?rettet=1`);
    expect(await stateOf()).toMatchObject({ state: 'scheduled', approved_by: expect.any(String) });

    const edited = await anne.post(`${postPage}/rediger`, { text: 'Dagplejen holder legestue i Bevtoft Forsamlingshus på torsdag.', link: '', mediaId: '', imageAlt: '', when: 'later', scheduledAt: later(62) });
    expect(edited.statusCode).toBe(303);
    expect(edited.headers.location).toBe(`${postPage}?rettet-til-godkendelse=1`);
    expect(await stateOf()).toEqual({ state: 'awaiting_approval', approved_by: null, next_attempt_at: null, text: 'Dagplejen holder legestue i Bevtoft Forsamlingshus på torsdag.' });
    const mine = cheerio.load((await anne.get(String(edited.headers.location))).body);
    expect(mine('.font-lead .badge').text()).toBe('Venter på godkendelse');
    expect(mine('[role="status"]').text()).toContain('skal godkendes igen');
    expect(mine('main').text()).not.toContain('Godkendt af');

    const again = cheerio.load((await sofie.get(postPage)).body);
    expect(again('button:contains("Godkend")').length).toBe(1);
    expect(again('main').text()).toContain('Bevtoft Forsamlingshus');
  });

  it('a sent post cannot be edited, and says so in Danish', async () => {
    const sent = await t.db.selectFrom('social_posts').selectAll().where('account_id', '=', accounts.fb!).where('state', '=', 'sent').executeTakeFirstOrThrow();
    const postPage = `/admin/sociale-medier/opslag/${sent.id}`;
    const sofie = await signedIn(DEMO.social);
    const page = cheerio.load((await sofie.get(postPage)).body);
    expect(page('a[href$="/rediger"]').length).toBe(0);

    const shown = await sofie.get(`${postPage}/rediger`);
    expect(shown.statusCode).toBe(409);
    expect(cheerio.load(shown.body)('.alert-error').text()).toContain('Opslaget er allerede sendt og kan ikke rettes her.');

    const refused = await sofie.post(`${postPage}/rediger`, { text: 'En rettelse, der kommer for sent.', link: '', mediaId: '', imageAlt: '', when: 'now', scheduledAt: '' });
    expect(refused.statusCode).toBe(422);
    expect(cheerio.load(refused.body)('.alert-error').text()).toContain('Opslaget er allerede sendt og kan ikke rettes her.');
    expect((await t.db.selectFrom('social_posts').select('text').where('id', '=', sent.id).executeTakeFirstOrThrow()).text).toBe(sent.text);
  });

  it('a too-long text is refused with the count in the message, and what was typed is kept', async () => {
    const sofie = await signedIn(DEMO.social);
    await sofie.get('/admin/sociale-medier/opslag/nyt');
    const made = await sofie.post('/admin/sociale-medier/opslag', { accountIds: accounts.x!, [`text_${accounts.x}`]: 'Byrådsmødet i aften kan ses direkte.', when: 'later', scheduledAt: later(20), action: 'submit' });
    const postPage = String(made.headers.location).split('?')[0]!;
    await sofie.get(`${postPage}/rediger`);
    const long = 'Byrådsmødet i aften kan ses direkte på kommunens hjemmeside, og dagsordenen ligger klar. '.repeat(4).trim();
    const at = later(21);
    const res = await sofie.post(`${postPage}/rediger`, { text: long, link: 'https://www.toender.dk/byraad', mediaId: '', imageAlt: '', when: 'later', scheduledAt: at });
    expect(res.statusCode).toBe(422);
    const $ = cheerio.load(res.body);
    const length = [...long].length + 2 + 23;
    expect($('#f-text-error').text()).toContain(`Teksten til X er ${length} tegn med linket; højst 280. Forkort den med ${length - 280} tegn.`);
    expect($('.alert-error a[href="#f-text"]').length).toBe(1);
    expect($('#f-text').text()).toBe(long);
    expect($('#f-text').attr('aria-invalid')).toBe('true');
    expect($('#f-text-count').text()).toBe(`${length} af 280 tegn – ${length - 280} for mange`);
    expect($('#f-link').val()).toBe('https://www.toender.dk/byraad');
    expect($('#f-scheduledAt').val()).toBe(at);
    const row = await t.db.selectFrom('social_posts').select(['text', 'link_url']).where('id', '=', postPage.split('/').pop()!).executeTakeFirstOrThrow();
    expect(row).toEqual({ text: 'Byrådsmødet i aften kan ses direkte.', link_url: null });
  });

  it('after an attempt that may have got through, the text can no longer be changed but the time can', async () => {
    const sofie = await signedIn(DEMO.social);
    await sofie.get('/admin/sociale-medier/opslag/nyt');
    const made = await sofie.post('/admin/sociale-medier/opslag', { accountIds: accounts.x!, [`text_${accounts.x}`]: 'Vejarbejde på Vestergade fra mandag.', when: 'later', scheduledAt: later(5), action: 'submit' });
    const postPage = String(made.headers.location).split('?')[0]!;
    const id = postPage.split('/').pop()!;
    // As the sender leaves it after a timeout: the network may have accepted the post.
    await t.db.insertInto('social_post_attempts').values({ id: randomUUID(), post_id: id, number: 1, started_at: new Date().toISOString(), finished_at: new Date().toISOString(), outcome: 'unknown', detail: 'timeout' }).execute();
    await t.db.updateTable('social_posts').set({ attempts: 1 }).where('id', '=', id).execute();

    await sofie.get(`${postPage}/rediger`);
    const refused = await sofie.post(`${postPage}/rediger`, { text: 'Vejarbejde på Vestergade fra tirsdag.', link: '', mediaId: '', imageAlt: '', when: 'later', scheduledAt: later(5) });
    expect(refused.statusCode).toBe(422);
    expect(cheerio.load(refused.body)('.alert-error').text()).toContain('kan være nået frem til X');
    const at = later(7);
    const moved = await sofie.post(`${postPage}/rediger`, { text: 'Vejarbejde på Vestergade fra mandag.', link: '', mediaId: '', imageAlt: '', when: 'later', scheduledAt: at });
    expect(moved.statusCode).toBe(303);
    const row = await t.db.selectFrom('social_posts').select(['text', 'scheduled_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.text).toBe('Vejarbejde på Vestergade fra mandag.');
    expect(dateToLocalInput(row.scheduled_at)).toBe(at);
  });
});

function isoWeek(iso: string): string {
  const local = dateToLocalInput(iso).slice(0, 10);
  const d = new Date(`${local}T00:00:00Z`);
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3);
  const firstThursday = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  firstThursday.setUTCDate(firstThursday.getUTCDate() - ((firstThursday.getUTCDay() + 6) % 7) + 3);
  const week = 1 + Math.round((d.getTime() - firstThursday.getTime()) / (7 * 24 * 60 * 60_000));
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
