import { load } from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { actorByEmail, unitId } from '../../test/support/content.ts';
import { dialects } from '../../test/support/databases.ts';
import { XSS_PAYLOADS } from '../content/xss-payloads.ts';
import { createPost } from './service.ts';

describe.each(dialects)('posts on TønderPortalen (%s)', (dialect) => {
  let t: TestApp;
  let dagplejen: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    dagplejen = await unitId(t.db, 'dagplejen');
  });
  afterAll(async () => t?.close());

  async function signedIn(email: string): Promise<Browser> {
    const b = new Browser(t.app);
    await b.signIn(email);
    return b;
  }

  /** Writes a post through the feed's form and returns its id. */
  async function writePost(b: Browser, form: Record<string, string | string[]>): Promise<string> {
    await b.get('/intranet/opslag');
    const res = await b.post('/intranet/opslag', form);
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(303);
    const id = /^\/intranet\/opslag\/([^?]+)\?oprettet=1$/.exec(String(res.headers.location))?.[1];
    expect(id).toBeDefined();
    return id!;
  }

  const visibleText = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/\s+/g, ' ');

  it('the feed shows the demo news and colleagues’ posts, with the form to write one at the top', async () => {
    const anne = await signedIn(DEMO.employee);
    const res = await anne.get('/intranet/opslag');
    expect(res.statusCode).toBe(200);
    const text = visibleText(res.body);
    expect(text).toContain('Skriv et opslag');
    expect(text).toContain('Opslag fra Line Kjær');
    expect(text).toContain('Velkommen til den nye TønderPortalen!');
    expect(text).toContain('Nyhed fra redaktionen');
    // Hans Christensen wrote to Byrådet only.
    expect(text).not.toContain('budgetseminaret');
    expect(res.body).toMatch(/<a href="\/intranet\/nyheder\/[^"]+">/);
    expect(res.headers['cache-control']).toBe('private, no-store');
  });

  it('an employee writes a post to her unit and lands on it with a notice', async () => {
    const anne = await signedIn(DEMO.employee);
    const form = await anne.get('/intranet/opslag/nyt');
    expect(visibleText(form.body)).toContain('Dagplejen – dine kolleger');
    const id = await writePost(anne, { body: 'Legestue i **Toftlund** torsdag kl. 9.30.', unitIds: dagplejen });
    const page = await anne.get(`/intranet/opslag/${id}?oprettet=1`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Dit opslag er delt.');
    expect(page.body).toContain('<p>Legestue i <strong>Toftlund</strong> torsdag kl. 9.30.</p>');
    expect(visibleText(page.body)).toContain('Til: Dagplejen');
    expect(page.body).toContain(`href="/intranet/personer/`);
    expect((await anne.get('/intranet/opslag')).body).toContain(`id="opslag-${id}"`);
  });

  it('a post without an audience is refused in Danish and keeps what was typed', async () => {
    const anne = await signedIn(DEMO.employee);
    await anne.get('/intranet/opslag');
    const res = await anne.post('/intranet/opslag', { body: 'Hvem kommer til "sommerfesten" & grill?' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Vælg hvem der kan se opslaget, fx din enhed eller alle i kommunen.');
    expect(res.body).toContain('Hvem kommer til &quot;sommerfesten&quot; &amp; grill?</textarea>');
    const empty = await anne.post('/intranet/opslag', { body: '', everyone: '1' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Skriv dit opslag.');
    expect(empty.body).toMatch(/id="f-audience" name="everyone" [^>]*value="1"[^>]* checked/);
  });

  it('a form without its CSRF token is refused', async () => {
    const anne = await signedIn(DEMO.employee);
    const res = await anne.post('/intranet/opslag', { body: 'Hej', everyone: '1' }, { csrf: null });
    expect(res.statusCode).toBe(403);
  });

  it('a colleague comments and reacts, and the post shows the comment, the count and who reacted', async () => {
    const line = await signedIn(DEMO.intranet);
    const id = await writePost(line, { body: 'Husk personalefesten fredag!', everyone: '1' });
    const peter = await signedIn(DEMO.manager);
    await peter.get(`/intranet/opslag/${id}`);
    const commented = await peter.post(`/intranet/opslag/${id}/kommentarer`, { body: 'Jeg tager kage med, @Line Kjær.' });
    expect(commented.statusCode).toBe(303);
    expect(commented.headers.location).toMatch(new RegExp(`^/intranet/opslag/${id}\\?kommenteret=1&kommentar=[^#]+#kommentar-`));
    const reacted = await peter.post(`/intranet/opslag/${id}/reaktion`, { kind: 'celebrate' });
    expect(reacted.statusCode).toBe(303);
    expect(reacted.headers.location).toBe(`/intranet/opslag/${id}#reaktioner`);

    const page = await line.get(`/intranet/opslag/${id}`);
    const text = visibleText(page.body);
    expect(text).toContain('Kommentarer (1)');
    expect(text).toContain('Jeg tager kage med,');
    expect(page.body).toMatch(/<a href="\/intranet\/personer\/[^"]+">@Line Kjær<\/a>/);
    expect(text).toContain('Fejrer (1): Peter Hansen');
    expect(page.body).toMatch(/aria-pressed="false">Fejrer \(1\)<\/button>/);
    const own = await peter.get(`/intranet/opslag/${id}`);
    expect(own.body).toMatch(/aria-pressed="true">Fejrer \(1\)<\/button>/);

    // The same reaction again takes it back; from the feed, the reader goes back to the feed.
    const again = await peter.post(`/intranet/opslag/${id}/reaktion`, { kind: 'celebrate', fra: 'feed' });
    expect(again.headers.location).toBe(`/intranet/opslag#opslag-${id}`);
    expect(visibleText((await line.get(`/intranet/opslag/${id}`)).body)).not.toContain('Fejrer (1)');
    const feed = visibleText((await line.get('/intranet/opslag')).body);
    expect(feed).toContain('1 kommentar til opslaget fra Line Kjær');
  });

  it('the author edits the post and its audience, and deletes it after a confirmation page', async () => {
    const anne = await signedIn(DEMO.employee);
    const id = await writePost(anne, { body: 'Første udgave', everyone: '1' });
    const form = await anne.get(`/intranet/opslag/${id}/rediger`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Første udgave</textarea>');
    const refused = await anne.post(`/intranet/opslag/${id}/rediger`, { body: 'Anden udgave' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Anden udgave</textarea>');
    const saved = await anne.post(`/intranet/opslag/${id}/rediger`, { body: 'Anden udgave', unitIds: dagplejen });
    expect(saved.headers.location).toBe(`/intranet/opslag/${id}?gemt=1`);
    const page = visibleText((await anne.get(`/intranet/opslag/${id}?gemt=1`)).body);
    expect(page).toContain('Ændringerne er gemt.');
    expect(page).toContain('redigeret');
    expect(page).toContain('Til: Dagplejen');

    // Peter is no longer in the audience.
    const peter = await signedIn(DEMO.manager);
    expect((await peter.get(`/intranet/opslag/${id}`)).statusCode).toBe(404);

    const confirm = await anne.get(`/intranet/opslag/${id}/slet`);
    expect(confirm.statusCode).toBe(200);
    expect(visibleText(confirm.body)).toContain('Vil du slette dit opslag?');
    const deleted = await anne.post(`/intranet/opslag/${id}/slet`);
    expect(deleted.headers.location).toBe('/intranet/opslag?slettet=1');
    expect((await anne.get('/intranet/opslag?slettet=1')).body).toContain('Opslaget er slettet.');
    expect((await anne.get(`/intranet/opslag/${id}`)).statusCode).toBe(404);
  });

  it('someone else’s post cannot be changed: 403 for a reader, 404 outside the audience', async () => {
    const hans = await signedIn(DEMO.politician);
    const council = await unitId(t.db, 'byraadet');
    const closed = await writePost(hans, { body: 'Kun for Byrådet', unitIds: council });
    const open = await writePost(hans, { body: 'Til alle', everyone: '1' });
    const anne = await signedIn(DEMO.employee);
    await anne.get('/intranet/opslag');
    expect((await anne.get(`/intranet/opslag/${closed}`)).statusCode).toBe(404);
    expect((await anne.post(`/intranet/opslag/${closed}/kommentarer`, { body: 'Hej' })).statusCode).toBe(404);
    expect((await anne.post(`/intranet/opslag/${closed}/reaktion`, { kind: 'like' })).statusCode).toBe(404);
    expect((await anne.post(`/intranet/opslag/${closed}/rediger`, { body: 'x', everyone: '1' })).statusCode).toBe(404);
    expect((await anne.post(`/intranet/opslag/${open}/rediger`, { body: 'x', everyone: '1' })).statusCode).toBe(403);
    expect((await anne.post(`/intranet/opslag/${open}/slet`)).statusCode).toBe(403);
    expect((await anne.get(`/intranet/opslag/${open}/rediger`)).statusCode).toBe(403);
  });

  it('an intranet editor removes a post with a reason; the author sees why, others no longer find it', async () => {
    const anne = await signedIn(DEMO.employee);
    const id = await writePost(anne, { body: 'Sælger min gamle bil – billigt!', everyone: '1' });
    const peter = await signedIn(DEMO.manager);
    await peter.get('/intranet/opslag');
    expect((await peter.post(`/intranet/opslag/${id}/fjern`, { reason: 'Nej' })).statusCode).toBe(403);
    expect((await peter.get(`/intranet/opslag/${id}/fjern`)).statusCode).toBe(403);
    expect((await peter.get(`/intranet/opslag/${id}`)).body).not.toContain('Fjern opslaget');

    const line = await signedIn(DEMO.intranet);
    expect((await line.get(`/intranet/opslag/${id}`)).body).toContain(`href="/intranet/opslag/${id}/fjern"`);
    await line.get(`/intranet/opslag/${id}/fjern`);
    const noReason = await line.post(`/intranet/opslag/${id}/fjern`, { reason: '' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toContain('Skriv en begrundelse. Forfatteren får den at se.');
    const removed = await line.post(`/intranet/opslag/${id}/fjern`, { reason: 'Salg af private ting hører til på opslagstavlen i kantinen.' });
    expect(removed.headers.location).toBe(`/intranet/opslag/${id}?fjernet=1`);

    const own = visibleText((await anne.get(`/intranet/opslag/${id}`)).body);
    expect(own).toContain('Fjernet af redaktionen');
    expect(own).toContain('Begrundelse: Salg af private ting hører til på opslagstavlen i kantinen.');
    expect((await peter.get(`/intranet/opslag/${id}`)).statusCode).toBe(404);
    expect((await peter.get('/intranet/opslag')).body).not.toContain(`opslag-${id}`);
  });

  it('an author edits and deletes their own comment, and an editor removes another', async () => {
    const line = await signedIn(DEMO.intranet);
    const id = await writePost(line, { body: 'Spørgsmål om TønderPortalen?', everyone: '1' });
    const anne = await signedIn(DEMO.employee);
    await anne.get(`/intranet/opslag/${id}`);
    const first = String((await anne.post(`/intranet/opslag/${id}/kommentarer`, { body: 'Kan jeg skrive til biblioteket?' })).headers.location).split('#kommentar-')[1]!;
    const empty = await anne.post(`/intranet/opslag/${id}/kommentarer`, { body: ' ' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Skriv din kommentar.');

    const form = await anne.get(`/intranet/kommentarer/${first}/rediger`);
    expect(form.body).toContain('Kan jeg skrive til biblioteket?</textarea>');
    const edited = await anne.post(`/intranet/kommentarer/${first}/rediger`, { body: 'Kan jeg skrive til Biblioteket i Tønder?' });
    expect(edited.headers.location).toBe(`/intranet/opslag/${id}?kommentar-gemt=1&kommentar=${first}#kommentar-${first}`);
    expect((await line.post(`/intranet/kommentarer/${first}/rediger`, { body: 'Nej' })).statusCode).toBe(403);

    await line.get(`/intranet/kommentarer/${first}/fjern`);
    const removed = await line.post(`/intranet/kommentarer/${first}/fjern`, { reason: 'Besvaret i en nyhed.' });
    expect(removed.statusCode).toBe(303);
    const peter = await signedIn(DEMO.manager);
    expect(visibleText((await peter.get(`/intranet/opslag/${id}`)).body)).not.toContain('Biblioteket i Tønder');
    expect(visibleText((await anne.get(`/intranet/opslag/${id}`)).body)).toContain('Begrundelse: Besvaret i en nyhed.');

    await anne.get(`/intranet/opslag/${id}`);
    const second = String((await anne.post(`/intranet/opslag/${id}/kommentarer`, { body: 'Tak for svaret!' })).headers.location).split('#kommentar-')[1]!;
    const confirm = await anne.get(`/intranet/kommentarer/${second}/slet`);
    expect(visibleText(confirm.body)).toContain('Vil du slette din kommentar?');
    expect((await anne.post(`/intranet/kommentarer/${second}/slet`)).headers.location).toBe(`/intranet/opslag/${id}?kommentar-slettet=1#kommentarer`);
    expect(visibleText((await peter.get(`/intranet/opslag/${id}`)).body)).not.toContain('Tak for svaret!');
  });

  it('the author is told on the page when a person named in the post cannot see it', async () => {
    const anne = await signedIn(DEMO.employee);
    const id = await writePost(anne, { body: 'Tak til @Hans Christensen for besøget!', unitIds: dagplejen });
    const page = visibleText((await anne.get(`/intranet/opslag/${id}?oprettet=1`)).body);
    expect(page).toContain('Hans Christensen kan ikke se opslaget og har ikke fået besked.');
  });

  it('script in a post or comment never reaches the page', async () => {
    const anne = await signedIn(DEMO.employee);
    const body = XSS_PAYLOADS.slice(0, 40).join('\n\n');
    const id = await writePost(anne, { body: body.slice(0, 5000), everyone: '1' });
    await anne.post(`/intranet/opslag/${id}/kommentarer`, { body: '<img src=x onerror=alert(1)> [klik](javascript:alert(1))' });
    const allowed = new Set(['p', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'a', 'strong', 'em', 'code', 'pre', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'br', 'img']);
    for (const url of [`/intranet/opslag/${id}`, '/intranet/opslag']) {
      const $ = load((await anne.get(url)).body);
      const bodies = $('.mh-post-body');
      expect(bodies.length).toBeGreaterThan(0);
      const problems: string[] = [];
      bodies.find('*').each((_, el) => {
        if (!allowed.has(el.tagName)) problems.push(`<${el.tagName}>`);
        for (const [name, value] of Object.entries(el.attribs)) {
          if (name.startsWith('on') || !['href', 'src', 'alt', 'title', 'rel', 'width', 'height', 'scope', 'start'].includes(name)) problems.push(`${el.tagName}[${name}]`);
          if (/^\s*(javascript|data|vbscript):/i.test(value)) problems.push(`${el.tagName}[${name}=${value}]`);
        }
      });
      expect(problems, url).toEqual([]);
      // The text is still there to read, as text.
      expect(bodies.text()).toContain('<script>alert(1)</script>');
    }
  });

  it('the feed pages back in time with the Ældre link', async () => {
    const writer = await actorByEmail(t.db, DEMO.owner);
    for (let i = 0; i < 25; i++) await createPost(t.db, writer, { body: `Driftsbesked nr. ${i + 1}`, everyone: true, unitIds: [], groupIds: [] });
    const anne = await signedIn(DEMO.employee);
    const first = await anne.get('/intranet/opslag');
    const older = /<a href="(\/intranet\/opslag\?foer=[^"]+)" class="button button-secondary" rel="next">Ældre<\/a>/.exec(first.body)?.[1];
    expect(older).toBeDefined();
    const next = await anne.get(older!.replace(/&amp;/g, '&'));
    expect(next.statusCode).toBe(200);
    expect(visibleText(next.body)).toContain('Ældre nyheder og opslag');
    const ids = (html: string) => [...html.matchAll(/id="(opslag|nyhed)-([0-9a-f-]{36})(-h)?"/g)].map((m) => m[2]);
    const overlap = ids(next.body).filter((id) => ids(first.body).includes(id));
    expect(ids(next.body).length).toBeGreaterThan(0);
    expect(overlap).toEqual([]);
  });

  it('an address with a malformed id is simply not found', async () => {
    const anne = await signedIn(DEMO.employee);
    expect((await anne.get('/intranet/opslag/%00abc')).statusCode).toBe(404);
    expect((await anne.get('/intranet/kommentarer/%00abc/rediger')).statusCode).toBe(404);
    await anne.get('/intranet/opslag');
    const res = await anne.post('/intranet/opslag', { body: 'Hej', unitIds: 'x\u0000y' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Vælg på listen.');
  });
});
