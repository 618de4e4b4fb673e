import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';
import { newId } from '../platform/ids.ts';
import type { IncomingItem } from '../social/providers/types.ts';
import { ingestItems } from './ingest.ts';
import { activeRules } from './rules-store.ts';

// The rules editor: everyone with an inbox reads the rules and tries a text against them; the social media editor
// group changes them, and a change applies to the next comment that comes in.

describe.each(dialects)('the classification rules editor (%s)', (dialect) => {
  let t: TestApp;
  let accountId: string;

  const signedIn = async (email: string) => {
    const b = new Browser(t.app);
    await b.signIn(email);
    return b;
  };
  /** A comment arriving as polling or a webhook brings it: classified by the stored rules of this moment. */
  const arrives = async (text: string) => {
    const item: IncomingItem = { externalId: `c-${newId()}`, parentExternalId: 'p-1', rootExternalId: 'p-1', authorName: 'Søren Bak', authorHandle: null, text, createdAt: new Date(), url: null, hidden: false };
    const { ids } = await ingestItems(t.db, { id: accountId, business_hours: null }, [item], { rules: await activeRules(t.db) });
    const row = await t.db.selectFrom('inbox_items').select(['categories', 'reasons']).where('id', '=', ids[0]!).executeTakeFirstOrThrow();
    return { categories: JSON.parse(row.categories) as string[], reasons: JSON.parse(row.reasons) as { ruleId: string; label: string }[] };
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    accountId = (await t.db.selectFrom('social_accounts').select('id').where('handle', '=', 'toenderkommune').where('network', '=', 'facebook').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => t?.close());

  it('the rules are listed per category with their explanation, words and whether they are in use', async () => {
    const sofie = await signedIn(DEMO.social);
    const res = await sofie.get('/admin/indbakke/regler');
    expect(res.statusCode).toBe(200);
    const $ = cheerio.load(res.body);
    expect($('h2').map((_, el) => $(el).text()).get()).toEqual(expect.arrayContaining(['Prøv reglerne', 'Spørgsmål', 'Personlig sag', 'Reklame eller spam']));
    const spam = $('#kategori-spam').nextAll('.table--responsive-scroll').first();
    expect(spam.find('tbody tr').length).toBeGreaterThan(0);
    expect(spam.find('tbody tr').first().find('td').eq(3).text()).toContain('Ja');
    expect($('a[href="/admin/indbakke/regler/ny"]').length).toBe(1);
    const list = cheerio.load((await sofie.get('/admin/indbakke')).body);
    expect(list('a[href="/admin/indbakke/regler"]').text()).toBe('Regler');
    expect(list('a[href="/admin/indbakke/blokeringer"]').text()).toBe('Blokeringer');
  });

  it('a new rule applies to the next comment that comes in, and switching it off stops it again', async () => {
    const text = 'Billigt brænde til salg i Løgumkloster, ring 12345678';
    expect((await arrives(text)).categories).not.toContain('spam');

    const sofie = await signedIn(DEMO.social);
    await sofie.get('/admin/indbakke/regler/ny');
    const created = await sofie.post('/admin/indbakke/regler/ny', { category: 'spam', label: 'Salg af brænde', words: 'brænde til salg\nbilligt brænde', patterns: '', near: '', unless: 'gratis', active: '1' });
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe('/admin/indbakke/regler?oprettet=1');
    const rule = await t.db.selectFrom('moderation_rules').selectAll().where('label', '=', 'Salg af brænde').executeTakeFirstOrThrow();
    expect(JSON.parse(rule.definition)).toEqual({ words: ['brænde til salg', 'billigt brænde'], unless: ['gratis'] });

    const after = await arrives(text);
    expect(after.categories).toContain('spam');
    expect(after.reasons.find((r) => r.ruleId === rule.id)?.label).toBe('Salg af brænde');
    expect((await arrives('Gratis brænde til salg for pensionister')).categories).not.toContain('spam');

    await sofie.get(`/admin/indbakke/regler/${rule.id}`);
    const saved = await sofie.post(`/admin/indbakke/regler/${rule.id}`, { category: 'spam', label: 'Salg af brænde', words: 'brænde til salg\nbilligt brænde', patterns: '', near: '', unless: 'gratis' });
    expect(saved.statusCode).toBe(303);
    expect((await arrives(text)).categories).not.toContain('spam');
    const page = cheerio.load((await sofie.get('/admin/indbakke/regler?gemt=1')).body);
    expect(page('[role="status"]').text()).toContain('Reglen er gemt');
    expect(page(`#regel-${rule.id}`).text()).toContain('Nej');
    const audit = await t.db.selectFrom('audit_log').select('action').where('object_id', '=', rule.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['moderation_rule.created', 'moderation_rule.updated']);
  });

  it('an edited default rule changes the classification of the next comment', async () => {
    const sofie = await signedIn(DEMO.social);
    const text = 'Vores forening holder loppemarked på lørdag, kom forbi!';
    expect((await arrives(text)).categories).toEqual(['ok']);
    const spamRule = (await t.db.selectFrom('moderation_rules').selectAll().where('category', '=', 'spam').orderBy('position').execute())[0]!;
    const page = cheerio.load((await sofie.get(`/admin/indbakke/regler/${spamRule.id}`)).body);
    const words = page('#f-words').text();
    const res = await sofie.post(`/admin/indbakke/regler/${spamRule.id}`, {
      category: 'spam',
      label: page('#f-label').val() as string,
      words: `${words}\nloppemarked`,
      patterns: page('#f-patterns').text(),
      near: page('#f-near').text(),
      unless: page('#f-unless').text(),
      active: '1',
    });
    expect(res.statusCode).toBe(303);
    const after = await arrives(text);
    expect(after.categories).toEqual(['spam']);
    expect(after.reasons[0]!.ruleId).toBe(spamRule.id);
  });

  it('an invalid regular expression is refused with a Danish message naming the field and the line, and what was typed is kept', async () => {
    const sofie = await signedIn(DEMO.social);
    await sofie.get('/admin/indbakke/regler/ny');
    const res = await sofie.post('/admin/indbakke/regler/ny', { category: 'spam', label: 'Lån', words: '', patterns: 'hurtige? lån\n(uafsluttet gruppe', near: '', unless: '', active: '1' });
    expect(res.statusCode).toBe(422);
    const $ = cheerio.load(res.body);
    expect($('#f-patterns-error').text()).toContain('Mønstre, linje 2: "(uafsluttet gruppe" er ikke et gyldigt regulært udtryk');
    expect($('#f-patterns').text()).toBe('hurtige? lån\n(uafsluttet gruppe');
    expect($('#f-label').val()).toBe('Lån');
    expect($('#f-category').val()).toBe('spam');

    const empty = await sofie.post('/admin/indbakke/regler/ny', { category: '', label: '', words: '', patterns: '', near: '', unless: '' });
    const $e = cheerio.load(empty.body);
    expect($e('#f-label-error').text()).toContain('Skriv en forklaring');
    expect($e('#f-category-error').text()).toContain('Vælg en kategori');
    expect($e('#f-words-error').text()).toContain('Skriv mindst ét ord eller ét mønster');
    expect(await t.db.selectFrom('moderation_rules').select('id').where('label', '=', 'Lån').execute()).toEqual([]);
  });

  it('“Prøv reglerne” shows the categories and reasons a typed text would get, with CPR numbers masked', async () => {
    const anne = await signedIn(DEMO.employee);
    await anne.get('/admin/indbakke/regler');
    const res = await anne.post('/admin/indbakke/regler/proev', { text: 'Min søn har fået diagnosen ADHD, hans CPR er 010203-1234. Hvornår får vi svar?' });
    expect(res.statusCode).toBe(200);
    const $ = cheerio.load(res.body);
    const result = $('#resultat').text();
    expect(result).not.toContain('010203-1234');
    expect(result).toContain('Spørgsmål');
    expect(result).toContain('Personlig sag');
    expect(result).toContain('"ADHD"');
    // The text as typed stays in the field, so it can be changed and tried again.
    expect($('#f-text').text()).toContain('010203-1234');

    const empty = await anne.post('/admin/indbakke/regler/proev', { text: '  ' });
    expect(empty.statusCode).toBe(422);
    expect(cheerio.load(empty.body)('#f-text-error').text()).toContain('Skriv en tekst at prøve reglerne på');
  });

  it('someone outside the social media editor group may read the rules but not change or add them', async () => {
    const anne = await signedIn(DEMO.employee);
    const list = await anne.get('/admin/indbakke/regler');
    expect(list.statusCode).toBe(200);
    expect(cheerio.load(list.body)('a[href="/admin/indbakke/regler/ny"]').length).toBe(0);
    const rule = (await t.db.selectFrom('moderation_rules').select(['id', 'label']).orderBy('position').execute())[0]!;
    const view = await anne.get(`/admin/indbakke/regler/${rule.id}`);
    expect(view.statusCode).toBe(200);
    expect(cheerio.load(view.body)('form[method="post"] #f-words').length).toBe(0);
    expect((await anne.get('/admin/indbakke/regler/ny')).statusCode).toBe(403);
    expect((await anne.post(`/admin/indbakke/regler/${rule.id}`, { category: 'spam', label: 'Overtaget', words: 'hej', active: '1' })).statusCode).toBe(403);
    expect((await anne.post('/admin/indbakke/regler/ny', { category: 'spam', label: 'Ny', words: 'hej', active: '1' })).statusCode).toBe(403);
    expect((await t.db.selectFrom('moderation_rules').select('label').where('id', '=', rule.id).executeTakeFirstOrThrow()).label).toBe(rule.label);
    expect((await (await signedIn(DEMO.school)).get('/admin/indbakke/regler')).statusCode).toBe(403);
  });
});
