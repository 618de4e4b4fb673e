import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../org/actor.ts';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';
import { insertMedia } from './media-store.ts';
import { createItem, parseContent } from './service.ts';
import * as store from './store.ts';

type Who = keyof typeof DEMO;

/** A news item as the form sends it: website, section Nyheder. */
const newsForm = (ownerUnitId: string, overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> => ({
  title: 'Ny genbrugsplads åbner i Toftlund',
  summary: 'Fra 1. december kan du aflevere affald på den nye genbrugsplads.',
  body: 'Den nye genbrugsplads ligger på Industrivej 4.\n\nDer er åbent alle ugens dage.',
  ownerUnitId,
  contact: 'Teknik og Miljø, 74 92 92 92',
  topics: 'Affald, Genbrug',
  language: 'da',
  reviewBy: '',
  website: '1',
  websiteSection: 'nyheder',
  ...overrides,
});

const hidden = (html: string, name: string): string | undefined => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
const ENTITIES: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', '#39': "'", '#92': '\\' };
const unescapeHtml = (s: string): string => s.replace(/&(quot|amp|lt|gt|#39|#92);/g, (_, e: string) => ENTITIES[e]!);
const stepForm = (id: string, step: string) => `action="/admin/indhold/${id}/trin/${step}"`;

describe.each(dialects)('the edit form and the item page (%s)', (dialect) => {
  let t: TestApp;
  let kom: string;
  let school: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    kom = await unitId(t.db, 'kommunikation');
    school = await unitId(t.db, 'toender-distriktsskole');
  });
  afterAll(async () => t?.close());

  const signedIn = async (who: Who): Promise<Browser> => {
    const b = new Browser(t.app);
    await b.signIn(DEMO[who]);
    return b;
  };

  /** Creates a news item through the form and returns its id. */
  async function createThroughForm(b: Browser, overrides: Record<string, string | string[]> = {}, type = 'news'): Promise<string> {
    await b.get(`/admin/indhold/ny/${type}`);
    const res = await b.post(`/admin/indhold/ny/${type}`, newsForm(kom, overrides));
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(303);
    return /\/admin\/indhold\/([^?]+)\?oprettet=1/.exec(String(res.headers.location))![1]!;
  }

  async function latest(id: string) {
    const item = (await store.findItem(t.db, id))!;
    const revision = (await store.findRevision(t.db, id, item.latest_revision))!;
    return { item, revision, content: parseContent(revision.content) };
  }

  it('a web editor creates a news item through the form and sees it', async () => {
    const web = await signedIn('web');
    const chooser = await web.get('/admin/indhold/ny');
    expect(chooser.statusCode).toBe(200);
    expect(chooser.body).toContain('Hvilken slags indhold vil du oprette?');
    expect(chooser.body).toContain('value="news"');
    expect(chooser.body).toContain('href="/admin/indhold"');
    const chosen = await web.get('/admin/indhold/ny?valgt=1&type=news');
    expect(chosen.statusCode).toBe(303);
    expect(chosen.headers.location).toBe('/admin/indhold/ny/news');
    expect((await web.get('/admin/indhold/ny?valgt=1')).body).toContain('Vælg hvilken slags indhold, du vil oprette.');

    const id = await createThroughForm(web);
    const page = await web.get(`/admin/indhold/${id}?oprettet=1`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Ny genbrugsplads åbner i Toftlund</h1>');
    expect(page.body).toContain('Oprettet.');
    expect(page.body).toContain('Kladde');
    expect(page.body).toContain('value="Affald, Genbrug"');
    expect(hidden(page.body, 'baseRevision')).toBe('1');
    const { content, item } = await latest(id);
    expect(item).toMatchObject({ type: 'news', state: 'draft', latest_revision: 1 });
    expect(content).toMatchObject({ topics: ['Affald', 'Genbrug'], placements: [{ channel: 'website', section: 'nyheder' }], reviewBy: null, images: [] });
  });

  it('bad input re-renders with Danish messages beside fields and keeps values, writes nothing', async () => {
    const web = await signedIn('web');
    const before = (await t.db.selectFrom('items').select('id').execute()).length;
    await web.get('/admin/indhold/ny/event');
    const res = await web.post(
      '/admin/indhold/ny/event',
      newsForm(kom, { title: ' ', 'fields.startsAt': 'i morgen', 'fields.endsAt': '2026-12-01T12:00', 'fields.place': 'Tønder Bibliotek', website: '1', websiteSection: '' }),
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Der er fejl i formularen');
    expect(res.body).toMatch(/id="f-title-error">\s*<span class="sr-only">Fejl: <\/span>Skriv en titel\./);
    expect(res.body).toContain('href="#f-title"');
    expect(res.body).toContain('id="f-fields.startsAt-error"');
    expect(res.body).toContain('Skriv starttidspunktet som dato og klokkeslæt.');
    expect(res.body).toContain('Vælg et afsnit på hjemmesiden.');
    expect(res.body).toContain('href="#f-placements"');
    expect(res.body).toContain('value="Tønder Bibliotek"');
    expect(res.body).toContain('value="i morgen"');
    expect(res.body).toContain('Fra 1. december kan du aflevere affald');
    expect((await t.db.selectFrom('items').select('id').execute()).length).toBe(before);
  });

  it('preview renders Markdown without saving and never lets a <script> through', async () => {
    const web = await signedIn('web');
    const id = await createThroughForm(web);
    const page = await web.get(`/admin/indhold/${id}`);
    const body = '# Åbningstider\n\n**Mandag** 10-15\n\n<script>alert("x")</script>\n\n[klik](javascript:alert(1))';
    const res = await web.post(`/admin/indhold/${id}`, { ...newsForm(kom, { body }), baseRevision: hidden(page.body, 'baseRevision')!, preview: '1' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Forhåndsvisning af brødteksten');
    expect(res.body).toContain('<h2>Åbningstider</h2>');
    expect(res.body).toContain('<strong>Mandag</strong>');
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).not.toContain('href="javascript:');
    expect(res.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect((await latest(id)).item.latest_revision).toBe(1);

    const before = (await t.db.selectFrom('items').select('id').execute()).length;
    await web.get('/admin/indhold/ny/news');
    const fresh = await web.post('/admin/indhold/ny/news', { ...newsForm(kom, { body: '*ny*' }), preview: '1' });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.body).toContain('<em>ny</em>');
    expect((await t.db.selectFrom('items').select('id').execute()).length).toBe(before);
  });

  it('shows the LIX figure and plain-language hints for the body', async () => {
    const web = await signedIn('web');
    const id = await createThroughForm(web, { body: 'Vi foretager en vurdering af din henvendelse. Du får svar.' });
    const page = await web.get(`/admin/indhold/${id}`);
    expect(page.body).toMatch(/LIX <strong data-lix-score>\d+<\/strong>/);
    expect(page.body).toContain('Skriv hellere „spørgsmål“ end „henvendelse“.');
    expect(page.body).toContain(`Du har ${400 - [...newsForm(kom).summary!].length} tegn tilbage`);
  });

  it('chosen images are saved with their alt text, empty rows are ignored, and an image without alt text stops publishing', async () => {
    const mediaId = crypto.randomUUID();
    await insertMedia(t.db, {
      id: mediaId,
      original_name: 'genbrugsplads.jpg',
      mime: 'image/jpeg',
      bytes: 1000,
      width: 800,
      height: 600,
      alt: '',
      renditions: '[]',
      uploaded_by: null,
      created_at: new Date().toISOString(),
    });
    const web = await signedIn('web');
    const form = await web.get('/admin/indhold/ny/news');
    expect(form.body).toContain(`<option value="${mediaId}">genbrugsplads.jpg</option>`);
    expect(form.body).toContain('name="images.2.mediaId"');
    const id = await createThroughForm(web, { 'images.0.mediaId': '', 'images.0.alt': '', 'images.1.mediaId': mediaId, 'images.1.alt': '', 'images.2.mediaId': '', 'images.2.alt': '' });
    expect((await latest(id)).content.images).toEqual([{ mediaId, alt: '' }]);
    const page = await web.get(`/admin/indhold/${id}`);
    expect(page.body).toContain(`<option value="${mediaId}" selected>genbrugsplads.jpg</option>`);

    const intra = await signedIn('intranet');
    await intra.get(`/admin/indhold/${id}`);
    const refused = await intra.post(`/admin/indhold/${id}/trin/emergency_publish`, { reason: 'Haster' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Alle billeder skal have en alternativ tekst, før indholdet udgives.');
    expect(refused.body).toContain('href="#f-images"');

    const missing = await web.post(`/admin/indhold/${id}`, { ...newsForm(kom), 'images.0.mediaId': '00000000-0000-4000-8000-000000000000', 'images.0.alt': 'Væk', baseRevision: '1' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Et af billederne findes ikke længere i mediearkivet.');
    expect(missing.body).toContain('Billedet findes ikke længere');
  });

  it('each workflow action button appears only for those who may take it', async () => {
    const web = await signedIn('web');
    const intra = await signedIn('intranet');
    const id = await createThroughForm(web);
    const draft = await web.get(`/admin/indhold/${id}`);
    expect(draft.body).toContain(stepForm(id, 'submit'));
    expect(draft.body).not.toContain(stepForm(id, 'approve'));
    expect((await web.post(`/admin/indhold/${id}/trin/submit`)).statusCode).toBe(303);

    const author = await web.get(`/admin/indhold/${id}?sendt=1`);
    expect(author.body).toContain('Indholdet er sendt til godkendelse.');
    expect(author.body).not.toContain(stepForm(id, 'approve'));
    expect(author.body).not.toContain(stepForm(id, 'send_back'));
    expect(author.body).not.toContain(stepForm(id, 'submit'));

    const reviewer = await intra.get(`/admin/indhold/${id}`);
    expect(reviewer.body).toContain(stepForm(id, 'approve'));
    expect(reviewer.body).toContain(stepForm(id, 'send_back'));
    expect(reviewer.body).toContain(stepForm(id, 'emergency_publish'));
    expect(reviewer.body).not.toContain(stepForm(id, 'publish'));

    // The approve step itself refuses the author, whatever the page showed.
    expect((await web.post(`/admin/indhold/${id}/trin/approve`)).statusCode).toBe(403);
    // The platform owner sees every item but edits only where they are an editor.
    const owner = await (await signedIn('owner')).get(`/admin/indhold/${id}`);
    expect(owner.statusCode).toBe(200);
    expect(owner.body).toContain('Du kan se indholdet, men ikke redigere det');
    expect(owner.body).not.toContain(`<form method="post" action="/admin/indhold/${id}"`);
    expect(owner.body).not.toContain('/trin/');
    // The school's editor edits only its own subsite, so a website item is not theirs to open.
    expect((await (await signedIn('school')).get(`/admin/indhold/${id}`)).statusCode).toBe(403);
    expect((await intra.get('/admin/indhold/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await intra.post(`/admin/indhold/${id}/trin/publish_scheduled`)).statusCode).toBe(404);
  });

  it('send back without a comment is refused with a message', async () => {
    const web = await signedIn('web');
    const intra = await signedIn('intranet');
    const id = await createThroughForm(web);
    await web.post(`/admin/indhold/${id}/trin/submit`);
    await intra.get(`/admin/indhold/${id}`);
    const refused = await intra.post(`/admin/indhold/${id}/trin/send_back`, { comment: '  ' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('id="f-send_back-comment-error"');
    expect(refused.body).toContain('Skriv hvad der skal rettes, før du sender tilbage.');
    expect(refused.body).toContain('href="#f-send_back-comment"');
    expect((await latest(id)).item.state).toBe('in_review');

    expect((await intra.post(`/admin/indhold/${id}/trin/send_back`, { comment: 'Tilføj åbningstiderne.' })).headers.location).toBe(`/admin/indhold/${id}?sendt-tilbage=1`);
    const back = await web.get(`/admin/indhold/${id}`);
    expect(back.body).toContain('Sendt tilbage');
    expect(back.body).toContain('Tilføj åbningstiderne.');
  });

  it('the whole flow write → submit → approve (by intra) → publish via the forms', async () => {
    const web = await signedIn('web');
    const intra = await signedIn('intranet');
    const id = await createThroughForm(web);
    expect((await web.post(`/admin/indhold/${id}/trin/submit`)).headers.location).toBe(`/admin/indhold/${id}?sendt=1`);
    await intra.get(`/admin/indhold/${id}`);
    expect((await intra.post(`/admin/indhold/${id}/trin/approve`)).headers.location).toBe(`/admin/indhold/${id}?godkendt=1`);
    const approved = await intra.get(`/admin/indhold/${id}?godkendt=1`);
    expect(approved.body).toContain(stepForm(id, 'publish'));
    expect(approved.body).toContain(stepForm(id, 'schedule'));
    expect((await intra.post(`/admin/indhold/${id}/trin/publish`)).headers.location).toBe(`/admin/indhold/${id}?udgivet=1`);
    const published = await intra.get(`/admin/indhold/${id}?udgivet=1`);
    expect(published.body).toContain('Indholdet er udgivet.');
    expect(published.body).toContain('Version 1 er udgivet siden');
    expect(published.body).toContain(stepForm(id, 'unpublish'));
    const { item } = await latest(id);
    expect(item).toMatchObject({ state: 'published', live_revision: 1 });

    // Unpublishing as replaced needs the page it was replaced by.
    const refused = await intra.post(`/admin/indhold/${id}/trin/unpublish`, { reason: 'replaced', note: '', replacedBy: '', replacedBySlug: '' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Vælg den side, der erstatter indholdet.');
    expect(refused.body).toMatch(/id="f-unpublish-reason-\d" name="reason" class="form-radio" value="replaced" checked/);
    expect((await intra.post(`/admin/indhold/${id}/trin/unpublish`, { reason: 'withdrawn', note: 'Genbrugspladsen åbner senere.' })).headers.location).toBe(
      `/admin/indhold/${id}?afpubliceret=1`,
    );
    expect((await latest(id)).item).toMatchObject({ state: 'archived', live_revision: null });
  });

  it('schedule needs a future time, shown in Copenhagen time once planned', async () => {
    const web = await signedIn('web');
    const intra = await signedIn('intranet');
    const id = await createThroughForm(web);
    await web.post(`/admin/indhold/${id}/trin/submit`);
    await intra.get(`/admin/indhold/${id}`);
    await intra.post(`/admin/indhold/${id}/trin/approve`);
    const past = await intra.post(`/admin/indhold/${id}/trin/schedule`, { at: '2020-01-01T10:00' });
    expect(past.statusCode).toBe(422);
    expect(past.body).toContain('Tidspunktet skal ligge i fremtiden.');
    expect(past.body).toContain('value="2020-01-01T10:00"');
    expect((await intra.post(`/admin/indhold/${id}/trin/schedule`, { at: '2099-06-01T10:00' })).statusCode).toBe(303);
    const page = await intra.get(`/admin/indhold/${id}?planlagt=1`);
    expect(page.body).toContain('Planlagt udgivelse');
    expect(page.body).toContain('1. juni 2099 kl. 10.00');
    expect(page.body).toContain(stepForm(id, 'unschedule'));
  });

  it('emergency publish needs a reason', async () => {
    const web = await signedIn('web');
    const intra = await signedIn('intranet');
    const id = await createThroughForm(web);
    const page = await intra.get(`/admin/indhold/${id}`);
    expect(page.body).toContain(stepForm(id, 'emergency_publish'));
    const refused = await intra.post(`/admin/indhold/${id}/trin/emergency_publish`, { reason: '' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Skriv hvorfor indholdet skal udgives uden godkendelse.');
    expect((await latest(id)).item.live_revision).toBeNull();
    expect((await intra.post(`/admin/indhold/${id}/trin/emergency_publish`, { reason: 'Vandforsyningen er afbrudt.' })).statusCode).toBe(303);
    const live = await web.get(`/admin/indhold/${id}`);
    expect(live.body).toContain('Ikke gennemset');
    expect(live.body).toContain('Vandforsyningen er afbrudt.');
    expect(live.body).toContain(stepForm(id, 'mark_reviewed'));
    expect((await intra.get(`/admin/indhold/${id}`)).body).not.toContain(stepForm(id, 'mark_reviewed'));
  });

  it('publishing an incomplete item shows what is missing beside the content fields', async () => {
    const web = await signedIn('web');
    const intra = await signedIn('intranet');
    const id = await createThroughForm(web, { summary: '' });
    await intra.get(`/admin/indhold/${id}`);
    const refused = await intra.post(`/admin/indhold/${id}/trin/emergency_publish`, { reason: 'Haster' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Indholdet kan ikke udgives endnu.');
    expect(refused.body).toContain('id="f-summary-error"');
    expect(refused.body).toContain('Skriv et resumé, før indholdet udgives.');
  });

  it('saving with an old baseRevision gives the 409 side-by-side page with both titles', async () => {
    const web = await signedIn('web');
    const intra = await signedIn('intranet');
    const id = await createThroughForm(web);
    await web.get(`/admin/indhold/${id}`);
    await intra.get(`/admin/indhold/${id}`);
    expect((await intra.post(`/admin/indhold/${id}`, { ...newsForm(kom, { title: 'Intras titel' }), baseRevision: '1', changeNote: 'Ny titel' })).statusCode).toBe(303);

    const conflict = await web.post(`/admin/indhold/${id}`, { ...newsForm(kom, { title: 'Webs titel', body: 'Min tekst' }), baseRevision: '1' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.body).toContain('Den nyeste version (af Line Kjær, ');
    expect(conflict.body).toContain('Din version');
    expect(conflict.body).toMatch(/<td class="mh-pre">Intras titel<\/td>\s*<td class="mh-pre">Webs titel<\/td>/);
    expect(conflict.body).toContain('Forskellig');
    expect(hidden(conflict.body, 'baseRevision')).toBe('2');
    expect(conflict.body).toContain('value="Webs titel"');
    expect(conflict.body).toContain('>Min tekst</textarea>');
    expect((await latest(id)).content.title).toBe('Intras titel');

    const saved = await web.post(`/admin/indhold/${id}`, { ...newsForm(kom, { title: 'Webs titel', body: 'Min tekst' }), baseRevision: hidden(conflict.body, 'baseRevision')! });
    expect(saved.statusCode).toBe(303);
    const now = await latest(id);
    expect(now.item.latest_revision).toBe(3);
    expect(now.content).toMatchObject({ title: 'Webs titel', body: 'Min tekst' });
  });

  it('autosave answers JSON and makes a minor revision, and answers 409 on a stale base', async () => {
    const web = await signedIn('web');
    const id = await createThroughForm(web);
    const page = await web.get(`/admin/indhold/${id}`);
    const token = csrfOf(page.body);
    const cookies = Object.fromEntries(web.cookies);
    const autosave = (payload: string, contentType: string, csrf: string | null = token) =>
      t.app.inject({
        method: 'POST',
        url: `/admin/indhold/${id}/autosave`,
        payload,
        cookies,
        headers: { 'content-type': contentType, accept: 'application/json', ...(csrf ? { 'csrf-token': csrf } : {}) },
      });
    const form = (overrides: Record<string, string>) => new URLSearchParams({ ...(newsForm(kom) as Record<string, string>), ...overrides }).toString();

    const first = await autosave(form({ title: 'Autogemt titel', baseRevision: '1', changeNote: 'ignoreres', major: '1' }), 'application/x-www-form-urlencoded');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ revision: 2 });
    const { revision, content } = await latest(id);
    expect(revision).toMatchObject({ number: 2, change_note: 'Automatisk gemt', major: 0 });
    expect(content.title).toBe('Autogemt titel');

    const json = await autosave(JSON.stringify({ ...newsForm(kom), title: 'Som JSON', baseRevision: 2 }), 'application/json');
    expect(json.statusCode).toBe(200);
    expect(json.json()).toEqual({ revision: 3 });

    const stale = await autosave(form({ title: 'For sent', baseRevision: '2' }), 'application/x-www-form-urlencoded');
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: { code: 'conflict' }, revision: 3 });

    const invalid = await autosave(form({ title: '', baseRevision: '3' }), 'application/x-www-form-urlencoded');
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json()).toMatchObject({ error: { code: 'validation', fields: { title: 'Skriv en titel.' } } });

    expect((await autosave(form({ baseRevision: '3' }), 'application/x-www-form-urlencoded', null)).statusCode).toBe(403);
    expect((await latest(id)).item.latest_revision).toBe(3);
  });

  it('placements in channels the person may not place in are not offered and are refused if forged', async () => {
    const rasmus = await signedIn('app');
    const form = await rasmus.get('/admin/indhold/ny/news');
    expect(form.body).toContain('name="app"');
    expect(form.body).not.toContain('name="website"');
    expect(form.body).not.toContain('name="intranet"');
    expect(form.body).not.toContain('name="subsites"');

    const schoolForm = await (await signedIn('school')).get('/admin/indhold/ny/news');
    expect(schoolForm.body).toContain(`name="subsites" class="form-checkbox" value="${school}"`);
    expect(schoolForm.body).not.toContain('name="website"');

    const appOnly: Record<string, string | string[]> = { ...newsForm(kom), app: '1', appSection: 'nyheder' };
    delete appOnly.website;
    delete appOnly.websiteSection;
    await rasmus.get('/admin/indhold/ny/news');
    const before = (await t.db.selectFrom('items').select('id').execute()).length;
    const onWebsite = await rasmus.post('/admin/indhold/ny/news', newsForm(kom, { app: '1', appSection: 'nyheder' }));
    expect(onWebsite.statusCode).toBe(422);
    expect(onWebsite.body).toContain('Du har ikke ret til at ændre placeringen på hjemmesiden.');
    const subsite = await rasmus.post('/admin/indhold/ny/news', { ...appOnly, subsites: school });
    expect(subsite.statusCode).toBe(422);
    expect(subsite.body).toContain('Du har ikke ret til at ændre placeringen på subsitet for Tønder Distriktsskole.');
    expect((await t.db.selectFrom('items').select('id').execute()).length).toBe(before);

    // Line places the item on the website and in the app; Rasmus may keep the website placement but not change it.
    const intra = await signedIn('intranet');
    const id = await createThroughForm(intra, { app: '1', appSection: 'nyheder' });
    const page = await rasmus.get(`/admin/indhold/${id}`);
    expect(page.body).toContain('<input type="hidden" name="website" value="1">');
    expect(page.body).toContain('<input type="hidden" name="websiteSection" value="nyheder">');
    expect(page.body).toContain('Indholdet er også placeret på hjemmesiden.');
    const moved = await rasmus.post(`/admin/indhold/${id}`, { ...newsForm(kom, { websiteSection: 'borger' }), app: '1', appSection: 'nyheder', baseRevision: '1' });
    expect(moved.statusCode).toBe(422);
    expect(moved.body).toContain('Du har ikke ret til at ændre placeringen på hjemmesiden.');
    const dropped = await rasmus.post(`/admin/indhold/${id}`, { ...appOnly, baseRevision: '1' });
    expect(dropped.statusCode).toBe(422);
    const kept = await rasmus.post(`/admin/indhold/${id}`, { ...newsForm(kom, { title: 'Rettet af Rasmus' }), app: '1', appSection: 'nyheder', baseRevision: '1' });
    expect(kept.statusCode).toBe(303);
    expect((await latest(id)).content.placements).toEqual([
      { channel: 'website', section: 'nyheder' },
      { channel: 'app', section: 'nyheder' },
    ]);
  });

  it('existing social placements survive a save', async () => {
    const web = await actorByEmail(t.db, DEMO.web);
    // Nobody in the demo edits both the website and social media, so the item is made by such a person here.
    const both: Actor = { ...web, capabilities: new Set([...web.capabilities, 'social.edit']) };
    const social = { channel: 'social', accountId: 'facebook-toender', text: 'Ny genbrugsplads – læs mere på toender.dk "i dag"' };
    const { id } = await createItem(t.db, both, 'news', newsInput(kom, { placements: [{ channel: 'website', section: 'nyheder' }, social] }));

    const b = await signedIn('web');
    const page = await b.get(`/admin/indhold/${id}`);
    expect(page.body).toContain('name="socialPlacements"');
    expect(page.body).toContain('Indholdet er også placeret på sociale medier.');
    const socialPlacements = unescapeHtml(/name="socialPlacements" value="([^"]*)"/.exec(page.body)![1]!);
    const res = await b.post(`/admin/indhold/${id}`, { ...newsForm(kom, { title: 'Ny titel' }), socialPlacements, baseRevision: hidden(page.body, 'baseRevision')! });
    expect(res.statusCode).toBe(303);
    const { content } = await latest(id);
    expect(content.title).toBe('Ny titel');
    expect(content.placements).toEqual([{ channel: 'website', section: 'nyheder' }, social]);

    const forged = await b.post(`/admin/indhold/${id}`, {
      ...newsForm(kom),
      socialPlacements: JSON.stringify({ ...social, text: 'Ændret uden ret' }),
      baseRevision: '2',
    });
    expect(forged.statusCode).toBe(422);
    expect(forged.body).toContain('Du har ikke ret til at ændre placeringen på sociale medier.');
  });
});
