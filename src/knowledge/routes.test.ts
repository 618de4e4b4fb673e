import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { actorByEmail, unitId } from '../../test/support/content.ts';
import { dialects } from '../../test/support/databases.ts';
import { createItem, transition } from '../content/service.ts';

/** The titles listed on a page, in order. */
const titlesOn = (html: string): string[] => [...html.matchAll(/<h[34] class="h[45] mh-listing-title"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!);

describe.each(dialects)('knowledge and competence development (%s)', (dialect) => {
  let t: TestApp;
  let anne: Browser;
  let peter: Browser;
  let hans: Browser;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    anne = new Browser(t.app);
    await anne.signIn(DEMO.employee);
    peter = new Browser(t.app);
    await peter.signIn(DEMO.manager);
    hans = new Browser(t.app);
    await hans.signIn(DEMO.politician);
  });
  afterAll(async () => t.close());

  /** A knowledge article by the intranet editor, for the given intranet audience; published by the website editor unless left as a draft. */
  async function article(title: string, audience: { everyone?: boolean; roles?: string[] }, topics: string[], publish = true) {
    const editor = await actorByEmail(t.db, DEMO.intranet);
    const { id } = await createItem(t.db, editor, 'knowledge', {
      title,
      summary: `Kort om ${title.toLowerCase()}.`,
      body: 'Her står det hele.',
      ownerUnitId: await unitId(t.db, 'sekretariat-it-og-hr'),
      contact: 'HR',
      topics,
      language: 'da',
      reviewBy: '',
      images: [],
      placements: [{ channel: 'intranet', everyone: audience.everyone ?? false, roles: audience.roles ?? [], unitIds: [], groupIds: [] }],
      fields: {},
    });
    if (!publish) return id;
    const approver = await actorByEmail(t.db, DEMO.web);
    await transition(t.db, editor, id, 'submit');
    await transition(t.db, approver, id, 'approve');
    await transition(t.db, approver, id, 'publish');
    return id;
  }

  it('lists only the knowledge articles the reader may see, linked to their intranet pages', async () => {
    const res = await anne.get('/intranet/viden');
    expect(res.statusCode).toBe(200);
    const titles = titlesOn(res.body);
    expect(titles).toEqual(expect.arrayContaining(['Sådan melder du dig syg', 'Hygiejne i dagplejen', 'Kurser og efteruddannelse', 'Ferie og feriefridage']));
    // For managers only.
    expect(titles).not.toContain('Sådan holder du en god MUS');
    expect(res.body).toContain('<a href="/intranet/viden/hygiejne-i-dagplejen">Hygiejne i dagplejen</a>');

    const manager = titlesOn((await peter.get('/intranet/viden')).body);
    expect(manager).toContain('Sådan holder du en god MUS');
    // For Dagplejen only.
    expect(manager).not.toContain('Hygiejne i dagplejen');
  });

  it('a draft is not listed, and neither is an article once it is unpublished', async () => {
    await article('Nyt om pension', { everyone: true }, ['HR'], false);
    expect(titlesOn((await anne.get('/intranet/viden')).body)).not.toContain('Nyt om pension');
    const id = await article('Gammel vejledning om kørsel', { everyone: true }, ['Kørsel']);
    expect(titlesOn((await anne.get('/intranet/viden')).body)).toContain('Gammel vejledning om kørsel');
    await transition(t.db, await actorByEmail(t.db, DEMO.web), id, 'unpublish', { reason: 'withdrawn', note: 'Reglerne er ændret.' });
    expect(titlesOn((await anne.get('/intranet/viden')).body)).not.toContain('Gammel vejledning om kørsel');
  });

  it('filters by topic and by text, and says so when nothing matches', async () => {
    const hr = await anne.get('/intranet/viden?emne=HR');
    expect(hr.body).toContain('<h2>Emne: HR</h2>');
    expect(hr.body).toContain('href="/intranet/viden?emne=HR" aria-current="page">HR (');
    const hrTitles = titlesOn(hr.body);
    expect(hrTitles).toEqual(expect.arrayContaining(['Sådan melder du dig syg', 'Ferie og feriefridage', 'Kurser og efteruddannelse']));
    expect(hrTitles).not.toContain('Hygiejne i dagplejen');

    expect(titlesOn((await anne.get('/intranet/viden?q=ferie')).body)).toEqual(['Ferie og feriefridage']);
    // Words are found in any order, in titles, summaries and topics alike.
    expect(titlesOn((await anne.get('/intranet/viden?q=h%C3%A6nder+dagplejer')).body)).toEqual([]);
    expect(titlesOn((await anne.get('/intranet/viden?q=DAGPLEJER+regler')).body)).toEqual(['Hygiejne i dagplejen']);
    const none = await anne.get('/intranet/viden?emne=HR&q=ubuntu');
    expect(titlesOn(none.body)).toEqual([]);
    expect(none.body).toContain('Ingen artikler passer til din søgning.');
  });

  it('competence development lists the articles on Kompetenceudvikling the reader may see, and no Leder-GPS for employees and politicians', async () => {
    await article('Lederuddannelse', { roles: ['manager'] }, ['Kompetenceudvikling', 'Ledelse']);
    for (const reader of [anne, hans]) {
      const res = await reader.get('/intranet/kompetence');
      expect(res.statusCode).toBe(200);
      expect(titlesOn(res.body)).toEqual(['Kurser og efteruddannelse']);
      expect(res.body).not.toContain('Leder-GPS</h2>');
      expect(res.body).not.toContain('/intranet/leder-gps/');
    }
  });

  it('a manager also gets the Leder-GPS modules by leadership level, their own level first', async () => {
    const res = await peter.get('/intranet/kompetence');
    expect(titlesOn(res.body).slice(0, 2).sort()).toEqual(['Kurser og efteruddannelse', 'Lederuddannelse']);
    expect(res.body).toContain('<h2 id="h-leder-gps">Leder-GPS</h2>');
    const levels = [...res.body.matchAll(/<h3 id="h-niveau-[a-z_]+">([^<]+)/g)].map((m) => m[1]!.trim());
    // Peter Hansen leads leaders.
    expect(levels).toEqual(['Leder af ledere', 'Leder af medarbejdere', 'Leder af funktion']);
    expect(res.body).toContain('<h4 class="h5 mh-listing-title"><a href="/intranet/leder-gps/naar-du-leder-andre-ledere">Når du leder andre ledere</a></h4>');
    expect(res.body.indexOf('Når du leder andre ledere')).toBeLessThan(res.body.indexOf('Din første måned som leder'));

    const owner = new Browser(t.app);
    await owner.signIn(DEMO.owner);
    const fagchef = (await owner.get('/intranet/kompetence')).body;
    expect([...fagchef.matchAll(/<h3 id="h-niveau-[a-z_]+">([^<]+)/g)].map((m) => m[1]!.trim())[0]).toBe('Leder af funktion');
  });
});
