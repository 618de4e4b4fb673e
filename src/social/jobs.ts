import type { DbOrTx } from '../platform/database.ts';
import { nowIso } from '../platform/ids.ts';
import { enqueue } from '../platform/jobs/enqueue.ts';
import type { JobRunner } from '../platform/jobs/runner.ts';
import type { SocialContext } from './context.ts';
import type { Subscriptions, OutboxEventPayload } from '../platform/outbox/dispatcher.ts';
import { ITEM_PUBLISHED_JOB, postsFromPublishedItem } from './from-items.ts';
import { SEND_JOB, sendDue, wakeSender, type SendLogger } from './sender.ts';

export const SWEEP_JOB = 'social.sweep';
const MINUTE = 60_000;

/** Once a minute: wakes the sender of every account with something due, should a wake have been lost. */
export function scheduleSocialSweep(db: DbOrTx, after: Date = new Date()): Promise<string> {
  const next = new Date(Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE);
  return enqueue(db, SWEEP_JOB, {}, { runAt: next, uniqueKey: `${SWEEP_JOB}:${next.toISOString()}`, maxAttempts: 3 });
}

export async function accountsWithDuePosts(db: DbOrTx, now: string): Promise<string[]> {
  const rows = await db
    .selectFrom('social_posts as p')
    .innerJoin('social_accounts as a', 'a.id', 'p.account_id')
    .select('p.account_id')
    .distinct()
    .where('p.state', 'in', ['scheduled', 'sending'])
    .where('p.next_attempt_at', '<=', now)
    .where('a.status', '=', 'connected')
    .where('a.active', '=', 1)
    .where((eb) => eb.or([eb('a.rate_limited_until', 'is', null), eb('a.rate_limited_until', '<=', now)]))
    .execute();
  return rows.map((r) => r.account_id);
}

export function registerSocialJobs(runner: JobRunner, subscriptions: Subscriptions | null, ctx: SocialContext, logger: SendLogger): void {
  if (subscriptions) subscriptions.subscribe('item.published', ITEM_PUBLISHED_JOB);
  runner.register<OutboxEventPayload>(ITEM_PUBLISHED_JOB, async (event) => {
    const made = await postsFromPublishedItem(ctx, event);
    if (made) logger.info({ itemId: event.objectId, posts: made }, 'published item placed on social media');
  });
  runner.register<{ accountId: string }>(SEND_JOB, async ({ accountId }) => {
    const { sent, failed } = await sendDue(ctx, accountId, { workerId: runner.workerId, logger });
    if (sent || failed) logger.info({ accountId, sent, failed }, 'social posts sent');
  });
  runner.register(SWEEP_JOB, async (_payload, { db }) => {
    await scheduleSocialSweep(db);
    for (const accountId of await accountsWithDuePosts(db, nowIso())) await wakeSender(db, accountId);
  });
}
