import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeededDatabase, dialects, type TestDatabase } from '../../test/support/databases.ts';
import { newId } from '../platform/ids.ts';
import { enqueue } from '../platform/jobs/enqueue.ts';
import { JobRunner } from '../platform/jobs/runner.ts';
import type { SocialContext } from '../social/context.ts';
import type { ContractServer } from '../social/testing/contract.ts';
import { startBlueskyContractServer } from '../social/testing/bluesky-server.ts';
import { startFacebookContractServer } from '../social/testing/facebook-server.ts';
import { connectedAccount, plannedPosts, sendUntilDone, testSocialContext } from '../social/testing/harness.ts';
import { startMastodonContractServer } from '../social/testing/mastodon-server.ts';
import { startXContractServer } from '../social/testing/x-server.ts';
import { sealTokens } from '../social/tokens.ts';
import { deleteExpiredRemovalRecords, enqueueAccountPoll, POLL_ACCOUNT_JOB, POLL_JOB, registerInboxJobs } from './jobs.ts';
import { pollAccount } from './poll.ts';

// Polling against each network's contract server: what citizens wrote arrives once, the cursor moves on, and a
// network that fails is written down on the account until it answers again.

const starters = { facebook: startFacebookContractServer, x: startXContractServer, mastodon: startMastodonContractServer, bluesky: startBlueskyContractServer };
const silent = { info() {}, warn() {}, error() {} };

