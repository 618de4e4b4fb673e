import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';
import type { SocialProvider } from '../social/providers/types.ts';
import { type FacebookContractServer, startFacebookContractServer } from '../social/testing/facebook-server.ts';
import { deleteExpiredRemovalRecords } from './jobs.ts';
import { type ConnectedPage, connectDemoFacebook } from './removal-test-support.ts';

const CPR = '010203-4321';
const KEEP_DAYS = 30;
const DAY = 86_400_000;

describe.each(dialects)('hiding and deleting comments with removal records (%s)', (dialect) => {
  let t: TestApp;
  let fb: FacebookContractServer;
  let page: ConnectedPage;

  const signedIn = async (email: string) => {
    const b = new Browser(t.app);
    await b.signIn(email);
    return b;
  };
  const recordsOf = (itemId: string) => t.db.selectFrom('removal_records').selectAll().where('item_id', '=', itemId).orderBy('decided_at').execute();
  const itemRow = (id: string) => t.db.selectFrom('inbox_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const externalIdOf = async (id: string) => (await itemRow(id)).external_id;

  /** Opens the form (for its CSRF token) and sends it. */
  async function remove(b: Browser, id: string, form: Record<string, string>) {
    await b.get(`/admin/indbakke/${id}/fjern`);
    return b.post(`/admin/indbakke/${id}/fjern`, form);
  }

  beforeAll(async () => {
    t = await createTestApp(dialect, { MEDIEHUS_REMOVAL_KEEP_DAYS: String(KEEP_DAYS) });
    fb = await startFacebookContractServer();
    page = await connectDemoFacebook(t, fb);
  });
  afterAll(async () => {
    await fb?.close();
    await t?.close();
  });

  it('hiding a comment writes the record first: when Facebook does not answer, the record stays, not carried out, the comment is not hidden, and the editor is told in Danish and can try again', async () => {
    const id = await page.comment('Rune Dahl', 'I er nogle fucking idioter på rådhuset.');
    const sofie = await signedIn(DEMO.social);
    await page.unreachable(true);
    const res = await remove(sofie, id, { action: 'hide', guideline: 'kraenkende', reason: 'Grove skældsord mod medarbejderne.' });
    await page.unreachable(false);
    expect(res.statusCode).toBe(422);
    const $ = cheerio.load(res.body);
    expect($('[role="alert"]').text()).toContain('Kommentaren blev ikke skjult, fordi netværket ikke svarede. Prøv igen om lidt. Notatet er gemt.');
    expect($('dl.mh-facts').text()).toContain('Ikke gennemført på netværket');

    const [record] = await recordsOf(id);
    expect(record).toMatchObject({ action: 'hide', item_text: 'I er nogle fucking idioter på rådhuset.', author_name: 'Rune Dahl', reason: 'Grove skældsord mod medarbejderne.', carried_out_at: null });
    expect(record!.guideline).toContain('Krænkende, anstødeligt eller uhøvisk indhold');
    expect((await itemRow(id)).hidden).toBe(0);
    expect(fb.hiddenIds().has(await externalIdOf(id))).toBe(false);
    const actions = (await t.db.selectFrom('audit_log').select('action').where('object_id', '=', record!.id).orderBy('seq').execute()).map((a) => a.action);
    expect(actions).toEqual(['removal_record.created', 'removal_record.failed']);
    // Nothing was removed yet, so there is nothing to tell the citizen.
    expect($('a:contains("Side til borgeren")').length).toBe(0);
    expect((await sofie.get(`/admin/indbakke/fjernet/${record!.id}/borger`)).statusCode).toBe(404);

    // The form points to the decision not carried out; the record offers to try again, and that works.
    const form = cheerio.load((await sofie.get(`/admin/indbakke/${id}/fjern`)).body);
    expect(form(`main p a[href="/admin/indbakke/fjernet/${record!.id}"]`).text()).toBe('Åbn notatet, og prøv igen');
    const again = await sofie.post(`/admin/indbakke/fjernet/${record!.id}/proev-igen`);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(`/admin/indbakke/fjernet/${record!.id}?gennemfoert=1`);
    expect(fb.hiddenIds().has(await externalIdOf(id))).toBe(true);
    expect((await itemRow(id)).hidden).toBe(1);
    expect((await recordsOf(id))[0]!.carried_out_at).not.toBeNull();
    expect((await sofie.get(`/admin/indbakke/fjernet/${record!.id}/borger`)).statusCode).toBe(200);
  });

  it('a new decision replaces one the network did not carry out, and the old record stays, marked as replaced', async () => {
    const id = await page.comment('Kaj Due', 'Køb kryptovaluta nu, 500 % afkast! bit.ly/rig-hurtigt');
    const sofie = await signedIn(DEMO.social);
    await page.unreachable(true);
    expect((await remove(sofie, id, { action: 'hide', guideline: 'spam', reason: 'Reklame.' })).statusCode).toBe(422);
    await page.unreachable(false);
    const res = await remove(sofie, id, { action: 'delete', guideline: 'spam', reason: 'Reklame med svindellink; skal væk helt.' });
    expect(res.statusCode).toBe(303);
    const [first, second] = await recordsOf(id);
    expect(first).toMatchObject({ action: 'hide', carried_out_at: null });
    expect(first!.undone_at).not.toBeNull();
    expect(second).toMatchObject({ action: 'delete', undone_at: null });
    expect(second!.carried_out_at).not.toBeNull();
    expect(fb.deletedIds().has(await externalIdOf(id))).toBe(true);
    const old = cheerio.load((await sofie.get(`/admin/indbakke/fjernet/${first!.id}`)).body);
    expect(old('dl.mh-facts').text()).toContain('Ikke gennemført; erstattet af en ny beslutning');
    expect(old('button').filter((_, el) => old(el).text().startsWith('Prøv igen')).length).toBe(0);
  });

  it('the record is in the database, in full, at the moment the network is asked to hide the comment', async () => {
    const id = await page.comment('Lise Friis', 'Køb billige solbriller på www.solbriller-tilbud.example!!!');
    const social = t.app.ctx.social;
    const original = social.provider;
    const seen: unknown[] = [];
    social.provider = (network) => {
      const real = original(network);
      return {
        ...real,
        setHidden: async (...args: Parameters<SocialProvider['setHidden']>) => {
          seen.push(await t.db.selectFrom('removal_records').select(['item_text', 'guideline', 'reason', 'carried_out_at']).where('item_id', '=', id).executeTakeFirst());
          return real.setHidden(...args);
        },
      } satisfies SocialProvider;
    };
    try {
      const res = await remove(await signedIn(DEMO.social), id, { action: 'hide', guideline: 'spam', reason: 'Reklame.' });
      expect(res.statusCode).toBe(303);
    } finally {
      social.provider = original;
    }
    expect(seen).toEqual([{ item_text: 'Køb billige solbriller på www.solbriller-tilbud.example!!!', guideline: expect.stringContaining('Reklame og spam'), reason: 'Reklame.', carried_out_at: null }]);
  });

  it('a hidden comment is marked on the item page, which links to its record, and in the list, and "Vis igen" shows it again and notes who did it', async () => {
    const id = await page.comment('Ove Lund', 'Den sagsbehandler er en idiot.');
    const sofie = await signedIn(DEMO.social);
    const res = await remove(sofie, id, { action: 'hide', guideline: 'chikane', reason: 'Nedsættende om en medarbejder.' });
    expect(res.statusCode).toBe(303);
    const recordPage = cheerio.load((await sofie.get(res.headers.location as string)).body);
    expect(recordPage('[role="status"]').text()).toContain('Kommentaren er fjernet på netværket, og notatet er gemt.');
    expect(recordPage('dl.mh-facts').text()).toContain('Skjult på netværket');

    const item = cheerio.load((await sofie.get(`/admin/indbakke/${id}`)).body);
    expect(item('dl.mh-facts').text()).toContain('skjult på Facebook');
    const recordLink = item('#moderation a[href^="/admin/indbakke/fjernet/"]');
    expect(recordLink.text()).toContain('Skjulning besluttet');
    expect(recordLink.parent().text()).toContain('(gennemført)');
    const listed = cheerio.load((await sofie.get('/admin/indbakke')).body)(`#item-${id}`).text();
    expect(listed).toContain('Skjult.');

    await sofie.get(`/admin/indbakke/${id}/fjern`);
    const shown = await sofie.post(`/admin/indbakke/${id}/vis-igen`);
    expect(shown.statusCode).toBe(303);
    expect(fb.hiddenIds().has(await externalIdOf(id))).toBe(false);
    expect((await itemRow(id)).hidden).toBe(0);
    const [record] = await recordsOf(id);
    const sofieId = (await t.db.selectFrom('people').select('id').where('email', '=', DEMO.social).executeTakeFirstOrThrow()).id;
    expect(record!.undone_by).toBe(sofieId);
    expect(record!.undone_at).not.toBeNull();
    const after = cheerio.load((await sofie.get(shown.headers.location as string)).body);
    expect(after('[role="status"]').text()).toContain('Kommentaren er vist igen');
    expect(after('dl.mh-facts').text()).toContain('Vist igen');
  });

  it('a deleted comment is gone from the network and cannot be shown again', async () => {
    const id = await page.comment('Henrik Holm', `Min nabo har CPR ${CPR} og skylder penge.`);
    const sofie = await signedIn(DEMO.social);
    const res = await remove(sofie, id, { action: 'delete', guideline: 'personsager', reason: 'Andres personnummer.' });
    expect(res.statusCode).toBe(303);
    expect(fb.deletedIds().has(await externalIdOf(id))).toBe(true);
    expect((await itemRow(id)).deleted).toBe(1);
    const form = cheerio.load((await sofie.get(`/admin/indbakke/${id}/fjern`)).body);
    expect(form('main').text()).toContain('slettet på Facebook og kan ikke vises igen');
    expect(form('button').filter((_, el) => form(el).text() === 'Vis igen').length).toBe(0);
    const refused = await sofie.post(`/admin/indbakke/${id}/vis-igen`);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('kan ikke vises igen');
  });

  it('the form asks one question per page, names the field in Danish when an answer is missing, and keeps every answer, also going back', async () => {
    const id = await page.comment('Per Bo', 'Fuck jer allesammen.');
    const sofie = await signedIn(DEMO.social);
    const first = cheerio.load((await sofie.get(`/admin/indbakke/${id}/fjern`)).body);
    expect(first('legend').text()).toBe('Skal kommentaren skjules eller slettes?');
    expect(first('input[name="guideline"]').attr('type')).toBe('hidden');
    expect(first('textarea').length).toBe(0);

    const noAction = cheerio.load((await sofie.post(`/admin/indbakke/${id}/fjern`, { trin: '1', guideline: 'kraenkende', reason: '' })).body);
    expect(noAction('#f-action-error').text()).toContain('Vælg, om kommentaren skal skjules eller slettes');
    const second = cheerio.load((await sofie.post(`/admin/indbakke/${id}/fjern`, { trin: '1', action: 'delete', guideline: 'kraenkende', reason: '' })).body);
    expect(second('legend').text()).toBe('Hvilket punkt i retningslinjerne er anvendt?');
    expect(second('input[name="action"]').val()).toBe('delete');

    const noPoint = await sofie.post(`/admin/indbakke/${id}/fjern`, { trin: '2', action: 'delete', guideline: '', reason: 'Groft sprog, gentaget tre gange.' });
    expect(noPoint.statusCode).toBe(422);
    const $ = cheerio.load(noPoint.body);
    expect($('#f-guideline-error').text()).toContain('Vælg det punkt i retningslinjerne, der er anvendt');
    expect($('.alert-error a[href="#f-guideline"]').text()).toBe('Vælg det punkt i retningslinjerne, der er anvendt');
    expect($('input[name="reason"]').val()).toBe('Groft sprog, gentaget tre gange.');

    const third = cheerio.load((await sofie.post(`/admin/indbakke/${id}/fjern`, { trin: '2', action: 'delete', guideline: 'kraenkende', reason: 'Groft sprog, gentaget tre gange.' })).body);
    expect(third('#f-reason').text()).toBe('Groft sprog, gentaget tre gange.');
    expect(third('dl.mh-facts').text()).toContain('Slet kommentaren');
    expect(third('dl.mh-facts').text()).toContain('Krænkende, anstødeligt eller uhøvisk indhold');

    const back = cheerio.load((await sofie.post(`/admin/indbakke/${id}/fjern`, { trin: '3', action: 'delete', guideline: 'kraenkende', reason: 'Rettet tekst.', tilbage: '1' })).body);
    expect(back('input[name="guideline"]:checked').val()).toBe('kraenkende');
    expect(back('input[name="reason"]').val()).toBe('Rettet tekst.');

    const empty = await sofie.post(`/admin/indbakke/${id}/fjern`, { trin: '3', action: 'hide', guideline: 'kraenkende', reason: '   ' });
    expect(empty.statusCode).toBe(422);
    const e = cheerio.load(empty.body);
    expect(e('#f-reason-error').text()).toContain('Skriv en begrundelse');
    expect(e('input[name="guideline"]').val()).toBe('kraenkende');
    expect(e('input[name="action"]').val()).toBe('hide');
    expect(await recordsOf(id)).toEqual([]);
  });

  it('the form shows the comment with its categories and reasons and suggests the guideline point', async () => {
    const id = await page.comment('Ulla Krog', 'Jeg ved hvor du bor, og jeg kommer og finder dig.');
    const sofie = await signedIn(DEMO.social);
    const $ = cheerio.load((await sofie.get(`/admin/indbakke/${id}/fjern`)).body);
    expect($('main').text()).toContain('Jeg ved hvor du bor, og jeg kommer og finder dig.');
    expect($('ul[aria-labelledby="kategorier"]').text()).toContain('Ulovligt indhold');
    expect($('input[name="action"]:checked').val()).toBe('hide');
    const points = cheerio.load((await sofie.post(`/admin/indbakke/${id}/fjern`, { trin: '1', action: 'hide', guideline: $('input[name="guideline"]').val() as string, reason: '' })).body);
    expect(points('input[name="guideline"]').length).toBe(5);
    expect(points('input[name="guideline"]:checked').val()).toBe('ulovligt');
    expect(points('ul[aria-labelledby="kategorier"]').text()).toContain('Ulovligt indhold');
  });

  it('CPR numbers are masked in the list, the record, the citizen’s page, the CSV and the JSON, and kept in full only in the record itself', async () => {
    const id = await page.comment('Gitte Møller', `Se min sag, mit CPR er ${CPR}.`, { handle: 'gitte.moller' });
    const sofie = await signedIn(DEMO.social);
    const res = await remove(sofie, id, { action: 'hide', guideline: 'personsager', reason: `Personnummer ${CPR} i en offentlig kommentar.` });
    expect(res.statusCode).toBe(303);
    const [record] = await recordsOf(id);
    expect(record!.item_text).toContain(CPR);
    for (const url of ['/admin/indbakke/fjernet', `/admin/indbakke/fjernet/${record!.id}`, `/admin/indbakke/fjernet/${record!.id}/borger`, '/admin/indbakke/fjernet.csv', '/admin/indbakke/fjernet.json']) {
      const body = (await sofie.get(url)).body;
      expect(body, url).not.toContain(CPR);
      expect(body, url).toContain('010203-****');
    }
  });

  it('the CSV opens in Danish Excel: byte order mark, semicolons, Danish headers, newest first; the JSON holds the same records', async () => {
    const sofie = await signedIn(DEMO.social);
    const res = await sofie.get('/admin/indbakke/fjernet.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="fjernede-kommentarer-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const [header] = res.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toBe(
      'Notat-id;Konto;Netværk;Handling;Status;Forfatter;Forfatterens brugernavn;Skrevet;Tekst;Link på netværket;Tråd;Kategorier;Punkt i retningslinjerne;Begrundelse;Besluttet af;Besluttet;Gennemført på netværket;Vist igen;Vist igen af;Opbevares til',
    );
    const json = JSON.parse((await sofie.get('/admin/indbakke/fjernet.json')).body) as { records: { id: string; decidedAt: string }[] };
    const ids = (await t.db.selectFrom('removal_records').select('id').orderBy('decided_at', 'desc').orderBy('id', 'desc').execute()).map((r) => r.id);
    expect(json.records.map((r) => r.id)).toEqual(ids);
    for (const id of ids) expect(res.body).toContain(id);
    const exported = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'removal_record.exported').execute();
    expect(exported.length).toBeGreaterThanOrEqual(2);
  });

  it('the list filters by account and period, newest first', async () => {
    const sofie = await signedIn(DEMO.social);
    const fbRecords = await t.db.selectFrom('removal_records').select('id').where('account_id', '=', page.accountId).orderBy('decided_at', 'desc').orderBy('id', 'desc').execute();
    const $ = cheerio.load((await sofie.get(`/admin/indbakke/fjernet?konto=${page.accountId}`)).body);
    const shown = $('tbody th a').map((_, el) => $(el).attr('href')).get();
    expect(shown).toEqual(fbRecords.map((r) => `/admin/indbakke/fjernet/${r.id}`));
    expect($('#f-konto').val()).toBe(page.accountId);
    const future = cheerio.load((await sofie.get('/admin/indbakke/fjernet?fra=2099-01-01')).body);
    expect(future('tbody tr').length).toBe(0);
    expect(future('main').text()).toContain('Der er ingen notater, der passer til filteret.');
    expect(future('a[href="/admin/indbakke/fjernet.csv?fra=2099-01-01"]').length).toBe(1);
  });

  it('the citizen’s page says what was removed, when and why, names the unit and not the editor, and shows no one else’s comment', async () => {
    const id = await page.comment('Bente Kjær', 'I er nogle fucking klaphatte.');
    await page.comment('Anders Vang', 'Helt enig i kritikken af vejarbejdet.');
    const sofie = await signedIn(DEMO.social);
    const res = await remove(sofie, id, { action: 'hide', guideline: 'kraenkende', reason: 'Groft sprog.' });
    const recordId = (await recordsOf(id))[0]!.id;
    expect(res.headers.location).toBe(`/admin/indbakke/fjernet/${recordId}?gennemfoert=1`);
    const citizen = cheerio.load((await sofie.get(`/admin/indbakke/fjernet/${recordId}/borger`)).body);
    const text = citizen('main').text();
    expect(citizen('h1').text()).toBe('Din kommentar er skjult');
    expect(text).toContain('I er nogle fucking klaphatte.');
    expect(text).toContain('Krænkende, anstødeligt eller uhøvisk indhold');
    expect(text).toContain('Groft sprog.');
    expect(text).toContain('Sådan klager du');
    expect(text).toContain('Kommentaren er skjult: kun du og dine venner kan se den på Facebook.');
    const unit = await t.db.selectFrom('social_accounts as a').innerJoin('units as u', 'u.id', 'a.unit_id').select('u.name').where('a.id', '=', page.accountId).executeTakeFirstOrThrow();
    expect(text).toContain(unit.name);
    const editor = await t.db.selectFrom('people').select('name').where('email', '=', DEMO.social).executeTakeFirstOrThrow();
    expect(text).not.toContain(editor.name);
    expect(text).not.toContain('Helt enig i kritikken');
    // The record page for the editors names the editor and keeps the thread.
    const record = cheerio.load((await sofie.get(`/admin/indbakke/fjernet/${recordId}`)).body);
    expect(record('dl.mh-facts').text()).toContain(editor.name);
    expect(record('ol[aria-labelledby="traad"]').text()).toContain('Helt enig i kritikken af vejarbejdet.');
  });

  it('on Mastodon, which lets an account neither hide nor delete other people\'s replies, the page points to blocking and nothing is recorded', async () => {
    const item = await t.db
      .selectFrom('inbox_items as i')
      .innerJoin('social_accounts as a', 'a.id', 'i.account_id')
      .select('i.id')
      .where('a.network', '=', 'mastodon')
      .executeTakeFirstOrThrow();
    const sofie = await signedIn(DEMO.social);
    const $ = cheerio.load((await sofie.get(`/admin/indbakke/${item.id}/fjern`)).body);
    expect($('main [role="note"]').text()).toContain('Mastodon lader ikke kontoen skjule eller slette andres svar');
    expect($(`main a[href="/admin/indbakke/${item.id}/bloker"]`).text()).toBe('Blokér afsenderen');
    expect($('input[name="action"]').length).toBe(0);
    const res = await remove(sofie, item.id, { action: 'delete', guideline: 'kraenkende', reason: 'Groft sprog.' });
    expect(res.statusCode).toBe(422);
    expect(await recordsOf(item.id)).toEqual([]);
  });

  it('records are kept the configured number of days, and the retention job deletes only those past it', async () => {
    const all = await t.db.selectFrom('removal_records as r').innerJoin('inbox_items as i', 'i.id', 'r.item_id').select(['r.id', 'r.decided_at', 'r.keep_until', 'i.root_external_id']).execute();
    const ours = all.filter((r) => r.root_external_id === page.postId);
    expect(ours.length).toBeGreaterThan(0);
    for (const r of ours) expect(Date.parse(r.keep_until) - Date.parse(r.decided_at)).toBe(KEEP_DAYS * DAY);
    const demo = all.filter((r) => !ours.includes(r));
    expect(demo.length).toBeGreaterThan(0);
    const deleted = await deleteExpiredRemovalRecords(t.db, new Date(Date.now() + (KEEP_DAYS + 1) * DAY));
    expect(deleted).toBe(ours.length);
    const left = (await t.db.selectFrom('removal_records').select('id').execute()).map((r) => r.id).sort();
    expect(left).toEqual(demo.map((r) => r.id).sort());
    const entry = await t.db.selectFrom('audit_log').select('details').where('action', '=', 'removal_record.expired').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.details).count).toBe(ours.length);
  });

  it('someone who is not an editor of the account is refused the form, the record and the citizen’s page, and does not see its records', async () => {
    const id = await page.comment('Jonna Lind', 'Idioter.');
    const sofie = await signedIn(DEMO.social);
    await remove(sofie, id, { action: 'hide', guideline: 'kraenkende', reason: 'Skældsord.' });
    const recordId = (await recordsOf(id))[0]!.id;
    const anne = await signedIn(DEMO.employee);
    expect((await anne.get(`/admin/indbakke/${id}/fjern`)).statusCode).toBe(403);
    expect((await anne.post(`/admin/indbakke/${id}/fjern`, { action: 'delete', guideline: 'kraenkende', reason: 'x' })).statusCode).toBe(403);
    expect((await anne.post(`/admin/indbakke/${id}/vis-igen`)).statusCode).toBe(403);
    expect((await anne.get(`/admin/indbakke/fjernet/${recordId}`)).statusCode).toBe(403);
    expect((await anne.get(`/admin/indbakke/fjernet/${recordId}/borger`)).statusCode).toBe(403);
    expect((await anne.post(`/admin/indbakke/fjernet/${recordId}/proev-igen`)).statusCode).toBe(403);
    const list = await anne.get('/admin/indbakke/fjernet');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(recordId);
    expect((await anne.get('/admin/indbakke/fjernet.csv')).body).not.toContain(recordId);
    expect(fb.hiddenIds().has(await externalIdOf(id))).toBe(true);
    expect((await (await signedIn(DEMO.school)).get('/admin/indbakke/fjernet')).statusCode).toBe(403);
  });
});
