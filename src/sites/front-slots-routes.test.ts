import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { dialects } from '../../test/support/databases.ts';
import { createItem, transition } from '../content/service.ts';
import * as org from '../org/store.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { bumpSiteGeneration } from '../site/generation.ts';
import { hashPassword } from '../signin/passwords.ts';
import { MAIN } from './front-slots-service.ts';
import { rewriteSlots, slotsOf } from './front-slots-store.ts';
import { insertSite, siteOfUnit, updateSite } from './store.ts';

/** The demo's main front page, as the demo seed fills it. */
const DEMO_SLOTS = ['Flytning', 'Ny genbrugsplads åbner i Toftlund', 'Få gratis vaccine mod influenza', 'Borgermøde om cykelstier', 'Skolestart', 'Affald'];

describe.each(dialects)('the front page slots (%s)', (dialect) => {
  let t: TestApp;
  let demoSlots: string[];

  beforeAll(async () => {
    t = await createTestApp(dialect);
    demoSlots = (await slotsOf(t.db, MAIN)).map((s) => s.itemId);
  });
  afterAll(async () => t?.close());

  // Every test starts from the demo's six slots.
  beforeEach(async () => {
    await t.db.transaction().execute(async (tx) => {
      await rewriteSlots(
        tx,
        MAIN,
        demoSlots.map((itemId) => ({ itemId, placedBy: null, placedAt: nowIso() })),
      );
      await tx.deleteFrom('settings').where('key', '=', 'site.frontSlots').execute();
      await bumpSiteGeneration(tx);
    });
  });

  /** The titles of the cards on the front page, in the order a reader sees them. */
  async function cardsOnFront(): Promise<string[]> {
    const res = await t.app.inject('/');
    expect(res.statusCode).toBe(200);
    const section = /<section aria-labelledby="h-aktuelt"[\s\S]*?<\/section>/.exec(res.body)?.[0] ?? '';
    return [...section.matchAll(/<h3 class="card-heading">([^<]+)<\/h3>/g)].map((m) => m[1]!.replace(/&#39;/g, "'"));
  }

  const idOf = async (title: string, type?: string) => {
    let q = t.db.selectFrom('items').select('id').where('title', '=', title).where('live_revision', 'is not', null);
    if (type) q = q.where('type', '=', type);
    return (await q.executeTakeFirstOrThrow()).id;
  };

  async function signedIn(email: string): Promise<Browser> {
    const b = new Browser(t.app);
    await b.signIn(email);
    return b;
  }

  const storedTitles = async () => {
    const slots = await slotsOf(t.db, MAIN);
    const rows = await t.db.selectFrom('items').select(['id', 'title']).where('id', 'in', slots.map((s) => s.itemId)).execute();
    return slots.map((s) => rows.find((r) => r.id === s.itemId)!.title);
  };

  it('the demo front page shows its six slots as cards in order', async () => {
    expect(await cardsOnFront()).toEqual(DEMO_SLOTS);
  });

  it('a web editor frees a slot, fills it, and sees the new item last on the front page', async () => {
    const web = await signedIn(DEMO.web);
    const page = await web.get('/admin/forside');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Hjemmesidens forside</h1>');
    expect(page.body).toContain('Pladser (6 af 6 i brug)');

    const removed = await web.post('/admin/forside/fjern', { itemId: await idOf('Affald') });
    expect(removed.statusCode).toBe(303);
    expect(removed.headers.location).toBe('/admin/forside?fjernet=1#pladser');
    expect(await cardsOnFront()).toEqual(DEMO_SLOTS.slice(0, 5));

    const after = await web.get(String(removed.headers.location));
    expect(after.body).toContain('Indholdet er taget af forsiden.');
    expect(after.body).toContain('Pladser (5 af 6 i brug)');
    // Not full: no slot has to be given up.
    expect(after.body).not.toContain('Hvilken plads skal erstattes?');

    const placed = await web.post('/admin/forside/placer', { itemId: await idOf('Byggetilladelse') });
    expect(placed.statusCode).toBe(303);
    expect(placed.headers.location).toBe('/admin/forside?placeret=1#plads-6');
    expect(await cardsOnFront()).toEqual([...DEMO_SLOTS.slice(0, 5), 'Byggetilladelse']);

    const entries = await t.db.selectFrom('audit_log').select(['action', 'actor_label', 'object_id']).where('action', 'like', 'front_page.%').orderBy('seq').execute();
    expect(entries.slice(-2)).toEqual([
      { action: 'front_page.removed', actor_label: DEMO.web, object_id: MAIN },
      { action: 'front_page.placed', actor_label: DEMO.web, object_id: MAIN },
    ]);
  });

  it('moving a slot up or down changes the order on the front page', async () => {
    const web = await signedIn(DEMO.web);
    await web.get('/admin/forside');
    expect((await web.post('/admin/forside/flyt', { itemId: await idOf('Skolestart'), direction: 'op' })).statusCode).toBe(303);
    expect(await cardsOnFront()).toEqual(['Flytning', 'Ny genbrugsplads åbner i Toftlund', 'Få gratis vaccine mod influenza', 'Skolestart', 'Borgermøde om cykelstier', 'Affald']);
    expect((await web.post('/admin/forside/flyt', { itemId: await idOf('Flytning', 'selfservice'), direction: 'ned' })).statusCode).toBe(303);
    expect(await cardsOnFront()).toEqual(['Ny genbrugsplads åbner i Toftlund', 'Flytning', 'Få gratis vaccine mod influenza', 'Skolestart', 'Borgermøde om cykelstier', 'Affald']);

    // The first cannot go higher: a message, and nothing moves.
    const top = await web.post('/admin/forside/flyt', { itemId: await idOf('Ny genbrugsplads åbner i Toftlund'), direction: 'op' });
    expect(top.statusCode).toBe(422);
    expect(top.body).toContain('Indholdet er allerede øverst.');
    expect((await cardsOnFront())[0]).toBe('Ny genbrugsplads åbner i Toftlund');
  });

  it('when every slot is taken, adding without choosing one is refused in Danish and changes nothing; choosing replaces exactly that slot', async () => {
    const web = await signedIn(DEMO.web);
    const page = await web.get('/admin/forside');
    expect(page.body).toContain('Hvilken plads skal erstattes?');
    const newcomer = await idOf('Byggetilladelse');

    const refused = await web.post('/admin/forside/placer', { itemId: newcomer });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Der er fejl i formularen');
    expect(refused.body).toContain('<a href="#f-replaces" class="function-link">Alle 6 pladser på forsiden er optaget. Vælg under »Hvilken plads skal erstattes?«, hvilket indhold det nye skal erstatte.</a>');
    // What was chosen is kept.
    expect(refused.body).toMatch(new RegExp(`id="f-itemId[-0-9]*" name="itemId" class="form-radio" value="${newcomer}"[^>]*checked`));
    expect(await storedTitles()).toEqual(DEMO_SLOTS);

    const replaced = await web.post('/admin/forside/placer', { itemId: newcomer, replaces: await idOf('Få gratis vaccine mod influenza') });
    expect(replaced.statusCode).toBe(303);
    expect(replaced.headers.location).toBe('/admin/forside?erstattet=1#plads-3');
    const expected = ['Flytning', 'Ny genbrugsplads åbner i Toftlund', 'Byggetilladelse', 'Borgermøde om cykelstier', 'Skolestart', 'Affald'];
    expect(await storedTitles()).toEqual(expected);
    expect(await cardsOnFront()).toEqual(expected);
  });

  it('an item already on the front page, or one not on the website, cannot be placed', async () => {
    const web = await signedIn(DEMO.web);
    await web.get('/admin/forside');
    await web.post('/admin/forside/fjern', { itemId: await idOf('Affald') });

    const twice = await web.post('/admin/forside/placer', { itemId: await idOf('Skolestart') });
    expect(twice.statusCode).toBe(422);
    expect(twice.body).toContain('Indholdet er allerede på forsiden, på plads 5. Vælg noget andet.');

    const intranetOnly = await idOf('Sådan melder du dig syg');
    const notOnSite = await web.post('/admin/forside/placer', { itemId: intranetOnly });
    expect(notOnSite.statusCode).toBe(422);
    expect(notOnSite.body).toContain('Det valgte indhold er ikke udgivet på hjemmesiden. Vælg indhold fra listen.');
    // Nor is it offered.
    expect(notOnSite.body).not.toContain(`value="${intranetOnly}"`);

    const nothing = await web.post('/admin/forside/placer', {});
    expect(nothing.body).toContain('Vælg det indhold, der skal på forsiden.');
    expect(await storedTitles()).toEqual(DEMO_SLOTS.slice(0, 5));
  });

  it('the filter box narrows the list of live items to choose from', async () => {
    const web = await signedIn(DEMO.web);
    const res = await web.get('/admin/forside?q=bygge');
    expect(res.body).toContain('Byggetilladelse');
    expect(res.body).toContain('Byggeansøgning via Byg og Miljø');
    expect(res.body).not.toContain('>Parkeringslicens<');
  });

  it('fewer slots than are filled names what would be taken off and needs a yes', async () => {
    const web = await signedIn(DEMO.web);
    await web.get('/admin/forside');
    const asked = await web.post('/admin/forside/pladser', { count: '4' });
    expect(asked.statusCode).toBe(422);
    expect(asked.body).toContain('Med 4 pladser bliver »Skolestart«, »Affald« taget af forsiden.');
    expect(asked.body).toContain('Tag det af forsiden, der ikke er plads til');
    expect(await storedTitles()).toHaveLength(6);

    const wrong = await web.post('/admin/forside/pladser', { count: '13' });
    expect(wrong.body).toContain('Skriv antallet af pladser som et helt tal fra 1 til 12.');
    expect(wrong.body).toContain('value="13"');

    const confirmed = await web.post('/admin/forside/pladser', { count: '4', confirmDrop: '1' });
    expect(confirmed.statusCode).toBe(303);
    expect(await cardsOnFront()).toEqual(DEMO_SLOTS.slice(0, 4));
    const page = await web.get('/admin/forside');
    expect(page.body).toContain('Pladser (4 af 4 i brug)');
    expect(page.body).toContain('Hvilken plads skal erstattes?');

    // More room: free slots, and nothing to confirm.
    expect((await web.post('/admin/forside/pladser', { count: '8' })).statusCode).toBe(303);
    expect((await web.get('/admin/forside')).body).toContain('Pladser (4 af 8 i brug)');
  });

  it("a subsite's editor and an intranet-only editor may not change the main front page", async () => {
    const school = await signedIn(DEMO.school);
    expect((await school.get('/admin/forside')).statusCode).toBe(403);
    await school.get('/admin');
    expect((await school.post('/admin/forside/fjern', { itemId: await idOf('Affald') })).statusCode).toBe(403);
    expect((await school.get('/admin')).body).not.toContain('href="/admin/forside"');

    // The demo's intranet editor also edits the website, so one who edits only the intranet is made here.
    const group = (await org.findChannelGroup(t.db, 'intranet'))!;
    const personId = await org.insertPerson(t.db, { name: 'Ida Intranet', email: 'ida@demo.mediehus.dk', jobRole: 'employee', leadershipLevel: null, title: null, phone: null, passwordHash: await hashPassword('demo') });
    await org.setMember(t.db, group.id, personId, 'member');
    const intranet = await signedIn('ida@demo.mediehus.dk');
    expect((await intranet.get('/admin/forside')).statusCode).toBe(403);
    await intranet.get('/admin');
    expect((await intranet.post('/admin/forside/placer', { itemId: await idOf('Byggetilladelse'), replaces: await idOf('Affald') })).statusCode).toBe(403);
    expect(await storedTitles()).toEqual(DEMO_SLOTS);

    const web = await signedIn(DEMO.web);
    expect((await web.get('/admin')).body).toContain('<a href="/admin/forside">Hjemmesidens forside: indholdet på de faste pladser</a>');
  });

  it("a subsite's editor fills the subsite's front page with the subsite's own live items; others may not", async () => {
    const schoolUnit = await unitId(t.db, 'toender-distriktsskole');
    // The demo's subsite for the school, with three slots and none filled.
    if (!(await siteOfUnit(t.db, schoolUnit))) {
      await insertSite(t.db, { id: newId(), kind: 'subsite', unit_id: schoolUnit, name: 'Tønder Distriktsskole', slug: 'distriktsskolen', host: null, intro: 'Skolen.', menu: '[]', slot_count: 3, active: 1, created_by: null, created_at: nowIso(), updated_at: nowIso() });
    }
    const site = (await siteOfUnit(t.db, schoolUnit))!;
    const siteId = site.id;
    await updateSite(t.db, siteId, { slot_count: 3 });
    await t.db.deleteFrom('front_slots').where('site_key', '=', siteId).execute();
    const karen = await actorByEmail(t.db, DEMO.school);
    const { id: schoolNews } = await createItem(t.db, karen, 'news', newsInput(schoolUnit, { title: 'Skolefest fredag', placements: [{ channel: 'subsite', unitId: schoolUnit }] }));
    await transition(t.db, karen, schoolNews, 'emergency_publish', { reason: 'Festen er på fredag.' });

    const school = await signedIn(DEMO.school);
    const page = await school.get(`/admin/sites/${siteId}/forside`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Forsiden af Tønder Distriktsskole</h1>');
    expect(page.body).toContain('Pladser (0 af 3 i brug)');
    expect(page.body).toContain('Skolefest fredag');
    // The main website's items are not the subsite's.
    expect(page.body).not.toContain('Byggetilladelse');
    const refused = await school.post(`/admin/sites/${siteId}/forside/placer`, { itemId: await idOf('Byggetilladelse') });
    expect(refused.body).toContain('Det valgte indhold er ikke udgivet på Tønder Distriktsskole.');

    const placed = await school.post(`/admin/sites/${siteId}/forside/placer`, { itemId: schoolNews });
    expect(placed.statusCode).toBe(303);
    expect(placed.headers.location).toBe(`/admin/sites/${siteId}/forside?placeret=1#plads-1`);
    const { frontSlotsFor } = await import('./front-slots-service.ts');
    expect((await frontSlotsFor(t.db, siteId)).map((c) => [c.title, c.href])).toEqual([['Skolefest fredag', `/${site.slug}/skolefest-fredag`]]);
    // The main front page is untouched.
    expect(await storedTitles()).toEqual(DEMO_SLOTS);
    expect((await school.get('/admin')).body).toContain(`<a href="/admin/sites/${siteId}/forside">Forsiden af Tønder Distriktsskole: indholdet på de faste pladser</a>`);

    // The social media editors have no part in the school's site.
    const social = await signedIn(DEMO.social);
    expect((await social.get(`/admin/sites/${siteId}/forside`)).statusCode).toBe(403);
    await social.get('/admin');
    expect((await social.post(`/admin/sites/${siteId}/forside/placer`, { itemId: schoolNews })).statusCode).toBe(403);
    expect((await school.get('/admin/sites/00000000-0000-4000-8000-000000000000/forside')).statusCode).toBe(404);
  });

  // Last: the item stays unpublished.
  it('an item unpublished after it was placed disappears from the front page, and the editors are told', async () => {
    const web = await actorByEmail(t.db, DEMO.web);
    const vaccine = await idOf('Få gratis vaccine mod influenza');
    await transition(t.db, web, vaccine, 'unpublish', { reason: 'error' });
    expect(await cardsOnFront()).toEqual(DEMO_SLOTS.filter((s) => s !== 'Få gratis vaccine mod influenza'));

    const b = await signedIn(DEMO.web);
    const page = await b.get('/admin/forside');
    expect(page.body).toContain('Vises ikke: ikke længere udgivet her');
  });

  it('an anonymous visitor is sent to sign in', async () => {
    const res = await t.app.inject('/admin/forside');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fadmin%2Fforside');
  });
});
