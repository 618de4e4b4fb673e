import type { FastifyInstance, FastifyReply } from 'fastify';
import ical, { type ICalCalendar } from 'ical-generator';
import type { Config } from '../platform/config.ts';
import { paramsOf } from '../platform/forms.ts';
import { dateToLocalInput, TIME_ZONE } from '../platform/time.ts';
import { MUNICIPALITY_NAME } from '../platform/view-rendering.ts';
import { comingEvents, type ListedItem, liveEvent, wallClockOf } from './listing-queries.ts';
import { PUBLIC_CACHE } from './news-routes.ts';

/**
 * Copenhagen's rules since 1996 (EU summer time). RFC 5545 wants a VTIMEZONE for every TZID used, and
 * some calendar programs (Outlook) ignore the event times without one.
 */
const COPENHAGEN_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${TIME_ZONE}`,
  `X-LIC-LOCATION:${TIME_ZONE}`,
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

const dayFormat = new Intl.DateTimeFormat('da-DK', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' });
const timeFormat = new Intl.DateTimeFormat('da-DK', { timeZone: 'UTC', timeStyle: 'short' });

/** Wall-clock parts as a Date read in UTC, so formatting never shifts them by the server's time zone. */
function asUtcWallClock(local: string): Date {
  const [date, time] = local.split('T') as [string, string];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, min] = time.split(':').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, d, h, min));
}

/** "tirsdag 15. december kl. 19.00–21.00", with the year when it is not this year's. */
export function showWhen(startsAt: string, endsAt: string, thisYear: string): string {
  const day = (local: string) => dayFormat.format(asUtcWallClock(local)) + (local.slice(0, 4) === thisYear ? '' : ` ${local.slice(0, 4)}`);
  const time = (local: string) => timeFormat.format(asUtcWallClock(local));
  if (!endsAt) return `${day(startsAt)} kl. ${time(startsAt)}`;
  if (startsAt.slice(0, 10) === endsAt.slice(0, 10)) return `${day(startsAt)} kl. ${time(startsAt)}–${time(endsAt)}`;
  return `${day(startsAt)} kl. ${time(startsAt)} til ${day(endsAt)} kl. ${time(endsAt)}`;
}

function calendar(config: Config, name: string): ICalCalendar {
  // No calendar-wide time zone: ical-generator would then write DTSTAMP without its required "Z".
  // The generator still adds the VTIMEZONE for the events' own TZID.
  const cal = ical({
    name,
    prodId: { company: MUNICIPALITY_NAME, product: 'Mediehus', language: 'DA' },
    timezone: { name: null, generator: (tz) => (tz === TIME_ZONE ? COPENHAGEN_VTIMEZONE : null) },
  });
  cal.x('X-WR-TIMEZONE', TIME_ZONE);
  cal.url(`${config.baseUrl}/arrangementer`);
  return cal;
}

function addEvent(cal: ICalCalendar, config: Config, e: ListedItem): void {
  const startsAt = wallClockOf(e.content, 'startsAt');
  if (!startsAt) return;
  const endsAt = wallClockOf(e.content, 'endsAt') || startsAt;
  const place = typeof e.content.fields.place === 'string' ? e.content.fields.place : '';
  cal.createEvent({
    // Stable across editions, so a subscribed calendar updates the event instead of adding it twice.
    id: `${e.id}@${new URL(config.baseUrl).host}`,
    // With a TZID, ical-generator writes a string's own clock time unchanged: the stored Copenhagen time.
    start: `${startsAt}:00`,
    end: `${endsAt}:00`,
    timezone: TIME_ZONE,
    summary: e.content.title,
    description: e.content.summary,
    location: place || null,
    url: `${config.baseUrl}/arrangementer/${e.slug}`,
  });
}

function sendCalendar(reply: FastifyReply, cal: ICalCalendar, filename: string) {
  return reply
    .header('cache-control', PUBLIC_CACHE)
    .header('content-disposition', `inline; filename="${filename}"`)
    .type('text/calendar; charset=utf-8')
    .send(cal.toString());
}

/** Coming events at /arrangementer, and the same as an iCalendar feed, whole or one event at a time. */
export async function eventRoutes(app: FastifyInstance): Promise<void> {
  const { db, config } = app.ctx;
  const nowLocal = () => dateToLocalInput(new Date());

  app.get('/arrangementer', async (request, reply) => {
    const now = nowLocal();
    const events = await comingEvents(db, now);
    if (!request.actor) reply.header('cache-control', PUBLIC_CACHE);
    return reply.view('site/views/events-list.njk', {
      title: 'Arrangementer',
      description: `Kommende arrangementer i ${MUNICIPALITY_NAME}`,
      events: events.map((e) => {
        const startsAt = wallClockOf(e.content, 'startsAt');
        return {
          title: e.content.title,
          href: `/arrangementer/${e.slug}`,
          summary: e.content.summary,
          language: e.content.language,
          startsAt,
          when: startsAt ? showWhen(startsAt, wallClockOf(e.content, 'endsAt'), now.slice(0, 4)) : '',
          place: typeof e.content.fields.place === 'string' ? e.content.fields.place : '',
        };
      }),
    });
  });

  app.get('/arrangementer/kalender.ics', async (_request, reply) => {
    const cal = calendar(config, `Arrangementer i ${MUNICIPALITY_NAME}`);
    for (const e of await comingEvents(db, nowLocal())) addEvent(cal, config, e);
    return sendCalendar(reply, cal, 'arrangementer.ics');
  });

  app.get('/arrangementer/:slug/kalender.ics', async (request, reply) => {
    const event = await liveEvent(db, paramsOf(request).slug!);
    if (!event) return reply.callNotFound();
    const cal = calendar(config, `Arrangement i ${MUNICIPALITY_NAME}`);
    addEvent(cal, config, event);
    return sendCalendar(reply, cal, `${event.slug}.ics`);
  });
}
