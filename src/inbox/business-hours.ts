import { closingDaysOf } from '../site/opening-status.ts';
import { localDate, localInputToDate } from '../platform/time.ts';

// The clock on a question (S2) runs in the account's business hours only: a question asked on Friday evening is
// due on Monday, not on Saturday morning. Public holidays and the customary closing days are closed.

export interface BusinessHours {
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  opens: string;
  closes: string;
}

/** The usual hours when an account has none of its own: Monday–Thursday 8–15, Friday 8–13. */
export const DEFAULT_BUSINESS_HOURS: BusinessHours[] = [
  { weekday: 1, opens: '08:00', closes: '15:00' },
  { weekday: 2, opens: '08:00', closes: '15:00' },
  { weekday: 3, opens: '08:00', closes: '15:00' },
  { weekday: 4, opens: '08:00', closes: '15:00' },
  { weekday: 5, opens: '08:00', closes: '13:00' },
];

/** How long a question may wait for its first answer, in business minutes. */
export const ANSWER_WITHIN_MINUTES = 4 * 60;

export function parseBusinessHours(json: string | null): BusinessHours[] {
  if (!json) return DEFAULT_BUSINESS_HOURS;
  try {
    const hours = JSON.parse(json) as BusinessHours[];
    return Array.isArray(hours) && hours.length ? hours : DEFAULT_BUSINESS_HOURS;
  } catch {
    return DEFAULT_BUSINESS_HOURS;
  }
}

const weekdayOf = (date: string): number => {
  const d = new Date(`${date}T12:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
};

const nextDate = (date: string): string => new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

// Turning a local date and time into an instant asks Intl for the offset, which is slow beside the rest; counting the
// response times of thousands of questions asks for the same days again and again. Kept per hours list (the same
// list object for one account's questions), so a list nobody holds any more is let go with its days.
const periods = new WeakMap<BusinessHours[], Map<string, { from: Date; to: Date } | null>>();

function openPeriod(date: string, hours: BusinessHours[]): { from: Date; to: Date } | null {
  let known = periods.get(hours);
  if (!known) periods.set(hours, (known = new Map()));
  if (known.has(date)) return known.get(date)!;
  const open = findOpenPeriod(date, hours);
  if (known.size > 5000) known.clear();
  known.set(date, open);
  return open;
}

function findOpenPeriod(date: string, hours: BusinessHours[]): { from: Date; to: Date } | null {
  if (closingDaysOf(Number(date.slice(0, 4))).some((h) => h.date === date)) return null;
  const h = hours.find((x) => x.weekday === weekdayOf(date));
  if (!h) return null;
  const from = localInputToDate(`${date}T${h.opens}`);
  const to = localInputToDate(`${date}T${h.closes}`);
  return from && to && to > from ? { from, to } : null;
}

/** The moment `minutes` of business time have passed after `start`. */
export function addBusinessMinutes(start: Date, minutes: number, hours: BusinessHours[] = DEFAULT_BUSINESS_HOURS): Date {
  let left = minutes * 60_000;
  let date = localDate(start);
  for (let day = 0; day < 400; day++, date = nextDate(date)) {
    const open = openPeriod(date, hours);
    if (!open) continue;
    const from = Math.max(open.from.getTime(), start.getTime());
    const available = open.to.getTime() - from;
    if (available <= 0) continue;
    if (left <= available) return new Date(from + left);
    left -= available;
  }
  throw new Error('No business hours within a year');
}

// Copenhagen's offset is whole hours and changes on the hour, so an instant's local date is that of its UTC hour.
const datesByHour = new Map<number, string>();
function localDateOf(at: Date): string {
  const hour = Math.floor(at.getTime() / 3_600_000);
  let date = datesByHour.get(hour);
  if (date === undefined) {
    if (datesByHour.size > 50_000) datesByHour.clear();
    date = localDate(new Date(hour * 3_600_000));
    datesByHour.set(hour, date);
  }
  return date;
}

/** Business minutes between two moments (for first-response times in the dashboard). */
export function businessMinutesBetween(from: Date, to: Date, hours: BusinessHours[] = DEFAULT_BUSINESS_HOURS): number {
  if (to <= from) return 0;
  let total = 0;
  let date = localDateOf(from);
  const last = localDateOf(to);
  for (let day = 0; day < 400 && date <= last; day++, date = nextDate(date)) {
    const open = openPeriod(date, hours);
    if (!open) continue;
    const a = Math.max(open.from.getTime(), from.getTime());
    const b = Math.min(open.to.getTime(), to.getTime());
    if (b > a) total += b - a;
  }
  return Math.round(total / 60_000);
}
