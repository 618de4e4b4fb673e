import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { dialects } from '../../test/support/databases.ts';
import { createItem, transition } from '../content/service.ts';
import type { Actor } from '../org/actor.ts';

/** The demo's six entries, in the Danish order the catalogue must show them. */
const DEMO = [
  ['Affaldskalender', 'https://www.toenderforsyning.dk/affald/affaldskalender'],
  ['Ansøg om pladsanvisning', 'https://www.borger.dk/familie-og-boern/boernepasning/pladsanvisning'],
  ['Byggeansøgning via Byg og Miljø', 'https://bygogmiljoe.dk'],
  ['Flytning', 'https://www.borger.dk/bolig-og-flytning/flytning'],
  ['Pas', 'https://www.borger.dk/internet-og-sikkerhed/pas'],
  ['Sygesikring', 'https://www.borger.dk/sundhed-og-sygdom/sygesikring'],
] as const;

describe.each(dialects)('the self-service catalogue (%s)', (dialect) => {
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

  const selfService = (title: string, targetUrl: string, topics: string[]) =>
    newsInput(kom, { title, summary: `Resumé af ${title}.`, topics, placements: [{ channel: 'website', section: 'borger' }], fields: { targetUrl, keywords: [] } });

  async function published(title: string, targetUrl: string, topics: string[]) {
    const { id } = await createItem(t.db, web, 'selfservice', selfService(title, targetUrl, topics));
    await transition(t.db, web, id, 'submit');
    await transition(t.db, intra, id, 'approve');
    await transition(t.db, intra, id, 'publish');
    return id;
  }

  it('the catalogue lists the demo’s live self-service entries A–Z with links to their solutions and not drafts', async () => {
    await createItem(t.db, web, 'selfservice', selfService('Kladde til selvbetjening', 'https://example.dk/kladde', ['Selvbetjening']));
    await published('Ændring af adresse på skolebus', 'https://example.dk/skolebus', ['Selvbetjening']);
    await published('Ørevoks og høreapparater', 'https://example.dk/hoerelse', ['Sundhed']);

    const res = await get('/selvbetjening');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Selvbetjening</h1>');
    const positions = [];
    for (const [title, url] of DEMO) {
      // Each link starts the solution through the counted start address, which leads on to the solution itself.
      const href = new RegExp(`<a href="(/selvbetjening/[a-z0-9-]+/start)" rel="nofollow">${title}</a>`).exec(res.body)?.[1];
      expect(href, title).toBeDefined();
      const start = await get(href!);
      expect(start.statusCode).toBe(303);
      expect(start.headers.location).toBe(url);
      positions.push(res.body.indexOf(`>${title}</a>`));
    }
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(res.body).toContain('Meld flytning på borger.dk med MitID.');
    expect(res.body).toContain('Ansvarlig: Borgerservice');
    expect(res.body).not.toContain('Kladde til selvbetjening');
    expect(res.body).not.toContain('target="_blank"');

    // Æ and Ø come after Z in Danish, each under its own letter and reached from the jump list.
    expect(res.body.indexOf('>Sygesikring</a>')).toBeLessThan(res.body.indexOf('>Ændring af adresse på skolebus</a>'));
    expect(res.body.indexOf('>Ændring af adresse på skolebus</a>')).toBeLessThan(res.body.indexOf('>Ørevoks og høreapparater</a>'));
    for (const [letter, anchor] of [['A', 'bogstav-a'], ['S', 'bogstav-s'], ['Æ', 'bogstav-ae'], ['Ø', 'bogstav-oe']]) {
      expect(res.body).toContain(`<a href="#${anchor}">${letter}</a>`);
      expect(res.body).toContain(`<h2 id="${anchor}">${letter}</h2>`);
    }
    expect(res.body).not.toContain('href="#bogstav-q"');
  });

  it('the topic filter narrows the list', async () => {
    await published('Høreprøve', 'https://example.dk/hoereproeve', ['Sundhed']);
    const all = await get('/selvbetjening');
    expect(all.body).toContain('<a href="/selvbetjening?emne=Sundhed">Sundhed</a>');
    expect(all.body).toContain('<a href="/selvbetjening?emne=Selvbetjening">Selvbetjening</a>');

    const res = await get('/selvbetjening?emne=Sundhed');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<a href="/selvbetjening/hoereproeve/start" rel="nofollow">Høreprøve</a>');
    expect(res.body).not.toContain('>Flytning</a>');
    expect(res.body).toContain('<a href="/selvbetjening?emne=Sundhed" aria-current="page">Sundhed</a>');
  });

  it('an unknown topic gives the page with a Danish "ingen" message', async () => {
    const res = await get('/selvbetjening?emne=Findes%20ikke');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Der er ingen selvbetjeninger om emnet »Findes ikke«.');
    expect(res.body).not.toContain('>Flytning</a>');
  });

  it('readers get no cookie and a page shared caches may keep for a minute', async () => {
    const res = await get('/selvbetjening');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('public, max-age=60');
  });
});
