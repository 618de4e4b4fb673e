import type { Actor } from '../org/actor.ts';
import type { DbOrTx } from '../platform/database.ts';
import type { SocialContext } from '../social/context.ts';
import type { Account } from '../social/model.ts';
import * as store from '../social/store.ts';
import { businessMinutesBetween, parseBusinessHours } from './business-hours.ts';
import { inboxAccountsFor } from './service.ts';

// Response times (S2): how long citizens' questions wait for their first answer, per account and per unit. A question
// is an item the classifier gave a deadline (`answer_due_at`); its clock runs from when the citizen wrote it
// (`written_at`) until the first reply (`answered_at`). Times are measured in the account's business hours, as the
// deadline is, and also in plain elapsed time. Only answered questions have a response time; the unanswered ones are
// counted beside them.

/** The periods the dashboard offers, in days. */
export const PERIODS = [7, 30, 90] as const;
export type Period = (typeof PERIODS)[number];
export const DEFAULT_PERIOD: Period = 30;
const DAY = 24 * 60 * 60_000;
/** The overdue questions listed on the dashboard; the inbox's own filter has them all. */
export const OVERDUE_LIST_LIMIT = 100;

export interface Figures {
  questions: number;
  answered: number;
  unanswered: number;
  /** Answered no later than the deadline. */
  answeredInTime: number;
  /** Unanswered, open, and past their deadline now (whenever they were asked). */
  overdue: number;
  /** Minutes of the account's business hours. Null when nothing was answered. */
  businessMedian: number | null;
  businessP90: number | null;
  /** Plain elapsed minutes. */
  elapsedMedian: number | null;
  elapsedP90: number | null;
}

export interface AccountFigures extends Figures {
  account: Account;
}

export interface UnitFigures extends Figures {
  unitId: string;
  unitName: string;
  accountCount: number;
}

export interface ResponseTimes {
  from: Date;
  to: Date;
  accounts: AccountFigures[];
  units: UnitFigures[];
  total: Figures;
}