describe.each(dialects)('polling the networks for comments (%s)', (dialect) => {
  let database: TestDatabase;
  let ctx: SocialContext;
  const servers = new Map<string, ContractServer>();
  let refs: { unitId: string; groupId: string; authorId: string };

  beforeAll(async () => {
    database = await createSeededDatabase(dialect);
    ctx = testSocialContext(database.db);
    for (const [network, start] of Object.entries(starters)) servers.set(network, await start());
    const unit = await database.db.selectFrom('units').select('id').where('slug', '=', 'kommunikation').executeTakeFirstOrThrow();
    const group = await database.db.selectFrom('groups').select('id').where('channel', '=', 'social').executeTakeFirstOrThrow();
    const author = await database.db.selectFrom('people').select('id').where('email', '=', 'some@demo.mediehus.dk').executeTakeFirstOrThrow();
    refs = { unitId: unit.id, groupId: group.id, authorId: author.id };
  });

  afterAll(async () => {
    await Promise.all([...servers.values()].map((s) => s.close()));
    await database?.destroy();
  });

  /** A connected account with one post of ours on the network, as the sender put it there. */
  async function accountWithPost(network: string) {
    const server = servers.get(network)!;
    const a = await connectedAccount(ctx, server, { unitId: refs.unitId, groupId: refs.groupId });
    const [postId] = await plannedPosts(ctx, a.id, refs.authorId, ['Genbrugspladsen i Tønder har nye åbningstider fra 1. december.']);
    await sendUntilDone(ctx, [a.id]);
    const post = await database.db.selectFrom('social_posts').select(['id', 'external_id']).where('id', '=', postId!).executeTakeFirstOrThrow();
    return { ...a, server, postId: post.id, postExternalId: post.external_id! };
  }
  const itemsOf = (accountId: string) => database.db.selectFrom('inbox_items').selectAll().where('account_id', '=', accountId).execute();
  const cursorOf = (accountId: string) => database.db.selectFrom('inbox_cursors').selectAll().where('account_id', '=', accountId).executeTakeFirst();

  describe.each(Object.keys(starters))('on %s', (network) => {
    it('a comment on our post arrives classified under the post, a second poll adds nothing, and the cursor is kept', async () => {
      const a = await accountWithPost(network);
      const question = a.server.addIncoming(a.externalId, { postId: a.postExternalId, authorName: 'Mette Jensen', authorHandle: 'mettej', text: 'Tak for info. Hvornår åbner genbrugspladsen om lørdagen?', createdAt: new Date(Date.now() - 2000) });
      const praise = a.server.addIncoming(a.externalId, { postId: a.postExternalId, authorName: 'Ole Nielsen', authorHandle: 'olen', text: 'Flot, tak for info!', createdAt: new Date(Date.now() - 1000) });

      expect(await pollAccount(ctx, a.id)).toMatchObject({ added: 2, error: null });
      const rows = new Map((await itemsOf(a.id)).map((r) => [r.external_id, r]));
      expect([...rows.keys()].sort()).toEqual([question, praise].sort());
      expect(rows.get(question)).toMatchObject({ kind: 'comment', root_external_id: a.postExternalId, social_post_id: a.postId, state: 'open', author_name: 'Mette Jensen' });
      expect(JSON.parse(rows.get(question)!.categories)).toEqual(['question']);
      expect(rows.get(question)!.answer_due_at).not.toBeNull();
      expect(JSON.parse(rows.get(praise)!.categories)).toEqual(['ok']);

      const first = await cursorOf(a.id);
      expect(first).toMatchObject({ last_error: null });
      expect(first!.cursor).toBeTruthy();
      expect(first!.polled_at).toBeTruthy();

      expect(await pollAccount(ctx, a.id)).toMatchObject({ added: 0, error: null });
      expect(await itemsOf(a.id)).toHaveLength(2);

      const later = a.server.addIncoming(a.externalId, { postId: question, authorName: 'Mette Jensen', authorHandle: 'mettej', text: 'Og tak for svaret.' });
      expect(await pollAccount(ctx, a.id)).toMatchObject({ added: 1 });
      const reply = (await itemsOf(a.id)).find((r) => r.external_id === later)!;
      expect(reply).toMatchObject({ kind: 'reply', parent_external_id: question, root_external_id: a.postExternalId, social_post_id: a.postId });
    });

    it('a network that cannot be reached is written on the account, and the next poll catches up and clears it', async () => {
      const a = await accountWithPost(network);
      const row = await database.db.selectFrom('social_accounts').select('api_base').where('id', '=', a.id).executeTakeFirstOrThrow();
      const comment = a.server.addIncoming(a.externalId, { postId: a.postExternalId, authorName: 'Karen Holm', text: 'Er der åbent i julen?' });
      // Port 9 (discard) on the loopback: nothing listens, so the connection is refused.
      await database.db.updateTable('social_accounts').set({ api_base: 'http://127.0.0.1:9' }).where('id', '=', a.id).execute();

      const outage = await pollAccount(ctx, a.id);
      expect(outage.added).toBe(0);
      expect(outage.error).toMatch(/^Indbakken kunne ikke hentes|^Netværket svarede ikke i tide/);
      expect((await cursorOf(a.id))!.last_error).toBe(outage.error);
      expect(await itemsOf(a.id)).toHaveLength(0);

      await database.db.updateTable('social_accounts').set({ api_base: row.api_base }).where('id', '=', a.id).execute();
      expect(await pollAccount(ctx, a.id)).toMatchObject({ added: 1, error: null });
      expect((await itemsOf(a.id)).map((r) => r.external_id)).toEqual([comment]);
      expect((await cursorOf(a.id))!.last_error).toBeNull();
    });

    it('a token the network refuses is recorded without the token, and the account is not marked by the poll', async () => {
      const a = await accountWithPost(network);
      const wrong = `forkert-${newId()}`;
      await database.db.updateTable('social_accounts').set({ token_sealed: sealTokens(ctx, a.id, { accessToken: wrong, refreshToken: wrong }) }).where('id', '=', a.id).execute();
      const outcome = await pollAccount(ctx, a.id);
      expect(outcome.error).toBe('Netværket godkender ikke længere adgangsnøglen; forbind kontoen igen.');
      const cursor = await cursorOf(a.id);
      expect(cursor!.last_error).toBe(outcome.error);
      expect(cursor!.last_error).not.toContain(wrong);
      const account = await database.db.selectFrom('social_accounts').select(['status']).where('id', '=', a.id).executeTakeFirstOrThrow();
      expect(account.status).toBe('connected');
    });
  });

  it('the minute’s poll job asks every connected account, once per minute, and the runner brings their comments in', async () => {
    const a = await accountWithPost('mastodon');
    const b = await accountWithPost('x');
    const fromA = a.server.addIncoming(a.externalId, { postId: a.postExternalId, authorName: 'Anna Borger', authorHandle: 'anna', text: 'Hvor kan jeg hente en ny affaldskalender?' });
    const fromB = b.server.addIncoming(b.externalId, { postId: b.postExternalId, authorName: 'Bo Borger', authorHandle: 'bob', text: 'Super service.' });
    const paused = await connectedAccount(ctx, servers.get('bluesky')!, { unitId: refs.unitId, groupId: refs.groupId });
    await database.db.updateTable('social_accounts').set({ active: 0 }).where('id', '=', paused.id).execute();

    const runner = new JobRunner({ db: database.db, logger: silent, concurrency: 8 });
    registerInboxJobs(runner, ctx, silent);
    // Jobs from the demo seed are not this test's business.
    await database.db.deleteFrom('jobs').execute();
    await enqueue(database.db, POLL_JOB, {}, { runAt: new Date(Date.now() - 1000) });
    for (let round = 0; round < 10 && (await runner.runDue()) > 0; round++);

    const polls = await database.db.selectFrom('jobs').select(['payload', 'status']).where('name', '=', POLL_ACCOUNT_JOB).execute();
    const polled = polls.map((p) => (JSON.parse(String(p.payload)) as { accountId: string }).accountId);
    expect(polled).toContain(a.id);
    expect(polled).toContain(b.id);
    expect(polled).not.toContain(paused.id);
    expect((await itemsOf(a.id)).map((r) => r.external_id)).toEqual([fromA]);
    expect((await itemsOf(b.id)).map((r) => r.external_id)).toEqual([fromB]);
    // The sweep put the next minute's poll in place.
    expect(await database.db.selectFrom('jobs').select('run_at').where('name', '=', POLL_JOB).where('run_at', '>', new Date().toISOString()).execute()).toHaveLength(1);
    // A second sweep in the same minute adds no second poll of an account.
    const again = await enqueueAccountPoll(database.db, a.id);
    expect((await database.db.selectFrom('jobs').select('id').where('name', '=', POLL_ACCOUNT_JOB).execute()).map((j) => j.id)).toContain(again);
    expect(await database.db.selectFrom('jobs').select('id').where('name', '=', POLL_ACCOUNT_JOB).execute()).toHaveLength(polls.length);
  });

  it('removal records past their keeping period are deleted at night, in one audit entry; the others stay', async () => {
    const a = await accountWithPost('facebook');
    const comment = a.server.addIncoming(a.externalId, { postId: a.postExternalId, authorName: 'Troll', text: 'Køb billige solbriller på www.solbriller.example' });
    await pollAccount(ctx, a.id);
    const item = (await itemsOf(a.id)).find((r) => r.external_id === comment)!;
    const record = (id: string, keepUntil: string) => ({
      id, item_id: item.id, account_id: a.id, action: 'hide', item_text: item.text, author_name: item.author_name, author_handle: item.author_handle, written_at: item.written_at,
      network_url: item.url, thread: '[]', categories: item.categories, guideline: 'Reklame og spam fjernes.', reason: 'Reklame', decided_by: refs.authorId,
      decided_at: '2021-01-04T10:00:00.000Z', carried_out_at: '2021-01-04T10:00:01.000Z', undone_at: null, undone_by: null, keep_until: keepUntil,
    });
    const old = newId();
    const kept = newId();
    await database.db.insertInto('removal_records').values([record(old, '2026-01-04T10:00:00.000Z'), record(kept, '2031-01-04T10:00:00.000Z')]).execute();

    expect(await deleteExpiredRemovalRecords(database.db, new Date('2026-11-27T03:15:00Z'))).toBe(1);
    expect((await database.db.selectFrom('removal_records').select('id').where('id', 'in', [old, kept]).execute()).map((r) => r.id)).toEqual([kept]);
    const entries = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'removal_record.expired').execute();
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]!.details)).toMatchObject({ count: 1, ids: [old], accounts: [a.id] });
    expect(await deleteExpiredRemovalRecords(database.db, new Date('2026-11-28T03:15:00Z'))).toBe(0);
    expect(await database.db.selectFrom('audit_log').select('seq').where('action', '=', 'removal_record.expired').execute()).toHaveLength(1);
  });
});
