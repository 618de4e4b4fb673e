import type { FastifyInstance } from 'fastify';
import { WEEKDAY_LABELS, type Unit } from '../org/model.ts';
import { listUnits, openingExceptions, weeklyHours } from '../org/store.ts';
import type { DbOrTx } from '../platform/database.ts';
import { queryOf, text } from '../platform/forms.ts';
import { closingDaysBetween, dayPlan, localClock, showDayMonth, showPeriods, statusOn, weekdayLabel, weekdayOf } from './opening-status.ts';
import { addDays } from '../platform/time.ts';

// Long enough to see Christmas coming from late October, short enough to stay a glance.
const UPCOMING_DAYS = 60;
// The status line changes by the minute at most; a minute's caching spares the database on busy mornings.
const CACHE_FOR_READERS = 'public, max-age=60';

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Danish numbers dialled from abroad need +45; a number already international is left as it is. */
export function telHref(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '');
  return `tel:${digits.startsWith('+') ? digits : /^\d{8}$/.test(digits) ? `+45${digits}` : digits}`;
}

export async function unitHours(db: DbOrTx, unit: Unit, today: string, now: string) {
  const weekly = await weeklyHours(db, unit.id);
  if (weekly.length === 0) return null;
  const exceptions = await openingExceptions(db, unit.id, today);
  const until = addDays(today, UPCOMING_DAYS);
  // The status may look beyond the listed period for the next opening, e.g. across Christmas and New Year.
  const holidays = closingDaysBetween(today, addDays(until, 31));

  const week = WEEKDAY_LABELS.map((label, i) => {
    const periods = weekly.filter((h) => h.weekday === i + 1);
    return { label: capitalise(label), hours: periods.length ? showPeriods(periods) : 'Lukket', today: weekdayOf(today) === i + 1 };
  });

  const dates = [...new Set([...exceptions.map((e) => e.date), ...holidays.map((h) => h.date)])].filter((d) => d <= until).sort();
  const upcoming = dates.map((date) => {
    const plan = dayPlan(date, weekly, exceptions, holidays);
    return {
      date,
      day: `${capitalise(weekdayLabel(date))} ${showDayMonth(date)}`,
      name: plan.reason ?? 'Ændret åbningstid',
      hours: plan.periods.length ? showPeriods(plan.periods) : 'Lukket',
    };
  });

  return {
    name: unit.name,
    slug: unit.slug,
    description: unit.description,
    status: statusOn(today, now, weekly, exceptions, holidays),
    week,
    upcoming,
    address: unit.address,
    phone: unit.phone && { text: unit.phone, href: telHref(unit.phone) },
    email: unit.email,
  };
}

/** Every active unit's opening hours at /aabningstider, or one unit's at ?enhed=<slug>. Readers get no cookie. */
export async function openingHoursRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  app.get('/aabningstider', async (request, reply) => {
    const { date: today, time: now } = localClock(new Date());
    const all = (await Promise.all((await listUnits(db)).map((u) => unitHours(db, u, today, now)))).filter((u) => u !== null);
    const wanted = text(queryOf(request), 'enhed');
    const chosen = all.find((u) => u.slug === wanted);
    // A signed-in person's page carries their name, so only the anonymous page may be shared by caches.
    if (!request.actor) reply.header('cache-control', CACHE_FOR_READERS);
    return reply.view('site/views/opening-hours.njk', {
      title: chosen ? `Åbningstider: ${chosen.name}` : 'Åbningstider',
      units: chosen ? [chosen] : all,
      chosen: chosen ?? null,
      unknown: wanted !== '' && !chosen,
      today,
      upcomingDays: UPCOMING_DAYS,
    });
  });
}