/**
 * The p-th percentile (0–1) of sorted numbers, interpolated between the two nearest ranks (as PostgreSQL's
 * percentile_cont): the median of 10, 20, 30, 40 is 25.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const at = (sorted.length - 1) * p;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

interface Sample {
  questions: number;
  answered: number;
  answeredInTime: number;
  overdue: number;
  business: number[];
  elapsed: number[];
}

const emptySample = (): Sample => ({ questions: 0, answered: 0, answeredInTime: 0, overdue: 0, business: [], elapsed: [] });

function figuresOf(s: Sample): Figures {
  const business = [...s.business].sort((a, b) => a - b);
  const elapsed = [...s.elapsed].sort((a, b) => a - b);
  const round = (n: number | null) => (n === null ? null : Math.round(n));
  return {
    questions: s.questions,
    answered: s.answered,
    unanswered: s.questions - s.answered,
    answeredInTime: s.answeredInTime,
    overdue: s.overdue,
    businessMedian: round(percentile(business, 0.5)),
    businessP90: round(percentile(business, 0.9)),
    elapsedMedian: round(percentile(elapsed, 0.5)),
    elapsedP90: round(percentile(elapsed, 0.9)),
  };
}

function merge(into: Sample, s: Sample): void {
  into.questions += s.questions;
  into.answered += s.answered;
  into.answeredInTime += s.answeredInTime;
  into.overdue += s.overdue;
  into.business.push(...s.business);
  into.elapsed.push(...s.elapsed);
}

/** Unanswered open questions past their deadline, per account (the partial index `inbox_items_overdue`). */
async function overdueCounts(db: DbOrTx, accountIds: string[], now: Date): Promise<Map<string, number>> {
  if (!accountIds.length) return new Map();
  const rows = await db
    .selectFrom('inbox_items')
    .select(['account_id', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('account_id', 'in', accountIds)
    .where('answered_at', 'is', null)
    .where('answer_due_at', 'is not', null)
    .where('answer_due_at', '<', now.toISOString())
    .where('state', '=', 'open')
    .groupBy('account_id')
    .execute();
  return new Map(rows.map((r) => [r.account_id, Number(r.n)]));
}

/**
 * The figures for questions asked from `from` up to `to`, per account, per unit (its accounts' questions together)
 * and for all of them; "overdue" is as of `now`. Reads only the question index's columns; business time is counted
 * in the process with each account's own hours.
 */
export async function responseTimes(db: DbOrTx, accounts: Account[], period: { from: Date; to: Date; now?: Date }): Promise<ResponseTimes> {
  const now = period.now ?? new Date();
  const ids = accounts.map((a) => a.id);
  const samples = new Map(ids.map((id) => [id, emptySample()]));
  if (ids.length) {
    const hoursRows = await db.selectFrom('social_accounts').select(['id', 'business_hours']).where('id', 'in', ids).execute();
    const hours = new Map(hoursRows.map((r) => [r.id, parseBusinessHours(r.business_hours)]));
    const rows = await db
      .selectFrom('inbox_items')
      .select(['account_id', 'written_at', 'answered_at', 'answer_due_at'])
      .where('account_id', 'in', ids)
      .where('answer_due_at', 'is not', null)
      .where('written_at', '>=', period.from.toISOString())
      .where('written_at', '<', period.to.toISOString())
      .execute();
    for (const r of rows) {
      const s = samples.get(r.account_id)!;
      s.questions++;
      if (!r.answered_at) continue;
      s.answered++;
      if (r.answer_due_at && r.answered_at <= r.answer_due_at) s.answeredInTime++;
      const asked = new Date(r.written_at);
      const answered = new Date(r.answered_at);
      s.elapsed.push(Math.max(0, (answered.getTime() - asked.getTime()) / 60_000));
      s.business.push(businessMinutesBetween(asked, answered, hours.get(r.account_id)));
    }
    for (const [id, n] of await overdueCounts(db, ids, now)) samples.get(id)!.overdue = n;
  }

  const units = new Map<string, { unitName: string; accountCount: number; sample: Sample }>();
  const total = emptySample();
  for (const a of accounts) {
    const s = samples.get(a.id)!;
    const unit = units.get(a.unitId) ?? { unitName: a.unitName, accountCount: 0, sample: emptySample() };
    unit.accountCount++;
    merge(unit.sample, s);
    units.set(a.unitId, unit);
    merge(total, s);
  }
  return {
    from: period.from,
    to: period.to,
    accounts: accounts.map((a) => ({ account: a, ...figuresOf(samples.get(a.id)!) })),
    units: [...units.entries()].map(([unitId, u]) => ({ unitId, unitName: u.unitName, accountCount: u.accountCount, ...figuresOf(u.sample) })).sort((a, b) => a.unitName.localeCompare(b.unitName, 'da')),
    total: figuresOf(total),
  };
}

/** The last `days` days up to now. */
export const lastDays = (days: number, now: Date = new Date()) => ({ from: new Date(now.getTime() - days * DAY), to: now, now });

export interface OverdueQuestion {
  id: string;
  accountId: string;
  authorName: string;
  text: string;
  writtenAt: string;
  answerDueAt: string;
}

/** Unanswered open questions past their deadline now, the longest overdue first. */
export async function overdueQuestions(db: DbOrTx, accountIds: string[], now: Date = new Date(), limit = OVERDUE_LIST_LIMIT): Promise<OverdueQuestion[]> {
  if (!accountIds.length) return [];
  const rows = await db
    .selectFrom('inbox_items')
    .select(['id', 'account_id', 'author_name', 'text', 'written_at', 'answer_due_at'])
    .where('account_id', 'in', accountIds)
    .where('answered_at', 'is', null)
    .where('answer_due_at', 'is not', null)
    .where('answer_due_at', '<', now.toISOString())
    .where('state', '=', 'open')
    .orderBy('answer_due_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, accountId: r.account_id, authorName: r.author_name, text: r.text, writtenAt: r.written_at, answerDueAt: r.answer_due_at! }));
}

/**
 * The accounts whose response times a person sees: those they may use in the inbox, and — as the weekly summary goes
 * to them too — the accounts of the units they head. `usable` says which of them the person may open items of.
 */
export async function responseAccountsFor(ctx: Pick<SocialContext, 'db'>, actor: Actor | null): Promise<{ accounts: Account[]; usable: Set<string> }> {
  const own = await inboxAccountsFor(ctx, actor);
  const usable = new Set(own.map((a) => a.id));
  if (!actor?.personId) return { accounts: own, usable };
  const headed = new Set((await ctx.db.selectFrom('units').select('id').where('head_id', '=', actor.personId).where('active', '=', 1).execute()).map((u) => u.id));
  if (!headed.size) return { accounts: own, usable };
  const more = (await store.listAccounts(ctx.db)).filter((a) => headed.has(a.unitId) && !usable.has(a.id));
  const accounts = [...own, ...more].sort((a, b) => a.name.localeCompare(b.name, 'da') || a.network.localeCompare(b.network));
  return { accounts, usable };
}

/** A duration in Danish: "45 min", "2 t 15 min", "1 dag 4 t", "12 dage". `days: false` keeps to hours (business time). */
export function showDuration(minutes: number | null, options: { days?: boolean } = {}): string {
  if (minutes === null) return '–';
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  if (options.days === false || m < 24 * 60) {
    const h = Math.floor(m / 60);
    const rest = m % 60;
    return rest ? `${h} t ${rest} min` : `${h} t`;
  }
  const d = Math.floor(m / (24 * 60));
  const h = Math.round((m - d * 24 * 60) / 60);
  const dayText = d === 1 ? '1 dag' : `${d} dage`;
  if (d >= 10 || h === 0) return dayText;
  if (h === 24) return `${d + 1} dage`;
  return `${dayText} ${h} t`;
}
