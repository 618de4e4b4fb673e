import type { FastifyInstance } from 'fastify';
import { queryOf, queryString, text } from '../platform/forms.ts';
import { addDays, localDate, localInputToDate, TIME_ZONE } from '../platform/time.ts';
import { accountFor, accountsFor } from './accounts.ts';
import { accountLabel } from './model.ts';
import { NETWORK_LABELS } from './providers/types.ts';
import { summarise } from './post-routes.ts';
import * as store from './store.ts';

// The calendar of planned and sent posts (S1): a week, or a month, with the days as rows, for all the person's
// accounts or one. Days are Copenhagen days.

const CALENDAR_PATH = '/admin/sociale-medier/kalender';
const SHOWN_STATES = ['awaiting_approval', 'scheduled', 'sending', 'sent', 'failed'];
const DAY_MS = 24 * 60 * 60_000;

const weekday = (date: string): number => (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;

/** The ISO week a date belongs to: "2026-W49". */
export function isoWeekOf(date: string): string {
  const thursday = addDays(date, 3 - weekday(date));
  const year = Number(thursday.slice(0, 4));
  const week = 1 + Math.floor((Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${mondayOfWeekOne(year)}T00:00:00Z`)) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Week 1 is the week with 4 January in it. */
function mondayOfWeekOne(year: number): string {
  const jan4 = `${year}-01-04`;
  return addDays(jan4, -weekday(jan4));
}

/** The Monday of an ISO week, or null when the text names no week. */
export function mondayOf(week: string): string | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return null;
  const monday = addDays(mondayOfWeekOne(Number(m[1])), (Number(m[2]) - 1) * 7);
  return isoWeekOf(monday) === week ? monday : null;
}

const dayLabel = new Intl.DateTimeFormat('da-DK', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' });
const dateLabel = new Intl.DateTimeFormat('da-DK', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
const dayMonthLabel = new Intl.DateTimeFormat('da-DK', { timeZone: 'UTC', day: 'numeric', month: 'long' });
const monthLabel = new Intl.DateTimeFormat('da-DK', { timeZone: 'UTC', month: 'long', year: 'numeric' });
const timeLabel = new Intl.DateTimeFormat('da-DK', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' });
const noon = (date: string) => new Date(`${date}T12:00:00Z`);
const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

interface Period {
  kind: 'week' | 'month';
  first: string;
  days: number;
  heading: string;
  previous: Record<string, string>;
  next: Record<string, string>;
  current: Record<string, string>;
  other: { label: string; query: Record<string, string> };
}

function periodOf(week: string, month: string, today: string): Period {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    const first = `${month}-01`;
    const following = Number(m[2]) === 12 ? `${Number(m[1]) + 1}-01-01` : `${m[1]}-${String(Number(m[2]) + 1).padStart(2, '0')}-01`;
    const days = Math.round((Date.parse(`${following}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / DAY_MS);
    return {
      kind: 'month',
      first,
      days,
      heading: capitalised(monthLabel.format(noon(first))),
      previous: { maaned: addDays(first, -1).slice(0, 7) },
      next: { maaned: following.slice(0, 7) },
      current: { maaned: today.slice(0, 7) },
      other: { label: 'Vis ugen', query: { uge: isoWeekOf(first) } },
    };
  }
  const monday = mondayOf(week) ?? addDays(today, -weekday(today));
  const shown = isoWeekOf(monday);
  return {
    kind: 'week',
    first: monday,
    days: 7,
    heading: `Uge ${Number(shown.slice(6))}, ${shown.slice(0, 4)} (${(monday.slice(0, 4) === addDays(monday, 6).slice(0, 4) ? dayMonthLabel : dateLabel).format(noon(monday))} – ${dateLabel.format(noon(addDays(monday, 6)))})`,
    previous: { uge: isoWeekOf(addDays(monday, -7)) },
    next: { uge: isoWeekOf(addDays(monday, 7)) },
    current: { uge: isoWeekOf(today) },
    other: { label: 'Vis måneden', query: { maaned: monday.slice(0, 7) } },
  };
}

export async function calendarRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx.social;

  app.get('/kalender', async (request, reply) => {
    const q = queryOf(request);
    const actor = request.actor!;
    const accountId = text(q, 'konto').trim();
    // Naming an account the person may not use is refused, as its own page would be.
    if (accountId) await accountFor(ctx, actor, accountId);
    const accounts = await accountsFor(ctx, actor);
    const byId = new Map(accounts.map((a) => [a.id, a]));
    const today = localDate();
    const period = periodOf(text(q, 'uge').trim(), text(q, 'maaned').trim(), today);
    const from = localInputToDate(`${period.first}T00:00`)!;
    const to = localInputToDate(`${addDays(period.first, period.days)}T00:00`)!;
    const posts = await store.listPosts(ctx.db, { accountIds: accountId ? [accountId] : accounts.map((a) => a.id), states: SHOWN_STATES, from: from.toISOString(), to: to.toISOString(), limit: 2000 });
    const summaries = summarise(posts, byId);
    const days = Array.from({ length: period.days }, (_, i) => {
      const date = addDays(period.first, i);
      return {
        date,
        label: capitalised(dayLabel.format(noon(date))),
        today: date === today,
        posts: summaries.filter((p) => localDate(new Date(p.scheduledAt)) === date).map((p) => ({ ...p, time: timeLabel.format(new Date(p.sentAt ?? p.scheduledAt)) })),
      };
    });
    const withAccount = (query: Record<string, string>) => `${CALENDAR_PATH}${queryString({ konto: accountId || undefined, ...query })}`;
    return reply.view('social/views/calendar.njk', {
      title: 'Kalender for sociale medier',
      socialMenu: true,
      period,
      days,
      total: summaries.length,
      accountId,
      accountName: accountId ? accountLabel(byId.get(accountId) ?? (await accountFor(ctx, actor, accountId))) : null,
      accountOptions: accounts.map((a) => ({ value: a.id, text: `${accountLabel(a)} – ${NETWORK_LABELS[a.network]}` })),
      periodQuery: period.kind === 'week' ? { name: 'uge', value: isoWeekOf(period.first) } : { name: 'maaned', value: period.first.slice(0, 7) },
      links: { previous: withAccount(period.previous), next: withAccount(period.next), current: withAccount(period.current), other: withAccount(period.other.query), otherLabel: period.other.label },
    });
  });
}
