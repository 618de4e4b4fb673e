import type { Db, DbOrTx } from '../platform/database.ts';
import { enqueue } from '../platform/jobs/enqueue.ts';
import type { JobRunner } from '../platform/jobs/runner.ts';
import { localDate, localInputToDate } from '../platform/time.ts';
import type { BorgerdkClient } from './client.ts';
import { refreshArticles } from './service.ts';
import { allArticleIds } from './store.ts';

/** Once a night: adds one refresh job per imported article. */
export const REFRESH_ALL_JOB = 'borgerdk.refresh_all';
/** One article; a failed fetch is recorded on the article and the job tries again later. */
export const REFRESH_ARTICLE_JOB = 'borgerdk.refresh_article';

/** Early, when few read the site and before the editors arrive. */
const REFRESH_AT = '05:00';
/** borger.dk away is more often an hour's maintenance than a minute's hiccup. */
const RETRY_AFTER_MS = 15 * 60 * 1000;
const ARTICLE_ATTEMPTS = 8;

const DAY = 24 * 60 * 60 * 1000;
const nextDay = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);

/** The next 05:00 Copenhagen time after `after`, and that date, which names the night's run. */
export function nextRefreshTime(after: Date): { day: string; at: Date } {
  let day = localDate(after);
  let at = localInputToDate(`${day}T${REFRESH_AT}`)!;
  if (at.getTime() <= after.getTime()) {
    day = nextDay(day);
    at = localInputToDate(`${day}T${REFRESH_AT}`)!;
  }
  return { day, at };
}

/** Keeps one nightly run: the unique key names the day, so several processes starting, or the run rescheduling itself, add it once. */
export function scheduleBorgerdkRefresh(db: DbOrTx, after: Date = new Date()): Promise<string> {
  const { day, at } = nextRefreshTime(after);
  return enqueue(db, REFRESH_ALL_JOB, { day }, { runAt: at, uniqueKey: `${REFRESH_ALL_JOB}:${day}`, maxAttempts: 3 });
}

/** One job per imported article for the night's run; returns how many. */
export async function enqueueArticleRefreshes(db: Db, day: string): Promise<number> {
  const ids = await allArticleIds(db);
  for (const articleId of ids) {
    await enqueue(db, REFRESH_ARTICLE_JOB, { articleId, day }, { uniqueKey: `${REFRESH_ARTICLE_JOB}:${day}:${articleId}`, maxAttempts: ARTICLE_ATTEMPTS });
  }
  return ids.length;
}

/** Thrown by a refresh that failed, so the runner tries again in a while; the article already shows the error. */
class RefreshFailed extends Error {
  readonly retryAfter = RETRY_AFTER_MS;
}

export function registerBorgerdkJobs(runner: JobRunner, client: BorgerdkClient): void {
  runner.register<{ day: string }>(REFRESH_ALL_JOB, async (payload, { db }) => {
    // Tomorrow first, so a night whose run keeps failing does not end the series.
    await scheduleBorgerdkRefresh(db);
    await enqueueArticleRefreshes(db, payload.day);
  });
  runner.register<{ articleId: number }>(REFRESH_ARTICLE_JOB, async (payload, { db }) => {
    const [outcome] = await refreshArticles(db, client, [payload.articleId], null);
    if (outcome && !outcome.ok) throw new RefreshFailed(outcome.error ?? 'borger.dk svarede ikke');
  });
}
