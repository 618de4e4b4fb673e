import Holidays from 'date-holidays';
import { WEEKDAY_LABELS, type OpeningException, type WeeklyHours } from '../org/model.ts';
import { addDays, TIME_ZONE } from '../platform/time.ts';

/** A day on which the municipality's offices are closed, with the name readers know it by. */
export interface Holiday {
  date: string;
  name: string;
}

export interface Period {
  opens: string;
  closes: string;
}

/** What a unit does on one date, and why when it is not its ordinary week. */
export interface DayPlan {
  date: string;
  periods: Period[];
  reason: string | null;
  source: 'weekly' | 'exception' | 'holiday';
}

// Not public holidays by law, but municipal offices close on them as a matter of course.
const CUSTOMARY_CLOSING_DAYS: [string, string][] = [
  ['06-05', 'Grundlovsdag'],
  ['12-24', 'Juleaftensdag'],
  ['12-31', 'Nytårsaftensdag'],
];

// Far enough to get past Christmas and a weekend, or a unit's summer closing.
const LOOK_AHEAD_DAYS = 21;

const danish = new Holidays('DK');
const byYear = new Map<number, Holiday[]>();

/** Denmark's public holidays and the customary closing days of one year, in date order. */
export function closingDaysOf(year: number): Holiday[] {
  let days = byYear.get(year);
  if (!days) {
    const found = new Map<string, string>();
    for (const h of danish.getHolidays(year)) if (h.type === 'public') found.set(h.date.slice(0, 10), h.name);
    for (const [monthDay, name] of CUSTOMARY_CLOSING_DAYS) found.set(`${year}-${monthDay}`, name);
    days = [...found].map(([date, name]) => ({ date, name })).sort((a, b) => a.date.localeCompare(b.date));
    byYear.set(year, days);
  }
  return days;
}

/** The closing days from one date to another, both included. */
export function closingDaysBetween(from: string, to: string): Holiday[] {
  const years = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) years.push(y);
  return years.flatMap(closingDaysOf).filter((h) => h.date >= from && h.date <= to);
}


/** 1 for Monday to 7 for Sunday, as weekly hours are stored. */
export function weekdayOf(date: string): number {
  return ((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

const clockFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The Copenhagen wall clock at an instant: the date and time a reader at the counter would see. */
export function localClock(at: Date): { date: string; time: string } {
  const p = Object.fromEntries(clockFormat.formatToParts(at).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

/** "10:00" → "10", "07:30" → "7.30": how times are written in Danish. */
export function showTime(hhmm: string): string {
  const [h = '0', m = '00'] = hhmm.split(':');
  return m === '00' ? String(Number(h)) : `${Number(h)}.${m}`;
}

export const showPeriod = (p: Period): string => `${showTime(p.opens)}–${showTime(p.closes)}`;

/** "10–12 og 13–15" */
export const showPeriods = (periods: Period[]): string => periods.map(showPeriod).join(' og ');

const dayMonth = new Intl.DateTimeFormat('da-DK', { timeZone: 'UTC', day: 'numeric', month: 'long' });

/** "24. december" */
export const showDayMonth = (date: string): string => dayMonth.format(new Date(`${date}T12:00:00Z`));

export const weekdayLabel = (date: string): string => WEEKDAY_LABELS[weekdayOf(date) - 1]!;

/**
 * The hours on a date. A dated exception wins over everything, so a unit can open on a holiday;
 * otherwise a holiday closes the day; otherwise the weekly hours apply.
 */
export function dayPlan(date: string, weekly: WeeklyHours[], exceptions: OpeningException[], holidays: Holiday[]): DayPlan {
  const holiday = holidays.find((h) => h.date === date);
  const exception = exceptions.find((e) => e.date === date);
  if (exception) {
    const periods = exception.closed || !exception.opens || !exception.closes ? [] : [{ opens: exception.opens, closes: exception.closes }];
    return { date, periods, reason: exception.note.trim() || holiday?.name || null, source: 'exception' };
  }
  if (holiday) return { date, periods: [], reason: holiday.name, source: 'holiday' };
  const weekday = weekdayOf(date);
  const periods = weekly
    .filter((h) => h.weekday === weekday)
    .map(({ opens, closes }) => ({ opens, closes }))
    .sort((a, b) => a.opens.localeCompare(b.opens));
  return { date, periods, reason: null, source: 'weekly' };
}

/** "i morgen", "mandag" within the week, "mandag 4. januar" beyond it. */
function whenFrom(today: string, date: string): string {
  const ahead = Math.round((Date.parse(`${date}T12:00:00Z`) - Date.parse(`${today}T12:00:00Z`)) / 86_400_000);
  if (ahead === 1) return 'i morgen';
  if (ahead < 7) return weekdayLabel(date);
  return `${weekdayLabel(date)} ${showDayMonth(date)}`;
}

function nextOpening(today: string, weekly: WeeklyHours[], exceptions: OpeningException[], holidays: Holiday[]): string | null {
  for (let i = 1; i <= LOOK_AHEAD_DAYS; i++) {
    const date = addDays(today, i);
    const first = dayPlan(date, weekly, exceptions, holidays).periods[0];
    if (first) return `åbner ${whenFrom(today, date)} kl. ${showTime(first.opens)}`;
  }
  return null;
}

/**
 * Today's status in a sentence, for a date and wall-clock time in Copenhagen:
 * "Åbent i dag 10–15", "Åbent nu – lukker kl. 15", "Lukket i dag (Juleaftensdag)", "Lukket nu – åbner i morgen kl. 10".
 */
export function statusOn(date: string, now: string, weekly: WeeklyHours[], exceptions: OpeningException[], holidays: Holiday[]): string {
  const plan = dayPlan(date, weekly, exceptions, holidays);
  const later = () => nextOpening(date, weekly, exceptions, holidays);

  if (plan.periods.length === 0) {
    const next = later();
    return `Lukket i dag${plan.reason ? ` (${plan.reason})` : ''}${next ? ` – ${next}` : ''}`;
  }
  const current = plan.periods.find((p) => p.opens <= now && now < p.closes);
  if (current) return `Åbent nu – lukker kl. ${showTime(current.closes)}`;

  const changed = plan.source === 'exception' && plan.reason ? ` (${plan.reason})` : '';
  const first = plan.periods[0]!;
  if (now < first.opens) return `Åbent i dag ${showPeriods(plan.periods)}${changed}`;
  const reopens = plan.periods.find((p) => now < p.opens);
  if (reopens) return `Lukket nu – åbner igen kl. ${showTime(reopens.opens)}`;
  const next = later();
  return `Lukket nu${next ? ` – ${next}` : ''}`;
}
