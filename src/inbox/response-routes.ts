import type { FastifyInstance } from 'fastify';
import { maskCpr } from '../moderation/cpr.ts';
import { ForbiddenError } from '../platform/errors.ts';
import { queryOf, text } from '../platform/forms.ts';
import { NETWORK_LABELS } from '../social/providers/types.ts';
import { NO_ACCOUNT_MESSAGE } from '../social/routes.ts';
import { requireSignIn } from '../signin/request-actor.ts';
import { ANSWER_WITHIN_MINUTES } from './business-hours.ts';
import { DEFAULT_PERIOD, type Figures, lastDays, overdueQuestions, type Period, PERIODS, responseAccountsFor, responseTimes, showDuration } from './response-times.ts';

// The response-time dashboard (S2): median and 90th percentile of the first answer per account and per unit, and the
// questions that are overdue now. Anyone who may use an account sees its figures; the head of a unit sees its
// accounts' figures too (the weekly summary links here), but opens only the items of accounts they may use.

export const RESPONSE_TIMES_PATH = '/admin/indbakke/svartider';
const itemHref = (id: string) => `/admin/indbakke/${id}`;

const PERIOD_LABELS: Record<Period, string> = { 7: 'Seneste 7 dage', 30: 'Seneste 30 dage', 90: 'Seneste 90 dage' };

function cellsOf(f: Figures) {
  return {
    questions: f.questions,
    answered: f.answered,
    unanswered: f.unanswered,
    inTime: f.answered ? `${Math.round((f.answeredInTime / f.answered) * 100)} %` : '–',
    overdue: f.overdue,
    businessMedian: showDuration(f.businessMedian, { days: false }),
    businessP90: showDuration(f.businessP90, { days: false }),
    elapsedMedian: showDuration(f.elapsedMedian),
    elapsedP90: showDuration(f.elapsedP90),
  };
}

export async function responseTimeRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx.social;

  app.addHook('onRequest', requireSignIn);

  app.get('/svartider', async (request, reply) => {
    const actor = request.actor!;
    const { accounts, usable } = await responseAccountsFor(ctx, actor);
    if (!accounts.length) throw new ForbiddenError(NO_ACCOUNT_MESSAGE);
    const wanted = Number(text(queryOf(request), 'dage'));
    const days: Period = (PERIODS as readonly number[]).includes(wanted) ? (wanted as Period) : DEFAULT_PERIOD;
    const now = new Date();
    const [figures, overdue] = await Promise.all([
      responseTimes(ctx.db, accounts, lastDays(days, now)),
      overdueQuestions(ctx.db, accounts.map((a) => a.id), now),
    ]);
    const byId = new Map(accounts.map((a) => [a.id, a]));
    const overdueTotal = figures.total.overdue;
    return reply.view('inbox/views/response-times.njk', {
      title: 'Svartider',
      socialMenu: true,
      days,
      periodOptions: PERIODS.map((p) => ({ value: String(p), text: PERIOD_LABELS[p] })),
      periodLabel: PERIOD_LABELS[days].toLowerCase(),
      deadline: ANSWER_WITHIN_MINUTES % 60 ? showDuration(ANSWER_WITHIN_MINUTES, { days: false }) : `${ANSWER_WITHIN_MINUTES / 60} timer`,
      accounts: figures.accounts.map((f) => ({
        name: f.account.name,
        network: NETWORK_LABELS[f.account.network],
        unitName: f.account.unitName,
        ...cellsOf(f),
      })),
      units: figures.units.map((u) => ({ name: u.unitName, accountCount: u.accountCount, ...cellsOf(u) })),
      total: cellsOf(figures.total),
      showTotal: figures.units.length > 1,
      overdue: overdue.map((q) => {
        const account = byId.get(q.accountId)!;
        return {
          id: q.id,
          href: usable.has(q.accountId) ? itemHref(q.id) : null,
          authorName: q.authorName,
          text: maskCpr(q.text),
          accountName: `${account.name} (${NETWORK_LABELS[account.network]})`,
          writtenAt: q.writtenAt,
          answerDueAt: q.answerDueAt,
          overdueFor: showDuration((now.getTime() - Date.parse(q.answerDueAt)) / 60_000),
        };
      }),
      overdueTotal,
      overdueMore: overdueTotal > overdue.length,
    });
  });
}
