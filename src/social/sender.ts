import fs from 'node:fs/promises';
import path from 'node:path';
import { notify } from '../notifications/notify.ts';
import { systemActor, auditActor } from '../org/actor.ts';
import { audit } from '../platform/audit/service.ts';
import type { DbOrTx } from '../platform/database.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { enqueue } from '../platform/jobs/enqueue.ts';
import { recordEvent } from '../platform/outbox/publish.ts';
import type { SocialContext } from './context.ts';
import { MAX_ATTEMPTS, retryDelayMs } from './model.ts';
import { finalText, sameText } from './post-text.ts';
import { ProviderError, type OutgoingImage, type ProviderAccount, type SocialProvider } from './providers/types.ts';
import * as store from './store.ts';
import type { SocialAccountRow, SocialPostRow } from './tables.ts';
import { providerAccount } from './tokens.ts';

// Sending, exactly once. One sender per account at a time (a lease on the account row), posts in the order they
// are due. Every attempt is written down before the network is called; an attempt whose outcome is not known (a
// timeout after the network may have accepted the post, or a worker that died) makes the next try read the
// account's recent posts first — or, on Mastodon, send the same Idempotency-Key — so a retry never publishes twice.

export const SEND_JOB = 'social.send';
const LEASE_MS = 2 * 60_000;
/** Mastodon keeps an Idempotency-Key for an hour; older attempts are checked by reading like the others. */
const IDEMPOTENCY_WINDOW_MS = 50 * 60_000;
/** Posts made shortly before the attempt was written down still count when looking for it. */
const LOOKBACK_MS = 5 * 60_000;

export interface SendLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

const silent: SendLogger = { info() {}, warn() {} };

/** Asks for the account's sender to run at `at` (now when left out). Repeating it is harmless. */
export async function wakeSender(tx: DbOrTx, accountId: string, at?: Date): Promise<void> {
  await enqueue(tx, SEND_JOB, { accountId }, at ? { runAt: at, uniqueKey: `${SEND_JOB}:${accountId}:${at.toISOString()}` } : {});
}

export interface SendOutcome {
  sent: number;
  failed: number;
}

/** Sends what is due for one account. Returns at once when another worker holds the account. */
export async function sendDue(ctx: SocialContext, accountId: string, options: { workerId: string; logger?: SendLogger }): Promise<SendOutcome> {
  const logger = options.logger ?? silent;
  const outcome: SendOutcome = { sent: 0, failed: 0 };
  for (let round = 0; round < 100; round++) {
    if (!(await claimAccount(ctx, accountId, options.workerId))) return outcome;
    try {
      await drain(ctx, accountId, options.workerId, outcome, logger);
    } finally {
      await releaseAccount(ctx, accountId, options.workerId);
    }
    // A post may have become due between the last look and the release, while another wake found the account held.
    if (!(await somethingDueNow(ctx, accountId))) break;
  }
  await wakeForNextRetry(ctx, accountId);
  return outcome;
}

