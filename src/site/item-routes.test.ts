import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { dialects } from '../../test/support/databases.ts';
import { createItem, saveItem, transition } from '../content/service.ts';
import * as store from '../content/store.ts';
import type { Actor } from '../org/actor.ts';

describe.each(dialects)('live items on the public website (%s)', (dialect) => {
  let t: TestApp;
  let web: Actor, intra: Actor;
  let kom: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    [web, intra] = [await actorByEmail(t.db, 'web@demo.mediehus.dk'), await actorByEmail(t.db, 'intra@demo.mediehus.dk')];
    kom = await unitId(t.db, 'kommunikation');
  });
  afterAll(async () => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });

  /** Written by one editor, approved and published by another, as the workflow demands. */
  async function published(overrides: Record<string, unknown> = {}, type = 'news') {
    const { id } = await createItem(t.db, web, type, newsInput(kom, overrides));
    await transition(t.db, web, id, 'submit');
    await transition(t.db, intra, id, 'approve');
    await transition(t.db, intra, id, 'publish');
    return (await store.findItem(t.db, id))!;
  }

  it('a published item is shown at its URL with the live text, and a later draft edit is not shown until it is published', async () => {
    const item = await published({ title: 'Ny genbrugsplads åbner i Toftlund', body: 'Pladsen ligger på **Industrivej 4**.' });
    const res = await get(`/nyheder/${item.slug}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Ny genbrugsplads åbner i Toftlund</h1>');
    expect(res.body).toContain('Fra 1. december kan du aflevere affald på den nye genbrugsplads.');
    expect(res.body).toContain('<strong>Industrivej 4</strong>');
    expect(res.body).toContain('Senest opdateret');
    expect(res.body).toContain('Teknik og Miljø, 74 92 92 92');

    await saveItem(t.db, web, item.id, newsInput(kom, { title: 'Ny genbrugsplads åbner i Toftlund', body: 'Pladsen er flyttet til Havnevej 9.' }), { baseRevision: 1, changeNote: 'Ny adresse', major: true });
    const draftEdited = await get(`/nyheder/${item.slug}`);
    expect(draftEdited.statusCode).toBe(200);
    expect(draftEdited.body).toContain('Industrivej 4');
    expect(draftEdited.body).not.toContain('Havnevej 9');

    await transition(t.db, web, item.id, 'submit');
    await transition(t.db, intra, item.id, 'approve');
    await transition(t.db, intra, item.id, 'publish');
    const republished = await get(`/nyheder/${item.slug}`);
    expect(republished.body).toContain('Havnevej 9');
    expect(republished.body).not.toContain('Industrivej 4');
  });

  it('an event shows when and where it takes place', async () => {
    const item = await published({ title: 'Julemarked på Torvet', fields: { startsAt: '2026-12-05T10:00', endsAt: '2026-12-05T16:00', place: 'Torvet, Tønder' }, placements: [{ channel: 'website', section: 'arrangementer' }] }, 'event');
    const res = await get(`/arrangementer/${item.slug}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('5. december 2026 kl. 10.00–16.00');
    expect(res.body).toContain('Torvet, Tønder');
  });

  it('a draft answers 404, and so does a live item at a section or on a channel it is not placed in', async () => {
    const { id } = await createItem(t.db, web, 'news', newsInput(kom, { title: 'Hemmelig kladde' }));
    const draft = (await store.findItem(t.db, id))!;
    expect((await get(`/nyheder/${draft.slug}`)).statusCode).toBe(404);
    expect((await get('/nyheder/findes-slet-ikke')).statusCode).toBe(404);

    const intranetOnly = await published({ title: 'Kun for medarbejdere', placements: [{ channel: 'intranet', everyone: true, roles: [], unitIds: [], groupIds: [] }] });
    const res = await get(`/nyheder/${intranetOnly.slug}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('Kun for medarbejdere');
  });

  it('a live item asked for under another section is sent to where it is placed', async () => {
    const item = await published({ title: 'Flytning til kommunen', placements: [{ channel: 'website', section: 'borger' }] });
    const res = await get(`/nyheder/${item.slug}`);
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe(`/borger/${item.slug}`);
  });

  it('a withdrawn item answers 410 with the explanation', async () => {
    const item = await published({ title: 'Vinterbadning ved Rømø' });
    await transition(t.db, intra, item.id, 'unpublish', { reason: 'withdrawn', note: 'Arrangementet er aflyst på grund af storm.' });
    const res = await get(`/nyheder/${item.slug}`);
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('Indholdet er trukket tilbage');
    expect(res.body).toContain('Arrangementet er aflyst på grund af storm.');
    expect(res.body).toContain('Vinterbadning ved Rømø');
  });

  it('a withdrawn intranet item does not show its explanation on the website, even if a draft placed it there', async () => {
    const item = await published({ title: 'Intern omstrukturering', placements: [{ channel: 'intranet', everyone: true, roles: [], unitIds: [], groupIds: [] }] });
    await saveItem(t.db, intra, item.id, newsInput(kom, { title: 'Intern omstrukturering', placements: [{ channel: 'intranet', everyone: true, roles: [], unitIds: [], groupIds: [] }, { channel: 'website', section: 'nyheder' }] }), { baseRevision: 1, changeNote: '', major: false });
    await transition(t.db, intra, item.id, 'unpublish', { reason: 'withdrawn', note: 'Planen er trukket tilbage af direktionen.' });
    const res = await get(`/nyheder/${item.slug}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('direktionen');
  });

  it('a replaced item answers 301 to the replacement, and an item published by mistake answers 404', async () => {
    const old = await published({ title: 'Åbningstider på genbrugspladsen 2025' });
    const replacement = await published({ title: 'Åbningstider på genbrugspladsen', placements: [{ channel: 'website', section: 'borger' }] });
    await transition(t.db, intra, old.id, 'unpublish', { reason: 'replaced', replacedBy: replacement.id });
    const res = await get(`/nyheder/${old.slug}`);
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe(`/borger/${replacement.slug}`);

    const mistake = await published({ title: 'Forkert nyhed' });
    await transition(t.db, intra, mistake.id, 'unpublish', { reason: 'error' });
    expect((await get(`/nyheder/${mistake.slug}`)).statusCode).toBe(404);
  });

  it('readers get no cookie, on a page, a 404, a 410 or a redirect', async () => {
    const item = await published({ title: 'Cookiefri nyhed' });
    const gone = await published({ title: 'Cookiefri, men trukket tilbage' });
    await transition(t.db, intra, gone.id, 'unpublish', { reason: 'withdrawn', note: 'Forældet.' });
    for (const url of [`/nyheder/${item.slug}`, '/nyheder/findes-ikke', `/nyheder/${gone.slug}`, `/borger/${item.slug}`]) {
      const res = await get(url);
      expect(res.headers['set-cookie'], url).toBeUndefined();
    }
  });

  it("a service page shows breadcrumbs through its section, a contact box with the unit's details and today's status, and when it was last updated", async () => {
    const res = await get('/borger/flytning');
    expect(res.statusCode).toBe(200);
    const crumbs = /<nav class="breadcrumbs"[^>]*aria-label="Du er her">([\s\S]*?)<\/nav>/.exec(res.body)![1]!;
    expect(crumbs).toMatch(/<a class="breadcrumbs__link" href="\/">Forside<\/a>/);
    expect(crumbs).toMatch(/<a class="breadcrumbs__link" href="\/selvbetjening">Borger<\/a>/);
    expect(crumbs).toMatch(/aria-current="page">[\s\S]*Flytning<\/li>/);
    const contact = /<aside class="[^"]*mh-contact"[\s\S]*?<\/aside>/.exec(res.body)![0];
    expect(contact).toContain('<strong>Borgerservice</strong>');
    expect(contact).toContain('<a href="tel:+4574929292">74 92 92 92</a>');
    expect(contact).toContain('borgerservice@toender.dk');
    expect(contact).toMatch(/(Åbent|Lukket) (i dag|nu)/);
    expect(contact).toContain('href="/aabningstider?enhed=borgerservice"');
    expect(res.body).toMatch(/Senest opdateret <time datetime="\d{4}-\d{2}-\d{2}T/);
  });

  it('a page in a section without a list page of its own has no crumb pretending to be the current page', async () => {
    const item = await published({ title: 'Erhvervsaffald', placements: [{ channel: 'website', section: 'erhverv' }] });
    const res = await get(`/erhverv/${item.slug}`);
    const crumbs = /<nav class="breadcrumbs"[^>]*>([\s\S]*?)<\/nav>/.exec(res.body)![1]!;
    expect(crumbs.match(/aria-current="page"/g)).toHaveLength(1);
    expect(crumbs).not.toContain('Erhverv<');
  });
});
