import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';
import { newId, nowIso } from '../platform/ids.ts';
import * as store from '../org/store.ts';

/** The names in the list of people on a page, in order. */
const namesOn = (html: string): string[] => [...html.matchAll(/<h3 class="h4 mh-listing-title"><a href="\/intranet\/personer\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!);

describe.each(dialects)('the directory of people and units (%s)', (dialect) => {
  let t: TestApp;
  let anne: Browser;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    anne = new Browser(t.app);
    await anne.signIn(DEMO.employee);
  });
  afterAll(async () => t.close());

  const personId = async (email: string) => (await store.findPersonRowByEmail(t.db, email))!.id;
  const unitOf = async (slug: string) => (await store.findUnitBySlug(t.db, slug))!;

  it('is only for people who are signed in', async () => {
    for (const url of ['/intranet/personer', '/intranet/enheder', '/intranet/enheder/biblioteket']) {
      const res = await new Browser(t.app).get(url);
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location).toMatch(/^\/login/);
    }
  });

  it('an empty search shows the colleagues of the reader’s own unit, with phone and e-mail as links, and the A–Z', async () => {
    const res = await anne.get('/intranet/personer');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Dine kolleger i <a href="/intranet/enheder/dagplejen">Dagplejen</a>');
    const names = namesOn(res.body);
    expect(names).toEqual(expect.arrayContaining(['Anne Jensen', 'Birgitte Mortensen', 'Lene Clausen', 'Gitte Rasmussen']));
    expect(names).not.toContain('Ole Damgaard');
    expect(res.body).toContain('<a href="tel:+4574928112">74 92 81 12</a>');
    expect(res.body).toContain('<a href="mailto:lecl@toender.dk">lecl@toender.dk</a>');
    expect(res.body).toContain('href="/intranet/personer?bogstav=%C3%98">Ø</a>');
  });

  it('finds a colleague by name, by title, by e-mail address and by the name of their unit', async () => {
    expect(namesOn((await anne.get('/intranet/personer?q=clausen')).body)).toEqual(['Lene Clausen']);
    expect(namesOn((await anne.get('/intranet/personer?q=Bibliotekar')).body)).toEqual(['Karina Vestergaard', 'Ole Damgaard']);
    expect(namesOn((await anne.get('/intranet/personer?q=lecl%40toender')).body)).toEqual(['Lene Clausen']);
    const byUnit = namesOn((await anne.get('/intranet/personer?q=biblioteket')).body);
    expect(byUnit).toEqual(['Karina Vestergaard', 'Ole Damgaard', 'Rikke Sommer']);
    // Each word must match somewhere: the name, and the unit.
    expect(namesOn((await anne.get('/intranet/personer?q=ole+biblioteket')).body)).toEqual(['Ole Damgaard']);
    const none = await anne.get('/intranet/personer?q=findesikke');
    expect(namesOn(none.body)).toEqual([]);
    expect(none.body).toContain('Ingen personer passer til din søgning.');
  });

  it('finds Danish letters whatever their case, also on SQLite, and the letter Ø lists the names that begin with it', async () => {
    const id = await store.insertPerson(t.db, { name: 'Øjvind Ærbø', email: 'oejvind@toender.dk', jobRole: 'employee', leadershipLevel: null, title: 'Vejmand', phone: null });
    await t.db.insertInto('person_units').values({ person_id: id, unit_id: (await unitOf('kultur-og-fritid')).id }).execute();
    expect(namesOn((await anne.get('/intranet/personer?q=%C3%B8jvind')).body)).toEqual(['Øjvind Ærbø']);
    expect(namesOn((await anne.get('/intranet/personer?q=%C3%86RB%C3%98')).body)).toEqual(['Øjvind Ærbø']);
    expect(namesOn((await anne.get('/intranet/personer?bogstav=%C3%98')).body)).toEqual(['Øjvind Ærbø']);
    const u = namesOn((await anne.get('/intranet/personer?bogstav=U')).body);
    expect(u).toEqual(['Ulla Frederiksen']);
  });

  it('filters by unit including its sub-units, and by job role; politicians are listed like everyone else', async () => {
    const school = namesOn((await anne.get('/intranet/personer?enhed=boern-og-skole')).body);
    expect(school).toEqual(expect.arrayContaining(['Jesper Nissen', 'Anne Jensen', 'Signe Toft', 'Emma Jakobsen', 'Karen Lund']));
    expect(school).not.toContain('Ole Damgaard');
    expect(namesOn((await anne.get('/intranet/personer?enhed=boern-og-skole&q=p%C3%A6dagog')).body)).toEqual(['Emma Jakobsen', 'Julie Brodersen', 'Ulla Frederiksen']);

    const politicians = namesOn((await anne.get('/intranet/personer?rolle=politician')).body);
    expect(politicians.sort()).toEqual(['Birthe Kjærgaard', 'Hans Christensen', 'Niels Ravnsbæk']);
    const managersInSchool = namesOn((await anne.get('/intranet/personer?rolle=manager&enhed=toender-distriktsskole')).body);
    expect(managersInSchool).toEqual(['Morten Iversen']);
    expect(namesOn((await anne.get('/intranet/personer?q=christensen')).body)).toEqual(['Hans Christensen']);
  });

  it('a person’s card shows title, role, units, phone, e-mail, their groups by name and who leads their unit', async () => {
    const res = await anne.get(`/intranet/personer/${await personId(DEMO.employee)}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Anne Jensen<span class="mh-subtitle">Dagplejer</span></h1>');
    expect(res.body).toContain('<dt>Rolle</dt><dd>Medarbejder</dd>');
    expect(res.body).toContain('<a href="/intranet/enheder/dagplejen">Dagplejen</a>');
    expect(res.body).toContain(`<a href="/intranet/personer/${await personId('bimo@toender.dk')}">Birgitte Mortensen</a>`);
    expect(res.body).toContain('<a href="mailto:medarbejder@demo.mediehus.dk">');

    const line = (await anne.get(`/intranet/personer/${await personId(DEMO.intranet)}`)).body;
    expect(line).toContain('<h2 class="h3">Grupper</h2>');
    expect(line).toContain('<li>Redaktørgruppen for intranettet</li>');
    expect(line).toContain('<li>Redaktørgruppen for apps</li>');
    // Sekretariat, IT og HR is led by Mette Sørensen.
    expect(line).toContain('>Mette Sørensen</a>');

    const birgitte = (await anne.get(`/intranet/personer/${await personId('bimo@toender.dk')}`)).body;
    expect(birgitte).toContain('<dt>Rolle</dt><dd>Leder (leder af medarbejdere)</dd>');
    expect(birgitte).toContain('<dt>Leder af</dt>');
    // She heads Dagplejen herself, so her own leader is the head above: Jesper Nissen of Børn og Skole.
    expect(birgitte).toContain('>Jesper Nissen</a> (leder af Børn og Skole)');
    expect(birgitte).toContain('<a href="tel:+4574928101">74 92 81 01</a>');
  });

  it('an unknown or disabled person is not found, and a disabled person is in no list', async () => {
    expect((await anne.get(`/intranet/personer/${newId()}`)).statusCode).toBe(404);
    const id = await personId('gira@toender.dk');
    expect(namesOn((await anne.get('/intranet/personer')).body)).toContain('Gitte Rasmussen');
    await store.setPersonActive(t.db, id, false);
    expect((await anne.get(`/intranet/personer/${id}`)).statusCode).toBe(404);
    expect(namesOn((await anne.get('/intranet/personer')).body)).not.toContain('Gitte Rasmussen');
    expect(namesOn((await anne.get('/intranet/personer?q=rasmussen')).body)).toEqual([]);
    expect(namesOn((await anne.get('/intranet/personer?bogstav=G')).body)).not.toContain('Gitte Rasmussen');
    expect(namesOn((await anne.get('/intranet/enheder/dagplejen')).body)).not.toContain('Gitte Rasmussen');
    await store.setPersonActive(t.db, id, true);

    // When Dagplejen's head leaves, Anne's leader is the nearest head above who is still here, and the unit names none.
    const birgitte = await personId('bimo@toender.dk');
    await store.setPersonActive(t.db, birgitte, false);
    const card = (await anne.get(`/intranet/personer/${await personId(DEMO.employee)}`)).body;
    expect(card).not.toContain('Birgitte Mortensen');
    expect(card).toContain('>Jesper Nissen</a> (leder af Børn og Skole)');
    expect((await anne.get('/intranet/enheder/dagplejen')).body).not.toContain('<dt>Leder</dt>');
    await store.setPersonActive(t.db, birgitte, true);
  });

  it('the organisation is shown as a tree of links to the units', async () => {
    const res = await anne.get('/intranet/enheder');
    expect(res.statusCode).toBe(200);
    const boern = res.body.indexOf('href="/intranet/enheder/boern-og-skole"');
    const dagplejen = res.body.indexOf('href="/intranet/enheder/dagplejen"');
    expect(boern).toBeGreaterThan(0);
    // Dagplejen sits in a nested list below Børn og Skole.
    expect(res.body.slice(boern, dagplejen)).toContain('<ul class="mh-tree">');
  });

  it('a unit page shows its description, contact details, today’s opening status, its head, its sub-units and its people', async () => {
    const res = await anne.get('/intranet/enheder/biblioteket');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Tønder Bibliotek med filialer i Toftlund, Skærbæk og Bredebro.');
    expect(res.body).toContain('Wegners Plads 6, 6270 Tønder');
    expect(res.body).toContain('<a href="tel:+4574928900">74 92 89 00</a>');
    expect(res.body).toContain('<a href="mailto:bibliotek@toender.dk">bibliotek@toender.dk</a>');
    expect(res.body).toMatch(/<p class="mh-contact-status">(Åbent|Lukket) [^<]+<\/p>/);
    expect(res.body).toMatch(/<dt>Leder<\/dt><dd><a href="\/intranet\/personer\/[^"]+">Rikke Sommer<\/a>, Biblioteksleder<\/dd>/);
    expect(res.body).toContain('<dt>Hører under</dt><dd><a href="/intranet/enheder/kultur-og-fritid">Kultur og Fritid</a></dd>');
    expect(namesOn(res.body)).toEqual(['Karina Vestergaard', 'Ole Damgaard', 'Rikke Sommer']);

    const kultur = await anne.get('/intranet/enheder/kultur-og-fritid');
    expect(kultur.body).toContain('<h2>Underenheder</h2>');
    expect(kultur.body).toContain('<li><a href="/intranet/enheder/biblioteket">Biblioteket</a></li>');
    // A unit without opening hours shows no status line.
    expect(kultur.body).not.toContain('mh-contact-status');
  });

  it('a disabled or unknown unit is not found and leaves the tree', async () => {
    expect((await anne.get('/intranet/enheder/findes-ikke')).statusCode).toBe(404);
    const regnbuen = await unitOf('boernehuset-regnbuen');
    await store.setUnitActive(t.db, regnbuen.id, false);
    expect((await anne.get('/intranet/enheder/boernehuset-regnbuen')).statusCode).toBe(404);
    expect((await anne.get('/intranet/enheder')).body).not.toContain('Børnehuset Regnbuen');
    await store.setUnitActive(t.db, regnbuen.id, true);
  });

  it('a unit’s people are paged 25 at a time', async () => {
    const unit = await unitOf('borgerservice');
    const before = (await store.listPeople(t.db, { unitId: unit.id, limit: 1, offset: 0 })).total;
    await t.db.transaction().execute(async (tx) => {
      for (let i = 1; i <= 30; i++) {
        const id = await store.insertPerson(tx, { name: `Sagsbehandler ${String(i).padStart(2, '0')}`, email: `sb${i}@toender.dk`, jobRole: 'employee', leadershipLevel: null, title: 'Sagsbehandler', phone: null });
        await store.setPersonUnits(tx, id, [unit.id]);
      }
    });
    const total = before + 30;
    const first = await anne.get('/intranet/enheder/borgerservice');
    expect(first.body).toContain(`Viser 1–25 af ${total} personer.`);
    expect(namesOn(first.body)).toHaveLength(25);
    expect(first.body).toContain('href="/intranet/enheder/borgerservice?side=2#personer"');
    const second = await anne.get('/intranet/enheder/borgerservice?side=2');
    expect(second.body).toContain(`Viser 26–${total} af ${total} personer.`);
    expect(namesOn(second.body)).toHaveLength(total - 25);
    const search = await anne.get('/intranet/personer?q=sagsbehandler&side=2');
    expect(search.body).toContain('href="/intranet/personer?q=sagsbehandler"');
  });

  it('with 20,000 people a search reads one page of them and counts the rest in the database', async () => {
    const now = nowIso();
    const unit = await unitOf('toender-kommune');
    const rows = Array.from({ length: 20_000 }, (_, i) => ({
      id: newId(),
      name: `Medarbejder ${String(i).padStart(5, '0')}`,
      email: `m${i}@stor.toender.dk`,
      job_role: 'employee',
      leadership_level: null,
      title: i % 2 ? 'Sosu-hjælper' : 'Pædagogmedhjælper',
      phone: null,
      active: 1,
      password_hash: null,
      external_id: null,
      failed_signins: 0,
      locked_until: null,
      created_at: now,
      updated_at: now,
    }));
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      await t.db.insertInto('people').values(chunk).execute();
      await t.db.insertInto('person_units').values(chunk.map((p) => ({ person_id: p.id, unit_id: unit.id }))).execute();
    }
    // A bulk load is followed by the statistics a running database keeps up by itself (autovacuum), so the planner sees 20,000 rows.
    await sql`analyze`.execute(t.db);
    const started = Date.now();
    const res = await anne.get('/intranet/personer?q=sosu&enhed=toender-kommune&side=3');
    const took = Date.now() - started;
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Viser 51–75 af 10000 personer.');
    expect(namesOn(res.body)).toEqual(Array.from({ length: 25 }, (_, i) => `Medarbejder ${String(101 + 2 * i).padStart(5, '0')}`));
    const letter = await anne.get('/intranet/personer?bogstav=M');
    expect(namesOn(letter.body)).toHaveLength(25);
    // Generous, for slow machines: loading and sorting every person in the application takes far longer.
    expect(took).toBeLessThan(3000);
  });
});
