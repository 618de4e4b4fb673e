import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../platform/ids.ts';
import { createSeededDatabase, dialects, type TestDatabase } from '../../test/support/databases.ts';
import type { SocialContext } from './context.ts';
import { MAX_ATTEMPTS } from './model.ts';
import { sendDue } from './sender.ts';
import type { ContractServer } from './testing/contract.ts';
import { startBlueskyContractServer } from './testing/bluesky-server.ts';
import { startFacebookContractServer } from './testing/facebook-server.ts';
import { connectedAccount, plannedPosts, sendUntilDone, testSocialContext } from './testing/harness.ts';
import { startMastodonContractServer } from './testing/mastodon-server.ts';
import { startXContractServer, type XContractServer } from './testing/x-server.ts';
import { openTokens } from './tokens.ts';

// Exactly once: whatever the network does — fail, limit, time out after accepting — every planned post ends up on
// the network once. The contract servers count what they created; that count is the proof.

const starters = { facebook: startFacebookContractServer, x: startXContractServer, mastodon: startMastodonContractServer, bluesky: startBlueskyContractServer };

describe.each(dialects)('sending planned posts, exactly once (%s)', (dialect) => {
  let database: TestDatabase;
  let ctx: SocialContext;
  const servers = new Map<string, ContractServer>();
  let refs: { unitId: string; groupId: string; authorId: string };

  beforeAll(async () => {
    database = await createSeededDatabase(dialect);
    ctx = testSocialContext(database.db, { mediaDir: fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-social-media-')) });
    for (const [network, start] of Object.entries(starters)) servers.set(network, await start());
    const unit = await database.db.selectFrom('units').select('id').where('slug', '=', 'kommunikation').executeTakeFirstOrThrow();
    const group = await database.db.selectFrom('groups').select('id').where('channel', '=', 'social').executeTakeFirstOrThrow();
    const author = await database.db.selectFrom('people').select('id').where('email', '=', 'some@demo.mediehus.dk').executeTakeFirstOrThrow();
    refs = { unitId: unit.id, groupId: group.id, authorId: author.id };
  });

  afterAll(async () => {
    await Promise.all([...servers.values()].map((s) => s.close()));
    await database?.destroy();
    fs.rmSync(ctx.mediaDir, { recursive: true, force: true });
  });

  const account = (network: string) => connectedAccount(ctx, servers.get(network)!, { unitId: refs.unitId, groupId: refs.groupId });
  const post = (id: string) => ctx.db.selectFrom('social_posts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const texts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} nr. ${i + 1}: Genbrugspladsen i Tønder har nye åbningstider fra 1. december.`);

  describe.each(Object.keys(starters))('on %s', (network) => {
    it('a planned post is published once and gets the network’s id', async () => {
      const a = await account(network);
      const [id] = await plannedPosts(ctx, a.id, refs.authorId, texts('Opslag', 1));
      await sendUntilDone(ctx, [a.id]);
      const sent = await post(id!);
      expect(sent.state).toBe('sent');
      const created = servers.get(network)!.createdPosts(a.externalId);
      expect(created).toHaveLength(1);
      expect(sent.external_id).toBe(created[0]!.id);
    });

    it('a post with an image from the media library arrives with the image and its alt text', async () => {
      const a = await account(network);
      const mediaId = newId();
      fs.mkdirSync(path.join(ctx.mediaDir, mediaId), { recursive: true });
      const jpeg = await sharp({ create: { width: 640, height: 360, channels: 3, background: '#2b6cb0' } }).jpeg().toBuffer();
      fs.writeFileSync(path.join(ctx.mediaDir, mediaId, '640.jpg'), jpeg);
      await ctx.db
        .insertInto('media')
        .values({ id: mediaId, original_name: 'genbrugsplads.jpg', mime: 'image/jpeg', bytes: jpeg.length, width: 640, height: 360, alt: '', renditions: JSON.stringify([{ width: 640, format: 'jpg', file: '640.jpg' }]), uploaded_by: null, created_at: new Date().toISOString() })
        .execute();
      const [id] = await plannedPosts(ctx, a.id, refs.authorId, texts('Billede', 1));
      await ctx.db.updateTable('social_posts').set({ media_id: mediaId, image_alt: 'Containere på genbrugspladsen i Tønder' }).where('id', '=', id!).execute();
      await sendUntilDone(ctx, [a.id]);
      expect((await post(id!)).state).toBe('sent');
      expect(servers.get(network)!.createdPosts(a.externalId).map((c) => c.imageAlts)).toEqual([['Containere på genbrugspladsen i Tønder']]);
    });

    it('three 500s in a row: the post goes out on the fourth attempt, once', async () => {
      const a = await account(network);
      servers.get(network)!.injectFaults([{ kind: 'server_error' }, { kind: 'server_error' }, { kind: 'server_error' }], a.externalId);
      const [id] = await plannedPosts(ctx, a.id, refs.authorId, texts('Fejl', 1));
      await sendUntilDone(ctx, [a.id]);
      const sent = await post(id!);
      expect(sent.state).toBe('sent');
      expect(sent.attempts).toBe(4);
      expect(servers.get(network)!.createdPosts(a.externalId)).toHaveLength(1);
    });

    it('a timeout after the network accepted the post: the retry finds it and nothing is posted twice', async () => {
      const a = await account(network);
      servers.get(network)!.injectFaults([{ kind: 'accept_then_hang', hangMs: 1500 }], a.externalId);
      const ids = await plannedPosts(ctx, a.id, refs.authorId, texts('Hænger', 3));
      await sendUntilDone(ctx, [a.id]);
      for (const id of ids) expect((await post(id)).state).toBe('sent');
      const created = servers.get(network)!.createdPosts(a.externalId);
      expect(created).toHaveLength(3);
      expect(new Set(created.map((c) => c.text)).size).toBe(3);
    });

    it('the network refuses the content: the post is failed at once and its author is told', async () => {
      const a = await account(network);
      servers.get(network)!.injectFaults([{ kind: 'bad_content' }], a.externalId);
      const [id] = await plannedPosts(ctx, a.id, refs.authorId, texts('Afvist', 1));
      await sendUntilDone(ctx, [a.id]);
      const failed = await post(id!);
      expect(failed.state).toBe('failed');
      expect(failed.error_kind).toBe('bad_content');
      expect(failed.attempts).toBe(1);
      const told = await ctx.db.selectFrom('notifications').select(['title', 'url']).where('person_id', '=', refs.authorId).where('source_key', 'like', `social_failed:${id}:%`).execute();
      expect(told).toEqual([{ title: 'Et opslag på sociale medier kunne ikke sendes', url: `/admin/sociale-medier/opslag/${id}` }]);
    });
  });

// Facebook names its reset in whole minutes; it has a test of its own below.
it.each(['x', 'mastodon', 'bluesky'])('a 429 on %s: nothing more goes to the account before its reset, and every post gets through once', async (network) => {
    const a = await account(network);
    const server = servers.get(network)!;
    server.injectFaults([{ kind: 'rate_limit', resetInMs: 1200 }], a.externalId);
    const ids = await plannedPosts(ctx, a.id, refs.authorId, texts('Grænse', 4));
    await sendUntilDone(ctx, [a.id]);
    for (const id of ids) expect((await post(id)).state).toBe('sent');
    expect(server.createdPosts(a.externalId)).toHaveLength(4);
    expect(server.rateLimitViolations()).toBe(0);
  });

  it('a Facebook rate limit holds the page for the whole minutes Facebook names, and nothing more is sent meanwhile', async () => {
    const a = await account('facebook');
    const server = servers.get('facebook')!;
    server.injectFaults([{ kind: 'rate_limit', resetInMs: 1_000 }], a.externalId);
    const ids = await plannedPosts(ctx, a.id, refs.authorId, texts('Side', 3));
    const before = Date.now();
    await sendDue(ctx, a.id, { workerId: 'fb' });
    await sendDue(ctx, a.id, { workerId: 'fb' });
    const acc = await ctx.db.selectFrom('social_accounts').select('rate_limited_until').where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(Date.parse(acc.rate_limited_until!) - before).toBeGreaterThanOrEqual(59_000);
    for (const id of ids) expect((await post(id)).state).toBe('scheduled');
    expect(server.createdPosts(a.externalId)).toHaveLength(0);
    expect(server.rateLimitViolations()).toBe(0);
  });

  it('after the last attempt the post is marked failed and its owner told, and nothing was published', async () => {
    const a = await account('x');
    const server = servers.get('x')!;
    server.injectFaults(Array.from({ length: MAX_ATTEMPTS }, () => ({ kind: 'server_error' as const })), a.externalId);
    const [id] = await plannedPosts(ctx, a.id, refs.authorId, texts('Sidste', 1));
    await sendUntilDone(ctx, [a.id], { deadlineMs: 30_000 });
    const failed = await post(id!);
    expect(failed.state).toBe('failed');
    expect(failed.attempts).toBe(MAX_ATTEMPTS);
    expect(failed.last_error).toContain(`efter ${MAX_ATTEMPTS} forsøg`);
    expect(server.createdPosts(a.externalId)).toHaveLength(0);
    expect(await ctx.db.selectFrom('notifications').select('id').where('source_key', 'like', `social_failed:${id}:%`).execute()).toHaveLength(1);
  });

  it('an expired token: the account asks to be connected again and its posts wait instead of failing', async () => {
    const a = await account('facebook');
    servers.get('facebook')!.injectFaults([{ kind: 'expired_token' }], a.externalId);
    const ids = await plannedPosts(ctx, a.id, refs.authorId, texts('Udløbet', 2));
    await sendUntilDone(ctx, [a.id], { deadlineMs: 2_000 });
    const acc = await ctx.db.selectFrom('social_accounts').select(['status']).where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(acc.status).toBe('needs_reauth');
    for (const id of ids) expect((await post(id)).state).toBe('scheduled');
    expect(await Promise.all(ids.map(async (id) => (await post(id)).error_kind))).toContain('reauthorize');
    expect(servers.get('facebook')!.createdPosts(a.externalId)).toHaveLength(0);
  });

  it('an X token whose two hours are up is renewed on the way: the posts go out, and the account keeps the new tokens, sealed', async () => {
    const x = servers.get('x') as XContractServer;
    const withClient = { ...ctx, xClient: x.client };
    const a = await account('x');
    const row = await ctx.db.selectFrom('social_accounts').select('token_sealed').where('id', '=', a.id).executeTakeFirstOrThrow();
    const before = openTokens(ctx, a.id, row.token_sealed!);
    x.expireAccessToken(before.accessToken);
    const ids = await plannedPosts(ctx, a.id, refs.authorId, texts('Fornyet', 2));
    await sendUntilDone(withClient, [a.id]);
    for (const id of ids) expect((await post(id)).state).toBe('sent');
    expect(x.createdPosts(a.externalId)).toHaveLength(2);
    const after = await ctx.db.selectFrom('social_accounts').select(['token_sealed', 'status']).where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(after.status).toBe('connected');
    expect(after.token_sealed).not.toContain(before.accessToken);
    const renewed = openTokens(ctx, a.id, after.token_sealed!);
    expect(renewed.accessToken).not.toBe(before.accessToken);
    expect(renewed.refreshToken).not.toBe(before.refreshToken);
  });

  it('two workers sending the same account at once never post anything twice', async () => {
    const a = await account('mastodon');
    const ids = await plannedPosts(ctx, a.id, refs.authorId, texts('Samtidig', 10));
    await Promise.all([1, 2, 3].map((w) => sendDue(ctx, a.id, { workerId: `worker-${w}` })));
    await sendUntilDone(ctx, [a.id]);
    for (const id of ids) expect((await post(id)).state).toBe('sent');
    expect(servers.get('mastodon')!.createdPosts(a.externalId)).toHaveLength(10);
  });

  it('a sender that died after writing its attempt down: the next one looks first and does not post again', async () => {
    const a = await account('x');
    const server = servers.get('x')!;
    // The first attempt reaches X, and the worker dies before it hears back.
    server.injectFaults([{ kind: 'accept_then_hang', hangMs: 60_000 }], a.externalId);
    const [id] = await plannedPosts(ctx, a.id, refs.authorId, texts('Død', 1));
    const dying = { ...ctx, timeoutMs: 60_000 };
    void sendDue(dying, a.id, { workerId: 'dies' }).catch(() => undefined);
    await expect.poll(() => server.createdPosts(a.externalId).length, { timeout: 5_000 }).toBe(1);
    // Its lease runs out.
    await ctx.db.updateTable('social_accounts').set({ sending_until: new Date(Date.now() - 1000).toISOString() }).where('id', '=', a.id).execute();
    await sendUntilDone(ctx, [a.id]);
    expect((await post(id!)).state).toBe('sent');
    expect(server.createdPosts(a.externalId)).toHaveLength(1);
  });
});