async function claimAccount(ctx: SocialContext, accountId: string, workerId: string): Promise<boolean> {
  const now = new Date();
  const result = await ctx.db
    .updateTable('social_accounts')
    .set({ sending_until: new Date(now.getTime() + LEASE_MS).toISOString(), sending_by: workerId })
    .where('id', '=', accountId)
    .where((eb) => eb.or([eb('sending_until', 'is', null), eb('sending_until', '<', now.toISOString()), eb('sending_by', '=', workerId)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

async function releaseAccount(ctx: SocialContext, accountId: string, workerId: string): Promise<void> {
  await ctx.db.updateTable('social_accounts').set({ sending_until: null, sending_by: null }).where('id', '=', accountId).where('sending_by', '=', workerId).execute();
}

async function nextDuePost(ctx: SocialContext, accountId: string, now: string): Promise<SocialPostRow | undefined> {
  return ctx.db
    .selectFrom('social_posts')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('state', 'in', ['scheduled', 'sending'])
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

async function somethingDueNow(ctx: SocialContext, accountId: string): Promise<boolean> {
  const account = await store.findAccountRow(ctx.db, accountId);
  if (!account || !sendable(account, new Date())) return false;
  return !!(await nextDuePost(ctx, accountId, nowIso()));
}

/** The earliest later retry gets a wake of its own, so nothing waits for the minute's sweep. */
async function wakeForNextRetry(ctx: SocialContext, accountId: string): Promise<void> {
  const account = await store.findAccountRow(ctx.db, accountId);
  if (!account || account.active !== 1 || account.status !== 'connected') return;
  const next = await ctx.db
    .selectFrom('social_posts')
    .select('next_attempt_at')
    .where('account_id', '=', accountId)
    .where('state', 'in', ['scheduled', 'sending'])
    .where('next_attempt_at', 'is not', null)
    .orderBy('next_attempt_at')
    .limit(1)
    .executeTakeFirst();
  if (!next?.next_attempt_at) return;
  const limited = account.rate_limited_until && account.rate_limited_until > next.next_attempt_at ? account.rate_limited_until : next.next_attempt_at;
  await wakeSender(ctx.db, accountId, new Date(limited));
}

function sendable(account: SocialAccountRow, now: Date): boolean {
  if (account.active !== 1 || account.status !== 'connected') return false;
  return !account.rate_limited_until || new Date(account.rate_limited_until) <= now;
}

async function drain(ctx: SocialContext, accountId: string, workerId: string, outcome: SendOutcome, logger: SendLogger): Promise<void> {
  for (;;) {
    const account = await store.findAccountRow(ctx.db, accountId);
    if (!account || !sendable(account, new Date())) return;
    const post = await nextDuePost(ctx, accountId, nowIso());
    if (!post) return;
    // Keep the lease while working through a long queue.
    await claimAccount(ctx, accountId, workerId);
    const result = await sendOne(ctx, account, post, logger);
    if (result === 'sent') outcome.sent++;
    if (result === 'failed') outcome.failed++;
    if (result === 'stop') return;
  }
}

type OneResult = 'sent' | 'failed' | 'later' | 'stop';

async function sendOne(ctx: SocialContext, account: SocialAccountRow, post: SocialPostRow, logger: SendLogger): Promise<OneResult> {
  const provider = ctx.provider(account.network as SocialProvider['network']);
  let target: ProviderAccount | null;
  try {
    target = providerAccount(ctx, account);
  } catch (error) {
    logger.warn({ accountId: account.id, err: (error as Error).message }, 'social account tokens cannot be opened');
    await needsReauthorisation(ctx, account, post, 'Adgangsnøglen kan ikke læses; forbind kontoen igen.');
    return 'stop';
  }
  if (!target) {
    await needsReauthorisation(ctx, account, post, 'Kontoen er ikke forbundet.');
    return 'stop';
  }
  const text = finalText(provider.network, post.text, post.link_url);
  const call = { timeoutMs: ctx.timeoutMs };

  try {
    // 1. Did an earlier attempt get through?
    const attempts = await store.attemptsOf(ctx.db, post.id);
    const uncertain = attempts.filter((a) => a.outcome === null || a.outcome === 'unknown');
    const first = uncertain[0];
    if (first && (!provider.honoursIdempotencyKey || Date.now() - Date.parse(first.started_at) > IDEMPOTENCY_WINDOW_MS)) {
      const since = new Date(Date.parse(first.started_at) - LOOKBACK_MS);
      const recent = await provider.recentPosts(target, { since, idempotencyKey: post.id }, call);
      const found = recent.find((r) => sameText(text, r.text));
      if (found) {
        await markSent(ctx, post, found, uncertain.map((a) => a.id), 'found');
        logger.info({ postId: post.id, accountId: account.id }, 'social post found on the network after an uncertain attempt');
        return 'sent';
      }
    }

    // 2. Write the attempt down, then send.
    const number = post.attempts + 1;
    const attemptId = newId();
    // Only the post as it was read: an editor's change in between makes this a no-op, and the new text is sent later.
    const claimed = await ctx.db.transaction().execute(async (tx) => {
      const moved = await tx
        .updateTable('social_posts')
        .set({ state: 'sending', attempts: number, updated_at: nowIso() })
        .where('id', '=', post.id)
        .where('state', 'in', ['scheduled', 'sending'])
        .where('updated_at', '=', post.updated_at)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) === 0) return false;
      await store.insertAttempt(tx, { id: attemptId, post_id: post.id, number, started_at: nowIso(), finished_at: null, outcome: null, detail: null });
      return true;
    });
    if (!claimed) return 'later';
    try {
      const image = await imageOf(ctx, post);
      const published = await provider.publish(target, { text, link: post.link_url, image, idempotencyKey: post.id }, call);
      await markSent(ctx, { ...post, attempts: number }, published, [attemptId], 'sent');
      return 'sent';
    } catch (error) {
      return await attemptFailed(ctx, account, { ...post, attempts: number }, attemptId, error, logger);
    }
  } catch (error) {
    // Reading recent posts failed: nothing was sent; try later as the error says.
    return await notSentThisTime(ctx, account, post, error, logger);
  }
}

async function imageOf(ctx: SocialContext, post: SocialPostRow): Promise<OutgoingImage | null> {
  if (!post.media_id) return null;
  const media = await ctx.db.selectFrom('media').select(['id', 'renditions', 'original_name']).where('id', '=', post.media_id).executeTakeFirst();
  if (!media) throw new ProviderError('bad_content', 'The image has been deleted');
  const renditions = (JSON.parse(media.renditions) as { width: number; format: string; file: string }[]).filter((r) => r.format === 'jpg' && r.width <= 1600);
  const best = renditions.sort((a, b) => b.width - a.width)[0];
  if (!best) throw new ProviderError('bad_content', 'The image has no JPEG rendition');
  const bytes = await fs.readFile(path.join(ctx.mediaDir, media.id, best.file));
  return { bytes, mimeType: 'image/jpeg', alt: post.image_alt ?? '', fileName: `${path.parse(media.original_name).name || 'billede'}.jpg` };
}

async function markSent(ctx: SocialContext, post: SocialPostRow, published: { externalId: string; url: string | null }, attemptIds: string[], outcome: 'sent' | 'found'): Promise<void> {
  const at = nowIso();
  await ctx.db.transaction().execute(async (tx) => {
    for (const id of attemptIds) await store.finishAttempt(tx, id, outcome, null, at);
    await tx
      .updateTable('social_posts')
      .set({ state: 'sent', external_id: published.externalId, external_url: published.url, sent_at: at, next_attempt_at: null, error_kind: null, last_error: null, updated_at: at })
      .where('id', '=', post.id)
      .execute();
    await audit(tx, { ...auditActor(systemActor('udgivelse')), action: 'social_post.sent', objectType: 'social_post', objectId: post.id, details: { accountId: post.account_id, externalId: published.externalId, attempts: post.attempts } });
    await recordEvent(tx, { type: 'social.post_sent', objectType: 'social_post', objectId: post.id, payload: { accountId: post.account_id, externalId: published.externalId } });
  });
}

async function attemptFailed(ctx: SocialContext, account: SocialAccountRow, post: SocialPostRow, attemptId: string, error: unknown, logger: SendLogger): Promise<OneResult> {
  const e = asProviderError(error);
  // A timeout, or an error we cannot place, may have come after the network accepted the post.
  const outcome = e.kind === 'retry' ? (e.timedOut || !(error instanceof ProviderError) ? 'unknown' : 'retry') : e.kind;
  await store.finishAttempt(ctx.db, attemptId, outcome, e.message.slice(0, 500), nowIso());
  return notSentThisTime(ctx, account, post, e, logger);
}

async function notSentThisTime(ctx: SocialContext, account: SocialAccountRow, post: SocialPostRow, error: unknown, logger: SendLogger): Promise<OneResult> {
  const e = asProviderError(error);
  const meta = { postId: post.id, accountId: account.id, network: account.network, attempt: post.attempts, kind: e.kind, status: e.status, err: e.message };
  if (e.kind === 'reauthorize') {
    logger.warn(meta, 'social account needs to be connected again');
    await needsReauthorisation(ctx, account, post, 'Netværket godkender ikke længere adgangsnøglen; forbind kontoen igen.');
    return 'stop';
  }
  if (e.kind === 'bad_content') {
    logger.warn(meta, 'social post refused by the network');
    await markFailed(ctx, post, 'bad_content', `Netværket afviste opslaget: ${e.message}`);
    return 'failed';
  }
  if (e.retryAt) {
    await store.updateAccount(ctx.db, account.id, { rate_limited_until: e.retryAt.toISOString(), updated_at: nowIso() });
  }
  if (post.attempts >= MAX_ATTEMPTS) {
    logger.warn(meta, 'social post failed after its last attempt');
    await markFailed(ctx, post, 'retry', `Opslaget kunne ikke sendes efter ${post.attempts} forsøg. Sidste fejl: ${e.message}`);
    return 'failed';
  }
  const next = e.retryAt ?? new Date(Date.now() + retryDelayMs(Math.max(1, post.attempts), ctx.retryBaseMs));
  logger.info({ ...meta, retryAt: next.toISOString() }, 'social post will be tried again');
  await ctx.db
    .updateTable('social_posts')
    .set({ state: 'scheduled', next_attempt_at: next.toISOString(), error_kind: 'retry', last_error: e.message.slice(0, 500), updated_at: nowIso() })
    .where('id', '=', post.id)
    .execute();
  // A rate limit holds the whole account; other errors only this post.
  return e.retryAt ? 'stop' : 'later';
}

function asProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  return new ProviderError('retry', error instanceof Error ? error.message : String(error), { cause: error });
}

async function markFailed(ctx: SocialContext, post: SocialPostRow, kind: string, message: string): Promise<void> {
  const at = nowIso();
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('social_posts').set({ state: 'failed', next_attempt_at: null, error_kind: kind, last_error: message.slice(0, 1000), updated_at: at }).where('id', '=', post.id).execute();
    await audit(tx, { ...auditActor(systemActor('udgivelse')), action: 'social_post.failed', objectType: 'social_post', objectId: post.id, details: { accountId: post.account_id, kind, attempts: post.attempts } });
    await notify(tx, {
      personIds: [post.created_by],
      kind: 'social',
      sourceKey: `social_failed:${post.id}:${post.attempts}`,
      title: 'Et opslag på sociale medier kunne ikke sendes',
      text: message.slice(0, 300),
      url: postPath(post.id),
    });
  });
}

