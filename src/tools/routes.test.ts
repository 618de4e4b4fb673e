import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { unitId } from '../../test/support/content.ts';
import { dialects } from '../../test/support/databases.ts';
import { viewerOf } from '../intranet/audience.ts';
import { findPersonRowByEmail } from '../org/store.ts';
import { newId } from '../platform/ids.ts';
import { toolsForHome } from './queries.ts';

/** The tool names on "Dine værktøjer", in order, with the section each stands in. */
function toolsOn(html: string): { section: string; name: string }[] {
  const out: { section: string; name: string }[] = [];
  let section = '';
  for (const m of html.matchAll(/<h2 id="h-[^"]+">([^<]+)<\/h2>|<h3 class="h4 mh-listing-title"><a href="[^"]+" rel="noopener">([^<]+)<\/a>/g)) {
    if (m[1]) section = m[1];
    else out.push({ section, name: m[2]!.replace(/&amp;/g, '&') });
  }
  return out;
}
const names = (html: string) => toolsOn(html).map((t) => t.name);

/** A complete tool form as a browser sends it. */
const toolForm = (changes: Record<string, string | string[]> = {}) => ({
  name: 'Vikarbanken',
  url: 'https://vikar.toender.dk/',
  description: 'Bestil en vikar.',
  topic: 'Børn og skole',
  otherTopic: '',
  everyone: '',
  roles: [],
  unitIds: [],
  ...changes,
});

