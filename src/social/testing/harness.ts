import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../../platform/database.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { secretBox } from '../../platform/secret-box.ts';
import { NetworkDirectory, type SocialContext } from '../context.ts';
import { providerFor } from '../providers/index.ts';
import { sendDue } from '../sender.ts';
import { insertAccount } from '../store.ts';
import { sealTokens } from '../tokens.ts';
import type { ContractServer } from './contract.ts';

// What the publishing tests and the bench share: a social context with a fresh key and short waits, accounts
// connected to contract servers, and a loop that plays the job runner's part until nothing is left to send.

export function testSocialContext(db: Db, over: Partial<SocialContext> = {}): SocialContext {
  return {
    db,
    secrets: secretBox(randomBytes(32)),
    networks: new NetworkDirectory(),
    timeoutMs: 500,
    retryBaseMs: 30,
    baseUrl: 'https://www.toender.dk',
    mediaDir: path.join(os.tmpdir(), 'mediehus-test-media'),
    provider: providerFor,
    ...over,
  };
}

/** A registry account on the contract server, connected with the server's token. */
export async function connectedAccount(
  ctx: SocialContext,
  server: ContractServer,
  options: { unitId: string; groupId: string; handle?: string; requiresApproval?: boolean },
): Promise<{ id: string; externalId: string }> {
  const made = server.createAccount({ handle: options.handle });
  const id = newId();
  await insertAccount(ctx.db, {
    id,
    network: server.network,
    handle: made.handle,
    name: made.name,
    unit_id: options.unitId,
    editor_group_id: options.groupId,
    adviser_group_id: null,
    requires_approval: options.requiresApproval ? 1 : 0,
    api_base: made.apiBase,
    external_id: made.externalId,
    token_sealed: sealTokens(ctx, id, { accessToken: made.accessToken, refreshToken: made.refreshToken }),
    status: 'connected',
    status_note: null,
    connected_at: nowIso(),
  });
  return { id, externalId: made.externalId };
}

/** Posts due now for an account, as the composer would make them (planned, no approval). */
export async function plannedPosts(ctx: SocialContext, accountId: string, authorId: string, texts: string[], at = new Date()): Promise<string[]> {
  const ids: string[] = [];
  for (const text of texts) {
    const id = newId();
    ids.push(id);
    await ctx.db
      .insertInto('social_posts')
      .values({
        id, batch_id: id, account_id: accountId, item_id: null, text, link_url: null, media_id: null, image_alt: null, state: 'scheduled',
        scheduled_at: at.toISOString(), next_attempt_at: at.toISOString(), attempts: 0, created_by: authorId, created_at: nowIso(), updated_at: nowIso(),
        submitted_at: nowIso(), approved_by: null, approved_at: null, external_id: null, external_url: null, sent_at: null, error_kind: null, last_error: null,
      })
      .execute();
  }
  return ids;
}

/**
 * Runs the accounts' senders as the job runner would (one worker per account at a time, again when a retry or a
 * rate limit comes due) until no post is left planned or `deadlineMs` passes.
 */
export async function sendUntilDone(ctx: SocialContext, accountIds: string[], options: { deadlineMs?: number; workers?: number } = {}): Promise<void> {
  const deadline = Date.now() + (options.deadlineMs ?? 20_000);
  for (;;) {
    await Promise.all(accountIds.map((id, i) => sendDue(ctx, id, { workerId: `test-${i % (options.workers ?? accountIds.length)}-${id}` })));
    const waiting = await ctx.db
      .selectFrom('social_posts as p')
      .innerJoin('social_accounts as a', 'a.id', 'p.account_id')
      .select(['p.next_attempt_at', 'a.rate_limited_until'])
      .where('p.account_id', 'in', accountIds)
      .where('p.state', 'in', ['scheduled', 'sending'])
      .where('a.status', '=', 'connected')
      .execute();
    if (!waiting.length || Date.now() > deadline) return;
    const soonest = Math.min(...waiting.map((w) => Math.max(Date.parse(w.next_attempt_at ?? nowIso()), Date.parse(w.rate_limited_until ?? '1970-01-01'))));
    await new Promise((r) => setTimeout(r, Math.max(5, Math.min(500, soonest - Date.now() + 5))));
  }
}