/** The token no longer works: the account waits, its posts stay planned, and the author and the account's editors are told. */
async function needsReauthorisation(ctx: SocialContext, account: SocialAccountRow, post: SocialPostRow, note: string): Promise<void> {
  const at = nowIso();
  await ctx.db.transaction().execute(async (tx) => {
    const changed = await tx
      .updateTable('social_accounts')
      .set({ status: 'needs_reauth', status_note: note, updated_at: at })
      .where('id', '=', account.id)
      .where('status', '!=', 'needs_reauth')
      .executeTakeFirst();
    await tx.updateTable('social_posts').set({ state: 'scheduled', error_kind: 'reauthorize', last_error: note, updated_at: at }).where('id', '=', post.id).where('state', 'in', ['scheduled', 'sending']).execute();
    if (Number(changed.numUpdatedRows) === 0) return;
    await audit(tx, { ...auditActor(systemActor('udgivelse')), action: 'social_account.needs_reauth', objectType: 'social_account', objectId: account.id, details: { handle: account.handle, network: account.network } });
    const editors = await store.activeMemberIds(tx, account.editor_group_id);
    await notify(tx, {
      personIds: [post.created_by, ...editors],
      kind: 'social',
      sourceKey: `social_reauth:${account.id}:${at}`,
      title: `${account.name} skal forbindes igen`,
      text: `${note} Planlagte opslag venter, til kontoen er forbundet.`,
      url: accountPath(account.id),
    });
  });
}

export const postPath = (id: string): string => `/admin/sociale-medier/opslag/${encodeURIComponent(id)}`;
export const accountPath = (id: string): string => `/admin/sociale-medier/konti/${encodeURIComponent(id)}`;