describe.each(dialects)('the tool directory (%s)', (dialect) => {
  let t: TestApp;
  let anne: Browser;
  let peter: Browser;
  let line: Browser;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    anne = new Browser(t.app);
    await anne.signIn(DEMO.employee);
    peter = new Browser(t.app);
    await peter.signIn(DEMO.manager);
    line = new Browser(t.app);
    await line.signIn(DEMO.intranet);
  });
  afterAll(async () => t.close());

  const toolId = async (name: string) => (await t.db.selectFrom('tools').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  const toolCount = async () => Number((await t.db.selectFrom('tools').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const viewer = async (email: string) => viewerOf(t.db, (await findPersonRowByEmail(t.db, email))!.id);

  it('each reader sees the tools for everyone, their role and their units, grouped by topic, with their pins first', async () => {
    const mine = await anne.get('/intranet/vaerktoejer');
    expect(mine.statusCode).toBe(200);
    const tools = toolsOn(mine.body);
    // Anne has pinned two in the demo, in this order.
    expect(tools.slice(0, 2)).toEqual([
      { section: 'Fastgjorte', name: 'Dagplejens vagtplan' },
      { section: 'Fastgjorte', name: 'Medarbejderportalen (Silkeborg Data)' },
    ]);
    expect(tools).toContainEqual({ section: 'Mail og kalender', name: 'Outlook på nettet' });
    expect(tools).toContainEqual({ section: 'Arbejdsmiljø', name: 'Meld en arbejdsulykke (EASY)' });
    for (const other of ['Aula', 'LIS – ledelsesinformation', 'Cicero', 'Byrådets dagsordener']) expect(names(mine.body)).not.toContain(other);
    expect(mine.body).toContain('<a href="https://outlook.office.com/mail/" rel="noopener">Outlook på nettet</a>');
    expect(mine.body).not.toContain('Rediger værktøjer');

    const manager = names((await peter.get('/intranet/vaerktoejer')).body);
    expect(manager).toEqual(expect.arrayContaining(['LIS – ledelsesinformation', 'Rekruttering (Emply)', 'Outlook på nettet', 'Byrådets dagsordener']));
    for (const other of ['Dagplejens vagtplan', 'Aula']) expect(manager).not.toContain(other);

    const school = new Browser(t.app);
    await school.signIn(DEMO.school);
    const teacher = names((await school.get('/intranet/vaerktoejer')).body);
    expect(teacher).toEqual(expect.arrayContaining(['Aula', 'MinUddannelse']));
    expect(teacher).not.toContain('LIS – ledelsesinformation');
  });

  it('a reader pins a tool, which then stands last among their pins, and unpins it again', async () => {
    const outlook = await toolId('Outlook på nettet');
    await anne.get('/intranet/vaerktoejer');
    const pinned = await anne.post(`/intranet/vaerktoejer/${outlook}/fastgoer`);
    expect(pinned.statusCode).toBe(303);
    expect(pinned.headers.location).toBe('/intranet/vaerktoejer?fastgjort=1');
    const after = await anne.get('/intranet/vaerktoejer?fastgjort=1');
    expect(after.body).toContain('Værktøjet er fastgjort øverst på din liste.');
    expect(toolsOn(after.body).filter((x) => x.section === 'Fastgjorte').map((x) => x.name)).toEqual(['Dagplejens vagtplan', 'Medarbejderportalen (Silkeborg Data)', 'Outlook på nettet']);
    // Pinned once, listed once.
    expect(names(after.body).filter((n) => n === 'Outlook på nettet')).toHaveLength(1);
    expect(after.body).toContain(`action="/intranet/vaerktoejer/${outlook}/frigoer"`);

    expect((await anne.post(`/intranet/vaerktoejer/${outlook}/frigoer`)).statusCode).toBe(303);
    const again = await anne.get('/intranet/vaerktoejer');
    expect(toolsOn(again.body)).toContainEqual({ section: 'Mail og kalender', name: 'Outlook på nettet' });
    const logged = await t.db.selectFrom('audit_log').select('action').where('object_type', '=', 'tool').where('object_id', '=', outlook).orderBy('seq').execute();
    expect(logged.map((l) => l.action)).toEqual(['tool.created', 'tool.pinned', 'tool.unpinned']);
  });

  it('a tool outside the reader’s audience, or one that does not exist, cannot be pinned: 404 and nothing stored', async () => {
    await anne.get('/intranet/vaerktoejer');
    for (const id of [await toolId('Aula'), await toolId('LIS – ledelsesinformation'), newId()]) {
      expect((await anne.post(`/intranet/vaerktoejer/${id}/fastgoer`)).statusCode).toBe(404);
    }
    const pins = await t.db.selectFrom('tool_pins').innerJoin('tools', 'tools.id', 'tool_pins.tool_id').select('tools.name').where('tool_pins.person_id', '=', (await viewer(DEMO.employee)).personId).execute();
    expect(pins.map((p) => p.name).sort()).toEqual(['Dagplejens vagtplan', 'Medarbejderportalen (Silkeborg Data)']);
  });

  it('the home page gets the pins first, then the tools for the reader’s unit, then role, then everyone', async () => {
    const forAnne = (await toolsForHome(t.db, await viewer(DEMO.employee), 4)).map((x) => x.name);
    expect(forAnne).toEqual(['Dagplejens vagtplan', 'Medarbejderportalen (Silkeborg Data)', 'eDoc – sager og journalisering', 'IT-hjælp (Serviceportal)']);
    const forPeter = (await toolsForHome(t.db, await viewer(DEMO.manager), 3)).map((x) => x.name);
    expect(forPeter).toEqual(['Byrådets dagsordener', 'LIS – ledelsesinformation', 'Rekruttering (Emply)']);
    expect(await toolsForHome(t.db, await viewer(DEMO.manager), 0)).toEqual([]);
  });

  it('the editor pages are refused with 403 to everyone but the intranet editors, before anything is looked up', async () => {
    const aula = await toolId('Aula');
    await anne.get('/intranet/vaerktoejer');
    for (const url of ['/intranet/vaerktoejer/admin', `/intranet/vaerktoejer/admin/${aula}`, `/intranet/vaerktoejer/admin/${newId()}`]) {
      expect((await anne.get(url)).statusCode, url).toBe(403);
    }
    const before = await toolCount();
    expect((await anne.post('/intranet/vaerktoejer/admin', toolForm({ everyone: '1' }))).statusCode).toBe(403);
    expect((await anne.post(`/intranet/vaerktoejer/admin/${aula}`, toolForm({ name: 'Hacket', everyone: '1' }))).statusCode).toBe(403);
    expect((await anne.post(`/intranet/vaerktoejer/admin/${aula}/deaktiver`)).statusCode).toBe(403);
    expect((await peter.post(`/intranet/vaerktoejer/admin/${aula}/deaktiver`)).statusCode).toBe(403);
    expect(await toolCount()).toBe(before);
    expect(await t.db.selectFrom('tools').select(['name', 'active']).where('id', '=', aula).executeTakeFirst()).toEqual({ name: 'Aula', active: 1 });

    const editorPage = await line.get('/intranet/vaerktoejer/admin');
    expect(editorPage.statusCode).toBe(200);
    expect(editorPage.body).toContain(`<a href="/intranet/vaerktoejer/admin/${aula}">Aula</a>`);
    expect(editorPage.body).toContain('<td>Tønder Distriktsskole</td>');
    expect((await line.get(`/intranet/vaerktoejer/admin/${newId()}`)).statusCode).toBe(404);
  });

  it('a tool form with problems is shown again with Danish messages beside the fields, keeping what was typed, and nothing is saved', async () => {
    await line.get('/intranet/vaerktoejer/admin');
    const before = await toolCount();
    const res = await line.post('/intranet/vaerktoejer/admin', toolForm({ name: '', url: 'http://vikar.toender.dk', topic: 'andet', otherTopic: '', description: 'Bestil en vikar <hurtigt>' }));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<a href="#f-name" class="function-link">Skriv værktøjets navn.</a>');
    expect(res.body).toContain('Adressen skal begynde med https://, så forbindelsen er sikker.');
    expect(res.body).toContain('Skriv emnet, når du har valgt &quot;Andet emne&quot;.');
    expect(res.body).toContain('Vælg hvem værktøjet er til: alle, en eller flere roller eller en eller flere enheder.');
    expect(res.body).toContain('value="http://vikar.toender.dk"');
    expect(res.body).toContain('Bestil en vikar &lt;hurtigt&gt;</textarea>');
    expect(res.body).toMatch(/<option value="andet" selected>/);
    expect(await toolCount()).toBe(before);

    const bad = await line.post('/intranet/vaerktoejer/admin', toolForm({ url: 'javascript:alert(1)', everyone: '1' }));
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Adressen skal begynde med https://');
    const gone = await line.post('/intranet/vaerktoejer/admin', toolForm({ unitIds: [newId()] }));
    expect(gone.statusCode).toBe(422);
    expect(gone.body).toContain('En af de valgte enheder findes ikke længere.');
    expect(await toolCount()).toBe(before);
  });

  it('an editor creates a tool for a unit, which reaches its sub-units only, changes its audience, and deactivates it', async () => {
    await line.get('/intranet/vaerktoejer/admin');
    const boern = await unitId(t.db, 'boern-og-skole');
    const created = await line.post('/intranet/vaerktoejer/admin', toolForm({ topic: 'andet', otherTopic: 'Vikarer', unitIds: [boern] }));
    expect(created.statusCode).toBe(303);
    const id = await toolId('Vikarbanken');
    expect(created.headers.location).toBe(`/intranet/vaerktoejer/admin/${id}?oprettet=1`);
    const edit = await line.get(`/intranet/vaerktoejer/admin/${id}?oprettet=1`);
    expect(edit.body).toContain('Værktøjet er oprettet.');
    expect(edit.body).toContain('value="Vikarer"');

    // Dagplejen lies below Børn og Skole; Kultur og Fritid does not.
    expect(toolsOn((await anne.get('/intranet/vaerktoejer')).body)).toContainEqual({ section: 'Vikarer', name: 'Vikarbanken' });
    expect(names((await peter.get('/intranet/vaerktoejer')).body)).not.toContain('Vikarbanken');
    await anne.get('/intranet/vaerktoejer');
    expect((await anne.post(`/intranet/vaerktoejer/${id}/fastgoer`)).statusCode).toBe(303);

    const changed = await line.post(`/intranet/vaerktoejer/admin/${id}`, toolForm({ name: 'Vikarbanken', topic: 'Ledelse og HR', roles: ['manager'] }));
    expect(changed.statusCode).toBe(303);
    expect(names((await peter.get('/intranet/vaerktoejer')).body)).toContain('Vikarbanken');
    // Anne pinned it, but it is no longer meant for her: it is gone from her list and her pins, and she cannot unpin it.
    const anneNow = await anne.get('/intranet/vaerktoejer');
    expect(names(anneNow.body)).not.toContain('Vikarbanken');
    expect((await anne.post(`/intranet/vaerktoejer/${id}/frigoer`)).statusCode).toBe(404);

    await line.get(`/intranet/vaerktoejer/admin/${id}`);
    const off = await line.post(`/intranet/vaerktoejer/admin/${id}/deaktiver`);
    expect(off.headers.location).toBe(`/intranet/vaerktoejer/admin/${id}?deaktiveret=1`);
    expect(names((await peter.get('/intranet/vaerktoejer')).body)).not.toContain('Vikarbanken');
    expect((await line.get('/intranet/vaerktoejer/admin')).body).toMatch(/Vikarbanken<\/a> <span class="badge[^"]*"[^>]*>Deaktiveret/);
    await line.get(`/intranet/vaerktoejer/admin/${id}`);
    await line.post(`/intranet/vaerktoejer/admin/${id}/aktiver`);
    expect(names((await peter.get('/intranet/vaerktoejer')).body)).toContain('Vikarbanken');

    const logged = await t.db.selectFrom('audit_log').select(['action', 'actor_label']).where('object_type', '=', 'tool').where('object_id', '=', id).orderBy('seq').execute();
    expect(logged.map((l) => l.action)).toEqual(['tool.created', 'tool.pinned', 'tool.updated', 'tool.disabled', 'tool.enabled']);
    expect(logged[0]!.actor_label).toBe(DEMO.intranet);
  });
});
