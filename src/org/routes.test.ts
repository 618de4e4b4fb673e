import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';
import type { Database } from '../platform/database.ts';
import { hashPassword } from '../signin/passwords.ts';
import { deriveCapabilities } from './capabilities.ts';
import type { Unit } from './model.ts';
import * as store from './store.ts';
import { localDate } from '../platform/time.ts';

const nextYear = new Date().getFullYear() + 1;

/** The unit form as a browser sends it, from a stored unit with some fields changed. */
const unitForm = (u: Unit, changes: Record<string, string> = {}): Record<string, string> => ({
  name: u.name,
  slug: u.slug,
  kind: u.kind,
  parentId: u.parentId ?? '',
  headId: u.headId ?? '',
  email: u.email ?? '',
  phone: u.phone ?? '',
  address: u.address ?? '',
  description: u.description ?? '',
  ...changes,
});

const emptyUnitForm = { name: '', slug: '', kind: 'department', parentId: '', headId: '', email: '', phone: '', address: '', description: '' };

/** The id at the end of a redirect such as /admin/enheder/<id>?oprettet=1. */
function redirectedId(location: unknown): string {
  const id = /\/([0-9a-f-]{36})(\?|$)/.exec(String(location))?.[1];
  if (!id) throw new Error(`no id in ${String(location)}`);
  return id;
}

/** The first data row of the audit log page. */
const firstLogRow = (html: string): string => /<tbody>\s*<tr>([\s\S]*?)<\/tr>/.exec(html)?.[1] ?? '';

