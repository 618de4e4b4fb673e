import nodeIcal, { type CalendarResponse, type VEvent } from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { dialects } from '../../test/support/databases.ts';
import { createItem, transition } from '../content/service.ts';
import * as store from '../content/store.ts';
import type { Actor } from '../org/actor.ts';
import { dateToLocalInput } from '../platform/time.ts';

const BASE = 'https://www.toender.dk';
const DAY = 24 * 60 * 60 * 1000;

/** A Copenhagen wall-clock time some days from now, at a given hour. */
const inDays = (days: number, hour: string) => `${dateToLocalInput(new Date(Date.now() + days * DAY)).slice(0, 10)}T${hour}`;

const eventsIn = (cal: CalendarResponse): VEvent[] => Object.values(cal).filter((c): c is VEvent => c?.type === 'VEVENT');
const textOf = (v: unknown): string | undefined => (typeof v === 'string' ? v : (v as { val?: string } | undefined)?.val);

describe.each(dialects)('the events list and its calendar (%s)', (dialect) => {
  let t: TestApp;
  let web: Actor, intra: Actor;
  let kom: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { MEDIEHUS_BASE_URL: BASE });
    [web, intra] = [await actorByEmail(t.db, 'web@demo.mediehus.dk'), await actorByEmail(t.db, 'intra@demo.mediehus.dk')];
    kom = await unitId(t.db, 'kommunikation');
  });
  afterAll(async () => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });

  async function event(title: string, fields: { startsAt: string; endsAt: string; place: string }, publish = true) {
    const { id } = await createItem(t.db, web, 'event', newsInput(kom, { title, summary: `Om ${title}.`, fields, placements: [{ channel: 'website', section: 'arrangementer' }] }));
    if (publish) {
      await transition(t.db, web, id, 'submit');
      await transition(t.db, intra, id, 'approve');
      await transition(t.db, intra, id, 'publish');
    }
    return (await store.findItem(t.db, id))!;
  }

  it('the list shows coming and ongoing events soonest first with day, time and place, and not past ones or drafts', async () => {
    const later = await event('Koncert i parken', { startsAt: inDays(2, '19:00'), endsAt: inDays(2, '21:00'), place: 'Byparken, Tønder' });
    const sooner = await event('Foredrag om marsken', { startsAt: inDays(1, '10:00'), endsAt: inDays(1, '12:00'), place: 'Vadehavscentret' });
    const ongoing = await event('Udstilling på museet', { startsAt: inDays(-3, '10:00'), endsAt: inDays(3, '16:00'), place: 'Tønder Museum' });
    await event('Loppemarked sidste uge', { startsAt: inDays(-7, '09:00'), endsAt: inDays(-7, '15:00'), place: 'Torvet' });
    await event('Ikke udgivet endnu', { startsAt: inDays(1, '09:00'), endsAt: inDays(1, '10:00'), place: 'Rådhuset' }, false);

    const res = await get('/arrangementer');
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.body).toContain(`<a href="/arrangementer/${sooner.slug}">Foredrag om marsken</a>`);
    expect(res.body).toContain('Vadehavscentret');
    const order = [ongoing, sooner, later].map((e) => res.body.indexOf(`/arrangementer/${e.slug}"`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(res.body).not.toContain('Loppemarked sidste uge');
    expect(res.body).not.toContain('Ikke udgivet endnu');
    expect(res.body).toContain('href="/arrangementer/kalender.ics"');
  });

  it('the time is written out in Danish, the way people say it', async () => {
    const item = await event('Julekoncert i Kristkirken', { startsAt: '2030-12-17T19:00', endsAt: '2030-12-17T21:00', place: 'Tønder Kristkirke' });
    const res = await get('/arrangementer');
    expect(res.body).toContain('tirsdag 17. december 2030 kl. 19.00–21.00');
    expect(res.body).toContain('<time datetime="2030-12-17T19:00">');

    const page = await get(`/arrangementer/${item.slug}`);
    expect(page.body).toContain(`<a href="/arrangementer/${item.slug}/kalender.ics">Tilføj til kalender</a>`);
  });

  it('the calendar is read by a real iCalendar parser with the right times in Copenhagen, place, link and a stable UID', async () => {
    const winter = await event('Borgermøde om vindmøller', { startsAt: '2030-12-10T19:00', endsAt: '2030-12-10T21:30', place: 'Byrådssalen, Wegners Plads 2' });
    const summer = await event('Sankthans ved søen', { startsAt: '2030-06-23T20:00', endsAt: '2030-06-23T23:00', place: 'Søparken; Tønder' });
    const past = await event('Gammel koncert', { startsAt: inDays(-2, '19:00'), endsAt: inDays(-2, '21:00'), place: 'Kulturhuset' });

    const res = await get('/arrangementer/kalender.ics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.body).toContain('DTSTART;TZID=Europe/Copenhagen:20301210T190000');
    expect(res.body).toContain('TZID:Europe/Copenhagen');

    const parsed = eventsIn(nodeIcal.sync.parseICS(res.body));
    const byUid = new Map(parsed.map((e) => [e.uid, e]));
    const w = byUid.get(`${winter.id}@www.toender.dk`)!;
    expect(w).toBeDefined();
    // Winter time is UTC+1, summer time UTC+2.
    expect(w.start?.toISOString()).toBe('2030-12-10T18:00:00.000Z');
    expect(w.end?.toISOString()).toBe('2030-12-10T20:30:00.000Z');
    expect(textOf(w.summary)).toBe('Borgermøde om vindmøller');
    expect(textOf(w.description)).toBe('Om Borgermøde om vindmøller.');
    expect(textOf(w.location)).toBe('Byrådssalen, Wegners Plads 2');
    expect(textOf(w.url)).toBe(`${BASE}/arrangementer/${winter.slug}`);

    const s = byUid.get(`${summer.id}@www.toender.dk`)!;
    expect(s.start?.toISOString()).toBe('2030-06-23T18:00:00.000Z');
    expect(s.end?.toISOString()).toBe('2030-06-23T21:00:00.000Z');
    expect(textOf(s.location)).toBe('Søparken; Tønder');

    expect(byUid.has(`${past.id}@www.toender.dk`)).toBe(false);
    // The demo's coming events are there too.
    expect(parsed.map((e) => textOf(e.summary))).toContain('Julekoncert i Tønder Kristkirke');
  });

  it("a single event's calendar file holds that event only, with the same UID as in the whole calendar", async () => {
    const item = await event('Fyraftensmøde om affald', { startsAt: '2030-03-05T16:00', endsAt: '2030-03-05T18:00', place: 'Genbrugspladsen, Toftlund' });
    const res = await get(`/arrangementer/${item.slug}/kalender.ics`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['set-cookie']).toBeUndefined();
    const parsed = eventsIn(nodeIcal.sync.parseICS(res.body));
    expect(parsed).toHaveLength(1);
    expect(parsed[0]!.uid).toBe(`${item.id}@www.toender.dk`);
    expect(parsed[0]!.start?.toISOString()).toBe('2030-03-05T15:00:00.000Z');
    expect(textOf(parsed[0]!.location)).toBe('Genbrugspladsen, Toftlund');
  });

  it('an unknown event, a draft, an unpublished event or a news item has no calendar file', async () => {
    const draft = await event('Kladde til arrangement', { startsAt: '2030-04-01T10:00', endsAt: '2030-04-01T11:00', place: 'Rådhuset' }, false);
    const withdrawn = await event('Aflyst arrangement', { startsAt: '2030-04-02T10:00', endsAt: '2030-04-02T11:00', place: 'Rådhuset' });
    await transition(t.db, intra, withdrawn.id, 'unpublish', { reason: 'error' });
    const { id } = await createItem(t.db, web, 'news', newsInput(kom, { title: 'En nyhed, ikke et arrangement', placements: [{ channel: 'website', section: 'arrangementer' }] }));
    await transition(t.db, web, id, 'submit');
    await transition(t.db, intra, id, 'approve');
    await transition(t.db, intra, id, 'publish');
    const news = (await store.findItem(t.db, id))!;
    for (const slug of ['findes-ikke', draft.slug, withdrawn.slug, news.slug]) {
      const res = await get(`/arrangementer/${slug}/kalender.ics`);
      expect(res.statusCode, slug).toBe(404);
      expect(res.body).not.toContain('BEGIN:VCALENDAR');
    }
  });
});
