import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';

describe.each(dialects)('the public opening hours page (%s)', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  /** Asked at a fixed instant, so the status and the coming holidays do not depend on when the tests run. */
  async function getAt(instant: string, url: string): Promise<LightMyRequestResponse> {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date(instant));
      return await t.app.inject({ method: 'GET', url });
    } finally {
      vi.useRealTimers();
    }
  }

  // Tuesday 1 December 2026, 11:00 in Copenhagen.
  const TUESDAY_MORNING = '2026-12-01T10:00:00Z';

  /** The section of the page about one unit, so a check cannot be satisfied by another unit's text. */
  const sectionOf = (body: string, slug: string): string => {
    const start = body.indexOf(`<section class="mh-oh-unit" id="${slug}"`);
    expect(start, slug).toBeGreaterThan(-1);
    return body.slice(start, body.indexOf('</section>', start));
  };

  it('lists the demo units with their status, weekly hours, contact details and the coming holidays', async () => {
    const res = await getAt(TUESDAY_MORNING, '/aabningstider');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Åbningstider</h1>');
    for (const name of ['Borgerservice', 'Dagplejen', 'Tønder Distriktsskole', 'Børnehuset Regnbuen', 'Biblioteket']) {
      expect(res.body).toContain(`>${name}</h2>`);
    }
    // Units without weekly hours are not listed.
    expect(res.body).not.toContain('>Kommunikation</h2>');

    const borgerservice = sectionOf(res.body, 'borgerservice');
    expect(borgerservice).toContain('Åbent nu – lukker kl. 15');
    expect(borgerservice).toMatch(/<th scope="row">Torsdag<\/th>\s*<td>10–17.30<\/td>/);
    expect(borgerservice).toMatch(/<th scope="row">Tirsdag \(i dag\)<\/th>\s*<td>10–15<\/td>/);
    expect(borgerservice).toMatch(/<th scope="row">Søndag<\/th>\s*<td>Lukket<\/td>/);
    expect(borgerservice).toMatch(/<time datetime="2026-12-24">Torsdag 24. december<\/time><\/th>\s*<td>Juleaftensdag<\/td>\s*<td>Lukket<\/td>/);
    expect(borgerservice).toContain('<time datetime="2026-12-25">Fredag 25. december</time>');
    expect(borgerservice).toContain('<td>Juledag</td>');
    expect(borgerservice).toContain('<td>Nytårsaftensdag</td>');
    expect(borgerservice).toContain('<td>Nytårsdag</td>');
    expect(borgerservice).toContain('Wegners Plads 2, 6270 Tønder');
    expect(borgerservice).toContain('<a href="tel:+4574929292">74 92 92 92</a>');
    expect(borgerservice).toContain('<a href="mailto:borgerservice@toender.dk">borgerservice@toender.dk</a>');

    expect(sectionOf(res.body, 'boernehuset-regnbuen')).toMatch(/<th scope="row">Mandag<\/th>\s*<td>6.15–17<\/td>/);
    expect(sectionOf(res.body, 'toender-distriktsskole')).toContain('Åbent nu – lukker kl. 15.30');
    expect(sectionOf(res.body, 'biblioteket')).toMatch(/<th scope="row">Lørdag<\/th>\s*<td>10–13<\/td>/);
    // Dagplejen has no address in the demo, so none is shown.
    expect(sectionOf(res.body, 'dagplejen')).not.toContain('<dt>Adresse</dt>');
  });

  it('on juleaftensdag the units say they are closed and when they open again', async () => {
    const res = await getAt('2026-12-24T09:00:00Z', '/aabningstider');
    expect(sectionOf(res.body, 'borgerservice')).toContain('Lukket i dag (Juleaftensdag) – åbner mandag kl. 10');
    expect(sectionOf(res.body, 'dagplejen')).toContain('Lukket i dag (Juleaftensdag) – åbner mandag kl. 8');
  });

  it('readers get no cookie, and caches may keep the page for a minute', async () => {
    for (const url of ['/aabningstider', '/aabningstider?enhed=biblioteket', '/aabningstider?enhed=findes-ikke']) {
      const res = await getAt(TUESDAY_MORNING, url);
      expect(res.headers['set-cookie'], url).toBeUndefined();
      expect(res.headers['cache-control'], url).toBe('public, max-age=60');
    }
  });

  it('?enhed= shows that one unit, and an unknown one still gives the page with every unit', async () => {
    const one = await getAt(TUESDAY_MORNING, '/aabningstider?enhed=biblioteket');
    expect(one.statusCode).toBe(200);
    expect(one.body).toContain('<h1>Åbningstider: Biblioteket</h1>');
    expect(one.body).toContain('id="biblioteket"');
    expect(one.body).not.toContain('id="borgerservice"');
    expect(one.body).toContain('<a href="/aabningstider">Se alle enheders åbningstider</a>');

    const unknown = await getAt(TUESDAY_MORNING, '/aabningstider?enhed=findes-ikke');
    expect(unknown.statusCode).toBe(200);
    expect(unknown.body).toContain('Vi kunne ikke finde enheden');
    expect(unknown.body).toContain('id="borgerservice"');
    expect(unknown.body).toContain('id="biblioteket"');
  });

  it('the site menu links to the page and marks it as the current one there', async () => {
    const res = await getAt(TUESDAY_MORNING, '/aabningstider');
    expect(res.body).toMatch(/<a href="\/aabningstider" class="nav-link" aria-current="page"><span>Åbningstider<\/span><\/a>/);
    const front = await t.app.inject({ method: 'GET', url: '/' });
    expect(front.body).toContain('<a href="/aabningstider" class="nav-link"><span>Åbningstider</span></a>');
  });
});
