import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';
import { viewerOf } from '../intranet/audience.ts';
import { createViews } from '../platform/views.ts';
import { mustReadStatus, pendingMustReadsFor } from './service.ts';
import { acknowledgeAs, type Forsyning, publishMustRead, seedForsyning } from './testing/forsyning.ts';

const DAY = 24 * 60 * 60 * 1000;

describe.each(dialects)('must-reads for readers and authors (%s)', (dialect) => {
  let t: TestApp;
  let f: Forsyning;
  let rules: string;
  let dagplejen: string;
  let older: string;
  let newer: string;
  let plainNews: string;
  const personId = async (email: string) => (await t.db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
  const slugOf = async (id: string) => (await t.db.selectFrom('items').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug;
  const signedIn = async (email: string) => {
    const b = new Browser(t.app);
    await b.signIn(email);
    return b;
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    f = await seedForsyning(t.db);
    rules = await publishMustRead(t.db, { title: 'Nye sikkerhedsregler på anlæggene', ownerUnitId: f.units.forsyning, audience: { unitIds: [f.units.forsyning] }, remindAfterDays: 3 });
    for (const who of ['bo', 'dorte', 'frida'] as const) await acknowledgeAs(t.db, f.people[who], rules);

    const dagplejenId = (await t.db.selectFrom('units').select('id').where('slug', '=', 'dagplejen').executeTakeFirstOrThrow()).id;
    // Sent out ten and three days ago, so the reader's list has an order to keep.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() - 10 * DAY);
      older = await publishMustRead(t.db, { title: 'Hygiejneregler i dagplejen', ownerUnitId: dagplejenId, audience: { unitIds: [dagplejenId] } });
      vi.setSystemTime(Date.now() + 7 * DAY);
      newer = await publishMustRead(t.db, { title: 'Ny procedure ved allergi hos børn', ownerUnitId: dagplejenId, audience: { unitIds: [dagplejenId] } });
    } finally {
      vi.useRealTimers();
    }
    dagplejen = await publishMustRead(t.db, { title: 'Retningslinjer for udflugter med dagplejebørn', ownerUnitId: dagplejenId, audience: { unitIds: [dagplejenId] } });
    plainNews = await publishMustRead(t.db, { title: 'Sommerfest for alle ansatte', ownerUnitId: dagplejenId, audience: { everyone: true }, mustRead: false });
  });
  afterAll(async () => t?.close());

  describe('acknowledging', () => {
    it('a reader in the audience acknowledges and is sent back to the item with a confirmation', async () => {
      const anne = await signedIn(DEMO.employee);
      await anne.get('/intranet/skal-laeses');
      const res = await anne.post(`/intranet/skal-laeses/${dagplejen}/kvitter`);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/intranet/nyheder/${await slugOf(dagplejen)}?kvitteret=1#kvittering`);
      const row = await t.db.selectFrom('acknowledgements').selectAll().where('item_id', '=', dagplejen).execute();
      expect(row.map((r) => r.person_id)).toEqual([await personId(DEMO.employee)]);
      const audited = await t.db.selectFrom('audit_log').select(['action', 'actor_label']).where('object_id', '=', dagplejen).where('action', '=', 'must_read.acknowledged').execute();
      expect(audited).toEqual([{ action: 'must_read.acknowledged', actor_label: DEMO.employee }]);

      // Again: the first time stands, and nothing more is written.
      const first = row[0]!.acknowledged_at;
      expect((await anne.post(`/intranet/skal-laeses/${dagplejen}/kvitter`)).statusCode).toBe(303);
      expect((await t.db.selectFrom('acknowledgements').select('acknowledged_at').where('item_id', '=', dagplejen).execute()).map((r) => r.acknowledged_at)).toEqual([first]);
      expect(await t.db.selectFrom('audit_log').select('seq').where('object_id', '=', dagplejen).where('action', '=', 'must_read.acknowledged').execute()).toHaveLength(1);
    });

    it('someone outside the audience, an item that is no must-read and an unknown item are all a 404, and nothing is written', async () => {
      const peter = await signedIn(DEMO.manager);
      await peter.get('/intranet/skal-laeses');
      const before = await t.db.selectFrom('acknowledgements').select('item_id').execute();
      for (const id of [dagplejen, plainNews, rules, '00000000-0000-4000-8000-000000000000']) {
        const res = await peter.post(`/intranet/skal-laeses/${id}/kvitter`);
        expect(res.statusCode, id).toBe(404);
        expect(res.body).not.toContain('Retningslinjer for udflugter');
      }
      expect(await t.db.selectFrom('acknowledgements').select('item_id').execute()).toHaveLength(before.length);
    });

    it('the item page learns whether its reader is asked to acknowledge, and the box shows the button or the date', async () => {
      const anne = await viewerOf(t.db, await personId(DEMO.employee));
      const peter = await viewerOf(t.db, await personId(DEMO.manager));
      expect(await mustReadStatus(t.db, peter, older)).toBeNull();
      expect(await mustReadStatus(t.db, anne, plainNews)).toBeNull();
      const waiting = await mustReadStatus(t.db, anne, older);
      expect(waiting).toEqual({ acknowledgedAt: null, formAction: `/intranet/skal-laeses/${older}/kvitter` });
      const done = await mustReadStatus(t.db, anne, dagplejen);
      expect(done?.acknowledgedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

      const views = createViews((name) => `/assets/${name}`);
      const box = cheerio.load(views.render('mustreads/views/acknowledge-box.njk', { mustRead: waiting, csrfToken: () => 'token-123' }));
      expect(box('form').attr('action')).toBe(`/intranet/skal-laeses/${older}/kvitter`);
      expect(box('form').attr('method')).toBe('post');
      expect(box('input[name="_csrf"]').attr('value')).toBe('token-123');
      expect(box('button').text().trim()).toBe('Jeg har læst og forstået');
      const thanked = cheerio.load(views.render('mustreads/views/acknowledge-box.njk', { mustRead: { ...done, acknowledgedAt: '2026-11-27T09:15:00.000Z' }, csrfToken: () => 'token-123' }));
      expect(thanked('form')).toHaveLength(0);
      expect(thanked('.alert-success').text()).toContain('Du kvitterede den 27. november 2026 kl. 10.15');
    });
  });

  describe('the reader’s list', () => {
    it('shows what is waiting, oldest first with how long ago it came, and then what the reader has acknowledged', async () => {
      const anne = await signedIn(DEMO.employee);
      const res = await anne.get('/intranet/skal-laeses');
      expect(res.statusCode).toBe(200);
      const $ = cheerio.load(res.body);
      expect($('h1').text()).toBe('Skal læses');
      const waiting = $('section[aria-labelledby="h-venter"] li');
      const titles = waiting.map((_, li) => $(li).find('h3').text().trim()).get();
      expect(titles.indexOf('Hygiejneregler i dagplejen')).toBeGreaterThanOrEqual(0);
      expect(titles.indexOf('Hygiejneregler i dagplejen')).toBeLessThan(titles.indexOf('Ny procedure ved allergi hos børn'));
      expect(titles).not.toContain('Retningslinjer for udflugter med dagplejebørn');
      expect(titles).not.toContain('Sommerfest for alle ansatte');
      expect(titles).not.toContain('Nye sikkerhedsregler på anlæggene');
      expect(waiting.filter((_, li) => $(li).text().includes('Hygiejneregler')).text()).toContain('Sendt for 10 dage siden');
      expect(waiting.filter((_, li) => $(li).text().includes('allergi')).find('a').attr('href')).toBe(`/intranet/nyheder/${await slugOf(newer)}`);
      const read = $('section[aria-labelledby="h-laest"] li');
      expect(read.filter((_, li) => $(li).text().includes('Retningslinjer for udflugter med dagplejebørn')).text()).toContain('Du kvitterede');
    });

    it('the home page gets the oldest waiting must-reads, as many as it asks for', async () => {
      const anne = await viewerOf(t.db, await personId(DEMO.employee));
      const pending = await pendingMustReadsFor(t.db, anne, 1);
      expect(pending.map((p) => p.title)).toEqual(['Hygiejneregler i dagplejen']);
      expect(pending[0]).toMatchObject({ href: `/intranet/nyheder/${await slugOf(older)}` });
      expect((await pendingMustReadsFor(t.db, anne, 10)).map((p) => p.title)).not.toContain('Retningslinjer for udflugter med dagplejebørn');
    });

    it('an editor finds the must-reads to follow on the list; an ordinary employee finds none', async () => {
      const line = await signedIn(DEMO.intranet);
      const $ = cheerio.load((await line.get('/intranet/skal-laeses')).body);
      const followed = $('section[aria-labelledby="h-foelg"] a').map((_, a) => $(a).attr('href')).get();
      expect(followed).toContain(`/intranet/skal-laeses/${rules}/status`);
      const anne = await signedIn(DEMO.employee);
      expect(cheerio.load((await anne.get('/intranet/skal-laeses')).body)('section[aria-labelledby="h-foelg"]')).toHaveLength(0);
    });
  });

  describe('the author’s overview', () => {
    const statusOf = async (b: Browser, query = '') => {
      const res = await b.get(`/intranet/skal-laeses/${rules}/status${query}`);
      expect(res.statusCode).toBe(200);
      const $ = cheerio.load(res.body);
      const units = $('table[data-units] tbody tr')
        .map((_, tr) => [$(tr).find('th, td').map((__, c) => $(c).text().replace(/:.*$/, '').trim()).get()])
        .get() as string[][];
      const people = $('table[data-people] tbody tr')
        .map((_, tr) => [$(tr).find('th, td').map((__, c) => $(c).text().trim()).get()])
        .get() as string[][];
      return { $, units, people, totals: $('[data-totals]').text().replace(/\s+/g, ' ').trim() };
    };

    it('shows the totals, the counts per unit and who has and has not acknowledged', async () => {
      const { units, people, totals } = await statusOf(await signedIn(DEMO.intranet));
      expect(totals).toBe('3 af 6 har kvitteret (50 %). 3 mangler.');
      expect(units).toEqual([
        ['Forsyning', '1', '0', '1'],
        ['Renseanlægget', '3', '2', '1'],
        ['Vandværket', '3', '2', '1'],
      ]);
      expect(people.map(([name, unit, ack]) => [name, unit, ack === 'Mangler' ? 'Mangler' : 'Kvitteret'])).toEqual([
        ['Aase Aagaard', 'Forsyning', 'Mangler'],
        ['Bo Berg', 'Vandværket', 'Kvitteret'],
        ['Carl Carlsen', 'Vandværket', 'Mangler'],
        ['Dorte Dam', 'Renseanlægget', 'Kvitteret'],
        ['Erik Eskildsen', 'Renseanlægget', 'Mangler'],
        ['Frida Friis', 'Renseanlægget, Vandværket', 'Kvitteret'],
      ]);
      expect(people[1]![2]).toMatch(/^\d+\. \p{L}+ \d{4} kl\. \d{2}\.\d{2}$/u);
    });

    it('filters the names by unit and by whether they have acknowledged', async () => {
      const line = await signedIn(DEMO.intranet);
      const plant = await statusOf(line, `?enhed=${f.units.vandvaerket}`);
      expect(plant.people.map((p) => p[0])).toEqual(['Bo Berg', 'Carl Carlsen', 'Frida Friis']);
      expect(plant.$('#f-enhed option[selected]').text()).toBe('Vandværket');
      // The totals stay those of the whole audience.
      expect(plant.totals).toBe('3 af 6 har kvitteret (50 %). 3 mangler.');
      const missing = await statusOf(line, `?enhed=${f.units.vandvaerket}&kvittering=nej`);
      expect(missing.people.map((p) => p[0])).toEqual(['Carl Carlsen']);
      const done = await statusOf(line, '?kvittering=ja');
      expect(done.people.map((p) => p[0])).toEqual(['Bo Berg', 'Dorte Dam', 'Frida Friis']);
      expect(done.$(`a[href="/intranet/skal-laeses/${rules}/status.csv?kvittering=ja"]`)).toHaveLength(1);
    });

    it('exports the list as a semicolon-separated CSV for Danish Excel, and the export is audited', async () => {
      const line = await signedIn(DEMO.intranet);
      const res = await line.get(`/intranet/skal-laeses/${rules}/status.csv`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="kvitteringer-${await slugOf(rules)}.csv"`);
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const lines = res.body.replace(/^\uFEFF/, '').split('\r\n');
      expect(lines[0]).toBe('Navn;E-mail;Enhed;Kvitteret;Tidspunkt');
      expect(lines.at(-1)).toBe('');
      const rows = lines.slice(1, -1).map((l) => l.split(';'));
      expect(rows.map((r) => r.slice(0, 4))).toEqual([
        ['Aase Aagaard', 'aase@forsyning.test', 'Forsyning', 'Nej'],
        ['Bo Berg', 'bo@forsyning.test', 'Vandværket', 'Ja'],
        ['Carl Carlsen', 'carl@forsyning.test', 'Vandværket', 'Nej'],
        ['Dorte Dam', 'dorte@forsyning.test', 'Renseanlægget', 'Ja'],
        ['Erik Eskildsen', 'erik@forsyning.test', 'Renseanlægget', 'Nej'],
        ['Frida Friis', 'frida@forsyning.test', 'Renseanlægget, Vandværket', 'Ja'],
      ]);
      expect(rows.filter((r) => r[3] === 'Ja').every((r) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(r[4]!))).toBe(true);
      expect(rows.filter((r) => r[3] === 'Nej').every((r) => r[4] === '')).toBe(true);

      const missing = await line.get(`/intranet/skal-laeses/${rules}/status.csv?kvittering=nej&enhed=${f.units.renseanlaegget}`);
      expect(missing.body.replace(/^\uFEFF/, '').split('\r\n').slice(1, -1)).toEqual(['Erik Eskildsen;erik@forsyning.test;Renseanlægget;Nej;']);
      const audited = await t.db.selectFrom('audit_log').select(['actor_label', 'details']).where('object_id', '=', rules).where('action', '=', 'must_read.exported').orderBy('seq').execute();
      expect(audited.map((a) => [a.actor_label, JSON.parse(a.details).rows])).toEqual([
        [DEMO.intranet, 6],
        [DEMO.intranet, 1],
      ]);
    });

    it('the manager of the owner unit and an author may see it; an ordinary employee, another unit’s manager and a reader in the audience get a 404', async () => {
      const asPerson = async (id: string) => {
        const b = new Browser(t.app);
        const { startSession } = await import('../signin/sessions.ts');
        b.cookies.set('mh_session', t.app.signCookie(await startSession(t.db, id, { ip: null, userAgent: null, method: 'test' })));
        return b;
      };
      expect((await (await asPerson(f.people.aase)).get(`/intranet/skal-laeses/${rules}/status`)).statusCode).toBe(200);
      for (const who of [f.people.gert, f.people.bo]) {
        const res = await (await asPerson(who)).get(`/intranet/skal-laeses/${rules}/status`);
        expect(res.statusCode).toBe(404);
        expect(res.body).not.toContain('Aase Aagaard');
        expect((await (await asPerson(who)).get(`/intranet/skal-laeses/${rules}/status.csv`)).statusCode).toBe(404);
      }
      const anne = await signedIn(DEMO.employee);
      expect((await anne.get(`/intranet/skal-laeses/${rules}/status`)).statusCode).toBe(404);
      expect((await anne.get(`/intranet/skal-laeses/${rules}/status.csv`)).statusCode).toBe(404);
      // Someone who wrote a revision of it: the website editor approved but did not write; the intranet editor did.
      await t.db.updateTable('revisions').set({ author_id: await personId(DEMO.school) }).where('item_id', '=', older).execute();
      expect((await (await signedIn(DEMO.school)).get(`/intranet/skal-laeses/${older}/status`)).statusCode).toBe(200);
      expect((await (await signedIn(DEMO.school)).get(`/intranet/skal-laeses/${rules}/status`)).statusCode).toBe(404);
      // An item that is no must-read has no overview, even for an editor.
      expect((await (await signedIn(DEMO.intranet)).get(`/intranet/skal-laeses/${plainNews}/status`)).statusCode).toBe(404);
    });
  });
});