describe.each(dialects)('the organisation admin screens (%s)', (dialect) => {
  let t: TestApp;
  let owner: Browser;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    owner = new Browser(t.app);
    await owner.signIn(DEMO.owner);
  });
  afterAll(async () => t.close());

  const count = async (table: keyof Database): Promise<number> =>
    Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const unit = async (slug: string): Promise<Unit> => {
    const found = await store.findUnitBySlug(t.db, slug);
    if (!found) throw new Error(`no unit ${slug}`);
    return found;
  };
  const personId = async (email: string): Promise<string> => (await store.findPersonRowByEmail(t.db, email))!.id;
  const groupId = async (name: string): Promise<string> => (await store.listGroups(t.db, { includeInactive: true })).find((g) => g.name === name)!.id;
  const capabilitiesOf = async (email: string): Promise<Set<string>> =>
    deriveCapabilities(await store.capabilitySources(t.db, (await store.findPersonRowByEmail(t.db, email))!, localDate()));

  it('the owner creates a unit and sees it in the list', async () => {
    const parent = await unit('boern-og-skole');
    await owner.get('/admin/enheder/ny');
    const res = await owner.post('/admin/enheder/ny', { ...emptyUnitForm, name: 'Ungdomsskolen', slug: 'ungdomsskolen', kind: 'institution', parentId: parent.id, email: 'ungdomsskolen@toender.dk' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/admin\/enheder\/[0-9a-f-]{36}\?oprettet=1$/);

    const page = await owner.get(String(res.headers.location));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('alert-success');
    expect(page.body).toContain('<h1>Ungdomsskolen</h1>');
    expect(page.body).toContain(`<a href="/admin/enheder/${parent.id}">Børn og Skole</a>`);

    const list = await owner.get('/admin/enheder');
    expect(list.body).toContain('>Ungdomsskolen</a>');
    const filtered = await owner.get('/admin/enheder?q=ungdom');
    expect(filtered.body).toContain('Ungdomsskolen');
    // The match is shown in its place, below its ancestors, and nothing unrelated is.
    expect(filtered.body).toContain('Børn og Skole');
    expect(filtered.body).not.toContain('Biblioteket');
  });

  it('the platform owner unit is marked, cannot be disabled, and a disabled unit leaves the list unless asked for', async () => {
    const sih = await unit('sekretariat-it-og-hr');
    const list = await owner.get('/admin/enheder');
    expect(list.body).toMatch(/Sekretariat, IT og HR<\/a>[\s\S]{0,200}Platformsejer/);

    await owner.get(`/admin/enheder/${sih.id}`);
    const refused = await owner.post(`/admin/enheder/${sih.id}/deaktiver`);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Platformsejerens enhed kan ikke deaktiveres.');
    expect((await unit('sekretariat-it-og-hr')).active).toBe(true);

    const dagplejen = await unit('dagplejen');
    expect((await owner.post(`/admin/enheder/${dagplejen.id}/deaktiver`)).statusCode).toBe(303);
    expect((await owner.get('/admin/enheder')).body).not.toContain('>Dagplejen</a>');
    expect((await owner.get('/admin/enheder?deaktiverede=1')).body).toMatch(/>Dagplejen<\/a>[\s\S]{0,200}Deaktiveret/);
    expect((await owner.post(`/admin/enheder/${dagplejen.id}/aktiver`)).statusCode).toBe(303);
    expect((await unit('dagplejen')).active).toBe(true);
  });

  it('creating a unit with an empty name and a taken slug re-renders the form with Danish messages, keeps what was typed and writes nothing', async () => {
    const [units, log] = [await count('units'), await count('audit_log')];
    await owner.get('/admin/enheder/ny');

    const first = await owner.post('/admin/enheder/ny', { ...emptyUnitForm, name: '', slug: 'biblioteket', email: 'ny@toender.dk', description: 'Lån & læs' });
    expect(first.statusCode).toBe(422);
    expect(first.body).toContain('Der er fejl i formularen');
    expect(first.body).toContain('<a href="#f-name" class="function-link">Skriv enhedens navn.</a>');
    expect(first.body).toContain('id="f-name-error"');
    expect(first.body).toContain('<a href="#f-slug" class="function-link">Adressen &quot;biblioteket&quot; bruges allerede af Biblioteket.</a>');
    expect(first.body).toContain('value="biblioteket"');
    expect(first.body).toContain('value="ny@toender.dk"');
    expect(first.body).toContain('Lån &amp; læs</textarea>');

    const second = await owner.post('/admin/enheder/ny', { ...emptyUnitForm, name: 'Nyt bibliotek', slug: 'biblioteket' });
    expect(second.statusCode).toBe(422);
    expect(second.body).toContain('<a href="#f-slug" class="function-link">Adressen &quot;biblioteket&quot; bruges allerede af Biblioteket.</a>');
    expect(second.body).toContain('value="Nyt bibliotek"');

    expect(await count('units')).toBe(units);
    expect(await count('audit_log')).toBe(log);
  });

  it('a unit cannot be moved below its own sub-unit', async () => {
    const boern = await unit('boern-og-skole');
    const regnbuen = await unit('boernehuset-regnbuen');
    const page = await owner.get(`/admin/enheder/${boern.id}`);
    // The form does not offer it…
    expect(page.body).not.toContain(`<option value="${regnbuen.id}"`);
    expect(page.body).toContain('Børnehuset Regnbuen</a>');

    // …and the server refuses it when sent anyway.
    const res = await owner.post(`/admin/enheder/${boern.id}`, unitForm(boern, { parentId: regnbuen.id }));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('En enhed kan ikke ligge under sig selv eller en af sine underenheder.');
    expect((await unit('boern-og-skole')).parentId).toBe(boern.parentId);
  });

  it('the owner edits a unit and the change is shown', async () => {
    const bibliotek = await unit('biblioteket');
    await owner.get(`/admin/enheder/${bibliotek.id}`);
    const res = await owner.post(`/admin/enheder/${bibliotek.id}`, unitForm(bibliotek, { phone: '74 92 89 99' }));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/admin/enheder/${bibliotek.id}?gemt=1`);
    const page = await owner.get(String(res.headers.location));
    expect(page.body).toContain('Ændringerne er gemt.');
    expect(page.body).toContain('value="74 92 89 99"');
  });

  it('weekly hours and an exception are saved and shown', async () => {
    const bibliotek = await unit('biblioteket');
    await owner.get(`/admin/enheder/${bibliotek.id}`);
    const hours = await owner.post(`/admin/enheder/${bibliotek.id}/aabningstider`, {
      'opens-1': '09:00', 'closes-1': '17:00',
      'opens-2': '09:00', 'closes-2': '17:00',
      'opens-7': '12:00', 'closes-7': '16:00',
      // Wednesday to Saturday left empty: closed.
    });
    expect(hours.statusCode).toBe(303);
    expect(await store.weeklyHours(t.db, bibliotek.id)).toEqual([
      { weekday: 1, opens: '09:00', closes: '17:00' },
      { weekday: 2, opens: '09:00', closes: '17:00' },
      { weekday: 7, opens: '12:00', closes: '16:00' },
    ]);
    const page = await owner.get(String(hours.headers.location));
    expect(page.body).toContain('Åbningstiderne er gemt.');
    expect(page.body).toContain('name="opens-7" value="12:00"');
    expect(page.body).toContain('name="opens-3" value=""');

    const wrong = await owner.post(`/admin/enheder/${bibliotek.id}/aabningstider`, { 'opens-1': '09:00', 'closes-1': '17:00', 'opens-2': '18:00', 'closes-2': '10:00' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('<a href="#f-opens-2" class="function-link">Tirsdag: Lukketiden skal være efter åbningstiden.</a>');
    expect(wrong.body).toContain('name="opens-2" value="18:00" aria-invalid="true"');
    expect(await store.weeklyHours(t.db, bibliotek.id)).toHaveLength(3);

    const closedDay = `${nextYear}-06-05`;
    const shortDay = `${nextYear}-05-13`;
    expect((await owner.post(`/admin/enheder/${bibliotek.id}/undtagelser`, { date: closedDay, closed: '1', opens: '', closes: '', note: 'Grundlovsdag' })).statusCode).toBe(303);
    expect((await owner.post(`/admin/enheder/${bibliotek.id}/undtagelser`, { date: shortDay, opens: '10:00', closes: '14:00', note: 'Kort dag' })).statusCode).toBe(303);
    const shown = await owner.get(`/admin/enheder/${bibliotek.id}?undtagelse=1`);
    expect(shown.body).toContain('Undtagelsen er gemt.');
    expect(shown.body).toMatch(new RegExp(`5\\. juni ${nextYear}</th>\\s*<td>Lukket</td>\\s*<td>Grundlovsdag</td>`));
    expect(shown.body).toMatch(/<td>10:00–14:00<\/td>\s*<td>Kort dag<\/td>/);

    const missingTimes = await owner.post(`/admin/enheder/${bibliotek.id}/undtagelser`, { date: `${nextYear}-05-14`, opens: '', closes: '', note: 'Halv dag' });
    expect(missingTimes.statusCode).toBe(422);
    expect(missingTimes.body).toContain('Skriv åbnings- og lukketid, eller markér dagen som lukket.');
    expect(missingTimes.body).toContain('value="Halv dag"');

    const removed = await owner.post(`/admin/enheder/${bibliotek.id}/undtagelser/${shortDay}/slet`);
    expect(removed.statusCode).toBe(303);
    expect((await store.openingExceptions(t.db, bibliotek.id, localDate())).map((e) => e.date)).not.toContain(shortDay);
  });

  it('the unit page lists its people and its sub-units', async () => {
    const kultur = await unit('kultur-og-fritid');
    const page = await owner.get(`/admin/enheder/${kultur.id}`);
    expect(page.body).toMatch(/Peter Hansen<\/a> \(leder af enheden\)/);
    expect(page.body).toContain('Biblioteket</a> (Institution)');
  });

  it('the owner creates a person, edits them, disables them and the disabled person can no longer sign in', async () => {
    const bibliotek = await unit('biblioteket');
    const kultur = await unit('kultur-og-fritid');
    await owner.get('/admin/personer/ny');
    const created = await owner.post('/admin/personer/ny', { name: 'Ida Holm', email: 'Ida.Holm@toender.dk', jobRole: 'employee', leadershipLevel: '', title: 'Bibliotekar', phone: '', unitIds: [bibliotek.id] });
    expect(created.statusCode).toBe(303);
    const id = redirectedId(created.headers.location);
    const page = await owner.get(String(created.headers.location));
    expect(page.body).toContain('<h1>Ida Holm</h1>');
    expect(page.body).toContain('ida.holm@toender.dk');

    const edited = await owner.post(`/admin/personer/${id}`, {
      name: 'Ida Holm',
      email: 'ida.holm@toender.dk',
      jobRole: 'manager',
      leadershipLevel: 'first_line',
      title: 'Biblioteksleder',
      phone: '74 92 89 10',
      unitIds: [bibliotek.id, kultur.id],
    });
    expect(edited.statusCode).toBe(303);
    const person = await store.findPerson(t.db, id);
    expect(person).toMatchObject({ jobRole: 'manager', leadershipLevel: 'first_line', title: 'Biblioteksleder' });
    expect([...person!.unitIds].sort()).toEqual([bibliotek.id, kultur.id].sort());
    expect((await owner.get(`/admin/personer/${id}`)).body).toContain(`unit:${kultur.id}.overview`);

    // People created here sign in with the municipality's login; a password is set directly for the test.
    await store.setPasswordHash(t.db, id, await hashPassword('Bibliotek-2026-adgang'));
    const ida = new Browser(t.app);
    await ida.signIn('ida.holm@toender.dk', 'Bibliotek-2026-adgang');
    expect((await ida.get('/intranet')).statusCode).toBe(200);

    const disabled = await owner.post(`/admin/personer/${id}/deaktiver`);
    expect(disabled.statusCode).toBe(303);
    expect((await owner.get(String(disabled.headers.location))).body).toContain('Deaktiveret');

    // The open session ends at once, and a new sign-in is refused.
    const after = await ida.get('/intranet');
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toMatch(/^\/login/);
    await expect(new Browser(t.app).signIn('ida.holm@toender.dk', 'Bibliotek-2026-adgang')).rejects.toThrow(/failed: 422/);
  });

  it('a manager without a leadership level is refused with a message beside the field', async () => {
    const bibliotek = await unit('biblioteket');
    await owner.get('/admin/personer/ny');
    const res = await owner.post('/admin/personer/ny', { name: 'Ole Ravn', email: 'ole.ravn@toender.dk', jobRole: 'manager', leadershipLevel: '', title: '', phone: '', unitIds: [bibliotek.id] });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<a href="#f-leadershipLevel" class="function-link">En leder skal have et ledelsesniveau.</a>');
    expect(res.body).toMatch(new RegExp(`value="${bibliotek.id}"[^>]*checked`));
  });

  it('a duplicate e-mail is refused with a message naming the e-mail field', async () => {
    const people = await count('people');
    const bibliotek = await unit('biblioteket');
    await owner.get('/admin/personer/ny');
    const res = await owner.post('/admin/personer/ny', { name: 'Jonas Hansen', email: DEMO.web, jobRole: 'employee', leadershipLevel: '', title: '', phone: '', unitIds: [bibliotek.id] });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(`<a href="#f-email" class="function-link">E-mailadressen ${DEMO.web} bruges allerede af Jonas Holm.</a>`);
    expect(res.body).toContain('value="Jonas Hansen"');
    expect(await count('people')).toBe(people);
  });

  it('the people list filters and pages 25 at a time', async () => {
    const dagplejen = await unit('dagplejen');
    const inUnit = (await store.listPeople(t.db, { unitId: dagplejen.id, limit: 1, offset: 0 })).total + 30;
    await t.db.transaction().execute(async (tx) => {
      for (let i = 1; i <= 30; i++) {
        const id = await store.insertPerson(tx, { name: `Dagplejer ${String(i).padStart(2, '0')}`, email: `dagplejer${i}@toender.dk`, jobRole: 'employee', leadershipLevel: null, title: null, phone: null });
        await store.setPersonUnits(tx, id, [dagplejen.id]);
      }
    });
    const first = await owner.get(`/admin/personer?enhed=${dagplejen.id}`);
    expect(first.body).toContain(`Viser 1–25 af ${inUnit} personer.`);
    expect(first.body.match(/<th scope="row">/g)).toHaveLength(25);
    expect(first.body).toContain(`href="/admin/personer?enhed=${dagplejen.id}&amp;side=2"`);
    const second = await owner.get(`/admin/personer?enhed=${dagplejen.id}&side=2`);
    expect(second.body).toContain(`Viser 26–${inUnit} af ${inUnit} personer.`);
    expect(second.body).toContain('aria-current="page">2</a>');

    const search = await owner.get('/admin/personer?q=dagplejer%2007');
    expect(search.body).toContain('Dagplejer 07');
    expect(search.body).not.toContain('Dagplejer 08');
    const politicians = await owner.get('/admin/personer?rolle=politician');
    expect(politicians.body).toContain('Hans Christensen');
    expect(politicians.body).not.toContain('Anne Jensen');
  });

  it('the owner creates an ad hoc group with purpose and end date and adds a member by e-mail, who then holds group:<id>.member', async () => {
    await owner.get('/admin/grupper/ny');
    const endsOn = `${nextYear}-03-31`;
    const created = await owner.post('/admin/grupper/ny', { name: 'Trivselsugen', kind: 'ad_hoc', channel: '', subsiteUnitId: '', purpose: 'Planlægge trivselsugen i dagplejen.', endsOn });
    expect(created.statusCode).toBe(303);
    const id = redirectedId(created.headers.location);
    expect(await store.findGroup(t.db, id)).toMatchObject({ kind: 'ad_hoc', purpose: 'Planlægge trivselsugen i dagplejen.', endsOn });

    const added = await owner.post(`/admin/grupper/${id}/medlemmer`, { email: DEMO.employee, role: 'member' });
    expect(added.statusCode).toBe(303);
    expect(await capabilitiesOf(DEMO.employee)).toContain(`group:${id}.member`);
    const employeeId = await personId(DEMO.employee);
    expect((await owner.get(`/admin/personer/${employeeId}`)).body).toContain(`group:${id}.member`);

    const page = await owner.get(`/admin/grupper/${id}?medlem=1`);
    expect(page.body).toContain('Medlemmet er gemt.');
    expect(page.body).toContain('Anne Jensen');
    const list = await owner.get('/admin/grupper');
    expect(list.body).toMatch(/Trivselsugen<\/a>[\s\S]*?<td>Planlægge trivselsugen i dagplejen\.<\/td>/);

    expect((await owner.post(`/admin/grupper/${id}/medlemmer`, { email: DEMO.employee, role: 'lead' })).statusCode).toBe(303);
    expect((await store.groupMembers(t.db, id))[0]).toMatchObject({ personId: employeeId, role: 'lead' });

    const unknown = await owner.post(`/admin/grupper/${id}/medlemmer`, { email: 'ingen@toender.dk', role: 'member' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('<a href="#f-email" class="function-link">Der findes ingen person med e-mailadressen ingen@toender.dk.</a>');
    expect(unknown.body).toContain('value="ingen@toender.dk"');

    expect((await owner.post(`/admin/grupper/${id}/medlemmer/${employeeId}/slet`)).statusCode).toBe(303);
    expect(await capabilitiesOf(DEMO.employee)).not.toContain(`group:${id}.member`);
  });

  it('an ad hoc group whose end date has passed is shown as expired', async () => {
    await owner.get('/admin/grupper/ny');
    const res = await owner.post('/admin/grupper/ny', { name: 'Valgudvalget 2021', kind: 'ad_hoc', channel: '', subsiteUnitId: '', purpose: 'Kommunalvalget 2021.', endsOn: '2021-12-31' });
    expect(res.statusCode).toBe(303);
    expect((await owner.get('/admin/grupper')).body).toMatch(/Valgudvalget 2021<\/a>\s*<strong class="badge badge-error">Udløbet|Valgudvalget 2021<\/a>\s*<span class="badge badge-error">Udløbet/);
  });

  it('an ad hoc group without an end date is refused', async () => {
    const groups = await count('groups');
    await owner.get('/admin/grupper/ny');
    const res = await owner.post('/admin/grupper/ny', { name: 'Julefrokost', kind: 'ad_hoc', channel: '', subsiteUnitId: '', purpose: 'Planlægge julefrokosten.', endsOn: '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<a href="#f-endsOn" class="function-link">En ad hoc-gruppe skal have en slutdato.</a>');
    expect(res.body).toContain('Planlægge julefrokosten.</textarea>');
    expect(res.body).toContain('value="Julefrokost"');
    expect(await count('groups')).toBe(groups);
  });

  it('a web editor gets 403 on /admin/enheder and on POSTs to it, and nothing changes', async () => {
    const web = new Browser(t.app);
    await web.signIn(DEMO.web);
    expect((await web.get('/admin')).statusCode).toBe(200);
    const bibliotek = await unit('biblioteket');
    const [units, log] = [await count('units'), await count('audit_log')];

    for (const url of ['/admin/enheder', '/admin/enheder/ny', `/admin/enheder/${bibliotek.id}`, '/admin/personer', '/admin/grupper', '/admin/log']) {
      const res = await web.get(url);
      expect(res.statusCode, url).toBe(403);
      expect(res.body).toContain('Du har ikke adgang');
    }
    const posts: [string, Record<string, string>][] = [
      ['/admin/enheder/ny', { ...emptyUnitForm, name: 'Redaktionen', slug: 'redaktionen' }],
      [`/admin/enheder/${bibliotek.id}`, unitForm(bibliotek, { name: 'Webredaktørens bibliotek' })],
      [`/admin/enheder/${bibliotek.id}/deaktiver`, {}],
      [`/admin/enheder/${bibliotek.id}/aabningstider`, {}],
      [`/admin/enheder/${bibliotek.id}/undtagelser`, { date: `${nextYear}-01-02`, closed: '1', note: '' }],
      [`/admin/personer/${await personId(DEMO.owner)}/deaktiver`, {}],
    ];
    for (const [url, form] of posts) {
      const res = await web.post(url, form);
      expect(res.statusCode, url).toBe(403);
      // Refused for want of rights, not for a missing CSRF token.
      expect(res.body, url).toContain('Du har ikke adgang');
    }
    expect(await count('units')).toBe(units);
    expect(await count('audit_log')).toBe(log);
    expect(await unit('biblioteket')).toEqual(bibliotek);
  });

  it('every change appears in /admin/log, newest first, with who did it', async () => {
    const bibliotek = await unit('biblioteket');
    await owner.get('/admin/enheder/ny');
    const changes: [string, () => Promise<{ statusCode: number }>][] = [
      ['Enhed ændret', () => owner.post(`/admin/enheder/${bibliotek.id}`, unitForm(bibliotek, { description: 'Nu med makerspace.' }))],
      ['Åbningstider ændret', () => owner.post(`/admin/enheder/${bibliotek.id}/aabningstider`, { 'opens-1': '10:00', 'closes-1': '18:00' })],
      ['Undtagelse i åbningstider gemt', () => owner.post(`/admin/enheder/${bibliotek.id}/undtagelser`, { date: `${nextYear}-12-24`, closed: '1', note: 'Juleaftensdag' })],
      ['Undtagelse i åbningstider slettet', () => owner.post(`/admin/enheder/${bibliotek.id}/undtagelser/${nextYear}-12-24/slet`)],
      ['Enhed oprettet', () => owner.post('/admin/enheder/ny', { ...emptyUnitForm, name: 'Musikskolen', slug: 'musikskolen', kind: 'institution', parentId: bibliotek.parentId! })],
      ['Enhed deaktiveret', async () => owner.post(`/admin/enheder/${(await unit('musikskolen')).id}/deaktiver`)],
      ['Enhed aktiveret', async () => owner.post(`/admin/enheder/${(await unit('musikskolen')).id}/aktiver`)],
      ['Person oprettet', () => owner.post('/admin/personer/ny', { name: 'Sara Lind', email: 'sara.lind@toender.dk', jobRole: 'employee', leadershipLevel: '', title: '', phone: '', unitIds: [bibliotek.id] })],
      ['Person ændret', async () => owner.post(`/admin/personer/${await personId('sara.lind@toender.dk')}`, { name: 'Sara Lind', email: 'sara.lind@toender.dk', jobRole: 'employee', leadershipLevel: '', title: 'Musiklærer', phone: '', unitIds: [bibliotek.id] })],
      ['Person deaktiveret', async () => owner.post(`/admin/personer/${await personId('sara.lind@toender.dk')}/deaktiver`)],
      ['Person aktiveret', async () => owner.post(`/admin/personer/${await personId('sara.lind@toender.dk')}/aktiver`)],
      ['Gruppe oprettet', () => owner.post('/admin/grupper/ny', { name: 'Musikfestival', kind: 'ad_hoc', channel: '', subsiteUnitId: '', purpose: 'Festival for musikskolerne.', endsOn: `${nextYear}-08-31` })],
      ['Medlem tilføjet eller ændret', async () => owner.post(`/admin/grupper/${await groupId('Musikfestival')}/medlemmer`, { email: 'sara.lind@toender.dk', role: 'lead' })],
      ['Medlem fjernet', async () => owner.post(`/admin/grupper/${await groupId('Musikfestival')}/medlemmer/${await personId('sara.lind@toender.dk')}/slet`)],
      ['Gruppe ændret', async () => owner.post(`/admin/grupper/${await groupId('Musikfestival')}`, { name: 'Musikfestivalen', kind: 'ad_hoc', channel: '', subsiteUnitId: '', purpose: 'Festival for musikskolerne.', endsOn: `${nextYear}-08-31` })],
      ['Gruppe deaktiveret', async () => owner.post(`/admin/grupper/${await groupId('Musikfestivalen')}/deaktiver`)],
      ['Gruppe aktiveret', async () => owner.post(`/admin/grupper/${await groupId('Musikfestivalen')}/aktiver`)],
    ];
    for (const [label, change] of changes) {
      const before = await count('audit_log');
      expect((await change()).statusCode, label).toBe(303);
      expect(await count('audit_log'), label).toBe(before + 1);
      const row = firstLogRow((await owner.get('/admin/log')).body);
      expect(row, label).toContain(`<td>${label} <code`);
      expect(row, label).toContain(`<td>${DEMO.owner}</td>`);
    }

    const units = await owner.get('/admin/log?type=unit');
    expect(units.body).toContain(`<a href="/admin/enheder/${bibliotek.id}">Biblioteket</a>`);
    expect(units.body).not.toContain('Gruppe oprettet');
    const groups = await owner.get('/admin/log?type=group');
    expect(groups.body).toContain('Musikfestivalen</a>');
    expect(groups.body).not.toContain('Enhed oprettet');
  });

  it('a POST without the CSRF token is refused with 403 and changes nothing', async () => {
    const bibliotek = await unit('biblioteket');
    const [units, log] = [await count('units'), await count('audit_log')];
    await owner.get('/admin/enheder/ny');
    for (const csrf of [null, 'forkert-token']) {
      const created = await owner.post('/admin/enheder/ny', { ...emptyUnitForm, name: 'Uden token', slug: 'uden-token' }, { csrf });
      expect(created.statusCode).toBe(403);
      expect(created.body).toContain('Formularen er udløbet');
      const disabled = await owner.post(`/admin/enheder/${bibliotek.id}/deaktiver`, {}, { csrf });
      expect(disabled.statusCode).toBe(403);
    }
    expect(await count('units')).toBe(units);
    expect(await count('audit_log')).toBe(log);
    expect((await unit('biblioteket')).active).toBe(true);
  });

});
