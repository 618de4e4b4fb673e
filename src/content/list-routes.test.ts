import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { dialects } from '../../test/support/databases.ts';
import type { Actor } from '../org/actor.ts';
import { createItem, saveItem, transition } from './service.ts';
import * as store from './store.ts';

const intranetEveryone = { channel: 'intranet', everyone: true, roles: [], unitIds: [], groupIds: [] };

/** The rows of the first table on a page, as text without tags. */
function rowTitles(html: string): string[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<th scope="row"><a [^>]*>([^<]*)<\/a>/g)].map((m) => m[1]!);
}

/** The titles in the table of one section of "Mine opgaver". */
function sectionTitles(html: string, id: string): string[] {
  const section = new RegExp(`<section aria-labelledby="${id}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';
  return rowTitles(section);
}

describe.each(dialects)('the content list, tasks and history (%s)', (dialect) => {
  let t: TestApp;
  let web: Actor, intra: Actor, school: Actor, social: Actor;
  let kom: string, bibliotek: string, skole: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const as = (email: string) => actorByEmail(t.db, email);
    [web, intra, school, social] = [await as(DEMO.web), await as(DEMO.intranet), await as(DEMO.school), await as(DEMO.social)];
    [kom, bibliotek, skole] = [await unitId(t.db, 'kommunikation'), await unitId(t.db, 'biblioteket'), await unitId(t.db, 'toender-distriktsskole')];
  });
  afterAll(async () => t?.close());

  const signedIn = async (email: string) => {
    const b = new Browser(t.app);
    await b.signIn(email);
    return b;
  };
  const create = async (actor: Actor, title: string, overrides: Record<string, unknown> = {}, type = 'news') =>
    (await createItem(t.db, actor, type, newsInput(kom, { title, ...overrides }))).id;

  it('filters by type, state, owner unit, channel and free text each narrow the list', async () => {
    await create(web, 'Filtertest nyhed');
    await create(web, 'Filtertest arrangement', { fields: { startsAt: '2027-01-10T10:00', endsAt: '2027-01-10T12:00', place: 'Rådhuset' } }, 'event');
    const inReview = await create(web, 'Filtertest til godkendelse');
    await transition(t.db, web, inReview, 'submit');
    await create(web, 'Filtertest fra biblioteket', { ownerUnitId: bibliotek });
    await create(intra, 'Filtertest på intranettet', { placements: [intranetEveryone] });
    await create(web, 'Filtertest med et sjældent ord', { body: 'Her står ordet fuglekasseværksted.' });

    const owner = await signedIn(DEMO.owner);
    const list = async (query: string) => rowTitles((await owner.get(`/admin/indhold?q=filtertest&${query}`)).body);
    expect(await list('')).toHaveLength(6);
    expect(await list('type=event')).toEqual(['Filtertest arrangement']);
    expect(await list('tilstand=in_review')).toEqual(['Filtertest til godkendelse']);
    expect(await list(`enhed=${bibliotek}`)).toEqual(['Filtertest fra biblioteket']);
    expect(await list('kanal=intranet')).toEqual(['Filtertest på intranettet']);
    expect(rowTitles((await owner.get('/admin/indhold?q=FUGLEKASSE')).body)).toEqual(['Filtertest med et sjældent ord']);
    // A value that is not one of the choices is ignored rather than matching nothing.
    expect(await list('type=ukendt')).toHaveLength(6);
  });

  it('the list pages 25 at a time, newest change first, with real links between pages', async () => {
    const ids: string[] = [];
    for (let n = 1; n <= 30; n++) ids.push(await create(web, `Sidetest ${String(n).padStart(2, '0')}`));
    await saveItem(t.db, web, ids[0]!, newsInput(kom, { title: 'Sidetest 01 rettet' }), { baseRevision: 1, changeNote: 'Rettet', major: false });

    const b = await signedIn(DEMO.web);
    const first = await b.get('/admin/indhold?q=sidetest');
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Viser 1–25 af 30');
    const page1 = rowTitles(first.body);
    expect(page1).toHaveLength(25);
    expect(page1[0]).toBe('Sidetest 01 rettet');
    expect(first.body).toContain('href="/admin/indhold?q=sidetest&amp;side=2"');

    const second = await b.get('/admin/indhold?q=sidetest&side=2');
    expect(second.body).toContain('Viser 26–30 af 30');
    const page2 = rowTitles(second.body);
    expect(page2).toHaveLength(5);
    expect(new Set([...page1, ...page2]).size).toBe(30);
    expect(second.body).toContain('aria-current="page">2<');
  });

  it('a live item with a newer draft says its changes are not published, and an emergency publication is marked "Ikke gennemset"', async () => {
    const id = await create(web, 'Statusmærker i listen');
    await transition(t.db, web, id, 'emergency_publish', { reason: 'Vandforsyningen er afbrudt.' });
    await saveItem(t.db, web, id, newsInput(kom, { title: 'Statusmærker i listen' }), { baseRevision: 1, changeNote: '', major: false });
    const html = (await (await signedIn(DEMO.web)).get('/admin/indhold?q=statusm%C3%A6rker')).body;
    expect(html).toContain('Udgivet – ændringer ikke udgivet');
    expect(html).toContain('Ikke gennemset');
    expect(html).toContain('Jonas Holm');
  });

  it('a subsite editor sees only their subsite’s items and items placed nowhere', async () => {
    await create(school, 'Synlighed: skolens nyhed', { ownerUnitId: skole, placements: [{ channel: 'subsite', unitId: skole }] });
    await create(school, 'Synlighed: ikke placeret endnu', { ownerUnitId: skole, placements: [] });
    await create(web, 'Synlighed: hjemmesidens nyhed');
    await create(social, 'Synlighed: opslag på Facebook', { placements: [{ channel: 'social', accountId: 'facebook', text: 'Hej' }] });

    const seen = rowTitles((await (await signedIn(DEMO.school)).get('/admin/indhold?q=synlighed')).body).sort();
    expect(seen).toEqual(['Synlighed: ikke placeret endnu', 'Synlighed: skolens nyhed']);
    const ownerSees = rowTitles((await (await signedIn(DEMO.owner)).get('/admin/indhold?q=synlighed')).body);
    expect(ownerSees).toHaveLength(4);
    // The subsite editor is offered their own channel only.
    const filterForm = (await (await signedIn(DEMO.school)).get('/admin/indhold')).body;
    expect(filterForm).toContain(`value="subsite:${skole}"`);
    expect(filterForm).not.toContain('value="website"');
  });

  it('"Mine opgaver" shows a submitted item to another editor for review but not to its author', async () => {
    const id = await create(web, 'Opgave: til godkendelse');
    await transition(t.db, web, id, 'submit');
    await create(web, 'Opgave: min kladde');

    const author = (await (await signedIn(DEMO.web)).get('/admin/opgaver')).body;
    expect(sectionTitles(author, 'godkendelse')).not.toContain('Opgave: til godkendelse');
    expect(sectionTitles(author, 'kladder')).toContain('Opgave: min kladde');

    const reviewer = await signedIn(DEMO.intranet);
    const tasks = (await reviewer.get('/admin/opgaver')).body;
    expect(sectionTitles(tasks, 'godkendelse')).toContain('Opgave: til godkendelse');
    expect(sectionTitles(tasks, 'kladder')).not.toContain('Opgave: min kladde');
    expect(tasks).toMatch(/Venter på din godkendelse \(\d+\)/);

    // Someone who may not publish on the website is not asked to approve.
    expect(sectionTitles((await (await signedIn(DEMO.social)).get('/admin/opgaver')).body, 'godkendelse')).not.toContain('Opgave: til godkendelse');

    const dashboard = (await reviewer.get('/admin')).body;
    expect(dashboard).toMatch(/href="\/admin\/opgaver#godkendelse">Venter på din godkendelse: [1-9]/);
  });

  it('"Mine opgaver" lists planned publications, outdated items and emergency publications for the right people', async () => {
    const planned = await create(web, 'Opgave: planlagt');
    await transition(t.db, web, planned, 'submit');
    await transition(t.db, intra, planned, 'approve');
    await transition(t.db, intra, planned, 'schedule', { at: `${new Date().getFullYear() + 1}-01-15T09:00` });
    await create(web, 'Opgave: forfalden', { reviewBy: '2020-01-01' });
    const urgent = await create(web, 'Opgave: hasteudgivet');
    await transition(t.db, web, urgent, 'emergency_publish', { reason: 'Storm' });

    const intraTasks = (await (await signedIn(DEMO.intranet)).get('/admin/opgaver')).body;
    expect(sectionTitles(intraTasks, 'planlagt')).toContain('Opgave: planlagt');
    expect(sectionTitles(intraTasks, 'forfaldent')).toContain('Opgave: forfalden');
    expect(sectionTitles(intraTasks, 'ikke-gennemset')).toContain('Opgave: hasteudgivet');
    // The emergency publisher cannot clear the mark, so it is not their task.
    expect(sectionTitles((await (await signedIn(DEMO.web)).get('/admin/opgaver')).body, 'ikke-gennemset')).not.toContain('Opgave: hasteudgivet');
    // A subsite editor sees nothing of the website's plans.
    const schoolTasks = (await (await signedIn(DEMO.school)).get('/admin/opgaver')).body;
    expect(sectionTitles(schoolTasks, 'planlagt')).not.toContain('Opgave: planlagt');
    expect(schoolTasks).toContain('Intet venter på din godkendelse.');
  });

  it('the history lists revisions and the diff marks an inserted word and a removed word', async () => {
    const id = await create(web, 'Ny genbrugsplads åbner i Toftlund');
    await saveItem(t.db, intra, id, newsInput(kom, { title: 'Ny genbrugsplads lukker i Toftlund', body: 'Den nye genbrugsplads ligger på Industrivej 4.\n\nDer er åbent alle hverdage.' }), { baseRevision: 1, changeNote: 'Rettet åbningstid', major: true });

    const b = await signedIn(DEMO.web);
    const history = await b.get(`/admin/indhold/${id}/historik`);
    expect(history.statusCode).toBe(200);
    expect(history.body).toContain('Versioner (2)');
    expect(history.body).toContain('Rettet åbningstid');
    expect(history.body).toContain('Line Kjær');
    expect(history.body).toContain('Jonas Holm');
    expect(history.body).toContain('Gendan version 1');

    const diff = await b.get(`/admin/indhold/${id}/sammenlign?fra=1&til=2`);
    expect(diff.statusCode).toBe(200);
    expect(diff.body).toContain('<del class="mh-diff-del"><span class="sr-only">[Fjernet: </span>åbner<span class="sr-only">]</span></del>');
    expect(diff.body).toContain('<ins class="mh-diff-ins"><span class="sr-only">[Tilføjet: </span>lukker<span class="sr-only">]</span></ins>');
    expect(diff.body).toMatch(/<del class="mh-diff-del">[^]*?ugens dage/);
    expect(diff.body).toMatch(/<ins class="mh-diff-ins">[^]*?hverdage/);
    expect(diff.body).toContain('Uændret: Resumé');
    expect((await b.get(`/admin/indhold/${id}/sammenlign?fra=1&til=9`)).statusCode).toBe(404);
  });

  it('restoring creates a new revision with the old content and goes back to the item', async () => {
    const id = await create(web, 'Gendan: første udgave');
    await saveItem(t.db, web, id, newsInput(kom, { title: 'Gendan: anden udgave' }), { baseRevision: 1, changeNote: '', major: false });
    const b = await signedIn(DEMO.web);
    await b.get(`/admin/indhold/${id}/historik`);
    const res = await b.post(`/admin/indhold/${id}/gendan/1`, { baseRevision: '2' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/admin/indhold/${id}?gemt=1`);
    expect((await store.revisionsOf(t.db, id)).map((r) => [r.number, r.change_note])).toEqual([
      [3, 'Gendannet fra version 1'],
      [2, ''],
      [1, 'Oprettet'],
    ]);
    expect((await store.findItem(t.db, id))!.title).toBe('Gendan: første udgave');

    // Restoring from a page that was open before someone else saved is refused, with the history shown again.
    const stale = await b.post(`/admin/indhold/${id}/gendan/2`, { baseRevision: '2' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Versionen blev ikke gendannet');
    expect((await store.findItem(t.db, id))!.latest_revision).toBe(3);
  });

  it('a person without rights is refused restore (403) and the history', async () => {
    const id = await create(web, 'Gendan: kun for hjemmesidens redaktører');
    await saveItem(t.db, web, id, newsInput(kom, { title: 'Gendan: ændret' }), { baseRevision: 1, changeNote: '', major: false });
    const b = await signedIn(DEMO.social);
    expect((await b.get(`/admin/indhold/${id}/historik`)).statusCode).toBe(403);
    expect((await b.get(`/admin/indhold/${id}/sammenlign?fra=1&til=2`)).statusCode).toBe(403);
    await b.get('/admin/opgaver');
    const res = await b.post(`/admin/indhold/${id}/gendan/1`, { baseRevision: '2' });
    expect(res.statusCode).toBe(403);
    expect((await store.findItem(t.db, id))!.latest_revision).toBe(2);

    // The platform owner reads every history but may not restore where they cannot edit.
    const owner = await signedIn(DEMO.owner);
    const history = await owner.get(`/admin/indhold/${id}/historik`);
    expect(history.statusCode).toBe(200);
    expect(history.body).not.toContain('Gendan version 1');
    expect((await owner.post(`/admin/indhold/${id}/gendan/1`, { baseRevision: '2' })).statusCode).toBe(403);

    // Someone outside the editors never reaches the screens.
    const employee = await signedIn(DEMO.employee);
    expect((await employee.get('/admin/indhold')).statusCode).toBe(403);
  });
});
