import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type BlueskyContractServer, startBlueskyContractServer } from '../testing/bluesky-server.ts';
import type { ContractAccount } from '../testing/contract.ts';
import { blueskyProvider } from './bluesky.ts';
import { isTid, tidFromKey } from './bluesky-tid.ts';
import { AUTHOR_GONE, ProviderError, type OutgoingPost, type ProviderAccount } from './types.ts';

// A 1×1 PNG.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a7e3a5d90000000049454e44ae426082', 'hex');

interface Seen {
  method: string;
  url: URL;
  headers: Headers;
  body: Buffer;
  status: number;
  responseHeaders: Headers;
}

/** Records every request the client sends and the answer it gets, passing both through unchanged. */
function watchFetch(): Seen[] {
  const seen: Seen[] = [];
  const original = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const body = Buffer.from(await request.clone().arrayBuffer());
    const response = await original(request);
    seen.push({ method: request.method, url: new URL(request.url), headers: request.headers, body, status: response.status, responseHeaders: response.headers });
    return response;
  });
  return seen;
}

const sent = (seen: Seen[], nsid: string) => seen.filter((s) => s.url.pathname === `/xrpc/${nsid}`);
const json = (s: Seen | undefined) => JSON.parse(s!.body.toString('utf8')) as Record<string, any>;

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const post = (text: string, extra: Partial<OutgoingPost> = {}): OutgoingPost => ({ text, link: null, image: null, idempotencyKey: `pub-${Math.random().toString(36).slice(2)}`, ...extra });

describe('the Bluesky record key derived from an idempotency key', () => {
  it('is a valid TID, the same for the same key and different for another', () => {
    const key = tidFromKey('publication-42');
    expect(isTid(key)).toBe(true);
    expect(tidFromKey('publication-42')).toBe(key);
    expect(tidFromKey('publication-43')).not.toBe(key);
    for (let i = 0; i < 200; i++) expect(isTid(tidFromKey(`key-${i}`))).toBe(true);
  });
});

describe('the Bluesky adapter against its contract server', () => {
  let server: BlueskyContractServer;
  let contract: ContractAccount;
  let account: ProviderAccount;
  let refreshed: { accessToken: string; refreshToken: string | null }[];

  beforeEach(async () => {
    server = await startBlueskyContractServer();
    contract = server.createAccount({ handle: 'kommune.bsky.social', name: 'Eksempel Kommune' });
    refreshed = [];
    account = {
      network: 'bluesky',
      externalId: contract.externalId,
      handle: contract.handle,
      apiBase: contract.apiBase,
      accessToken: contract.accessToken,
      refreshToken: contract.refreshToken,
      onTokensRefreshed: async (tokens) => void refreshed.push(tokens),
    };
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await server.close();
  });

  it('tells whose session it is', async () => {
    expect(await blueskyProvider.whoAmI(account)).toEqual({ externalId: contract.externalId, handle: '@kommune.bsky.social', name: 'Eksempel Kommune' });
    expect(refreshed).toEqual([]);
  });

  it('publishes a text with its link as a facet, at the record key derived from the idempotency key', async () => {
    const seen = watchFetch();
    const p = post('Vejarbejde på Storegade. Læs mere: https://kommune.example/vej');
    const published = await blueskyProvider.publish(account, p);

    const rkey = tidFromKey(p.idempotencyKey);
    const [create] = sent(seen, 'com.atproto.repo.createRecord');
    expect(create?.method).toBe('POST');
    expect(create?.headers.get('authorization')).toBe(`Bearer ${contract.accessToken}`);
    const start = Buffer.byteLength('Vejarbejde på Storegade. Læs mere: ');
    expect(json(create)).toEqual({
      repo: contract.externalId,
      collection: 'app.bsky.feed.post',
      rkey,
      record: {
        $type: 'app.bsky.feed.post',
        text: p.text,
        facets: [{ index: { byteStart: start, byteEnd: start + 'https://kommune.example/vej'.length }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://kommune.example/vej' }] }],
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        langs: ['da'],
      },
    });
    expect(published).toEqual({ externalId: `at://${contract.externalId}/app.bsky.feed.post/${rkey}`, url: `https://bsky.app/profile/kommune.bsky.social/post/${rkey}` });
    expect(server.createdPosts(contract.externalId)).toMatchObject([{ id: published.externalId, text: p.text, imageAlts: [] }]);
  });

  it('publishes an image by uploading the blob and embedding it with its alt text and aspect ratio', async () => {
    const seen = watchFetch();
    await blueskyProvider.publish(account, post('Ny legeplads', { image: { bytes: PNG, mimeType: 'image/png', alt: 'Gynger og sandkasse', fileName: 'leg.png' } }));

    const [upload] = sent(seen, 'com.atproto.repo.uploadBlob');
    expect(upload?.headers.get('content-type')).toBe('image/png');
    expect(upload?.body.equals(PNG)).toBe(true);
    const record = json(sent(seen, 'com.atproto.repo.createRecord')[0]).record;
    expect(record.embed).toEqual({
      $type: 'app.bsky.embed.images',
      images: [{ image: { $type: 'blob', ref: { $link: expect.stringMatching(/^bafkrei/) }, mimeType: 'image/png', size: PNG.length }, alt: 'Gynger og sandkasse', aspectRatio: { width: 1, height: 1 } }],
    });
    expect(server.createdPosts(contract.externalId)).toMatchObject([{ text: 'Ny legeplads', imageAlts: ['Gynger og sandkasse'] }]);
  });

  it('turns a 429 into a retry at the reset second the PDS sent', async () => {
    const seen = watchFetch();
    server.injectFaults([{ kind: 'rate_limit', resetInMs: 1500 }], contract.externalId);
    const error = await failure(blueskyProvider.publish(account, post('For mange')));
    const reset = seen.find((s) => s.status === 429)!.responseHeaders.get('ratelimit-reset')!;
    expect(reset).toMatch(/^\d{10}$/);
    expect(error).toMatchObject({ kind: 'retry', status: 429, timedOut: false });
    expect(error.retryAt?.getTime()).toBe(Number(reset) * 1000);
    expect(error.retryAt!.getTime()).toBeGreaterThanOrEqual(Date.now() + 1000);
  });

  it('counts a post sent before the advertised reset as a violation, and none after it', async () => {
    server.setRateLimit({ max: 1, windowMs: 2000 });
    await blueskyProvider.publish(account, post('Første'));
    const limited = await failure(blueskyProvider.publish(account, post('Anden')));
    expect(limited.retryAt!.getTime() % 1000).toBe(0);
    await failure(blueskyProvider.publish(account, post('For tidligt')));
    expect(server.rateLimitViolations()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, limited.retryAt!.getTime() - Date.now() + 5));
    await blueskyProvider.publish(account, post('Efter nulstilling'));
    expect(server.rateLimitViolations()).toBe(1);
  });

  it('turns a 500 into a retry', async () => {
    server.injectFaults([{ kind: 'server_error' }], contract.externalId);
    const error = await failure(blueskyProvider.publish(account, post('Serverfejl')));
    expect(error).toMatchObject({ kind: 'retry', status: 500, timedOut: false });
    expect(server.createdPosts()).toHaveLength(0);
  });

  it('refreshes an expired session with the refresh JWT, hands over the new tokens and publishes once', async () => {
    const seen = watchFetch();
    server.injectFaults([{ kind: 'expired_token' }], contract.externalId);
    const published = await blueskyProvider.publish(account, post('Efter fornyelse'));

    expect(server.createdPosts(contract.externalId)).toMatchObject([{ id: published.externalId, text: 'Efter fornyelse' }]);
    expect(refreshed).toHaveLength(1);
    const tokens = refreshed[0]!;
    expect(tokens.accessToken).not.toBe(contract.accessToken);
    expect(tokens.refreshToken).not.toBe(contract.refreshToken);
    const [refresh] = sent(seen, 'com.atproto.server.refreshSession');
    expect(refresh?.headers.get('authorization')).toBe(`Bearer ${contract.refreshToken}`);
    const creates = sent(seen, 'com.atproto.repo.createRecord');
    expect(creates.map((c) => c.status)).toEqual([400, 200]);
    expect(creates[1]?.headers.get('authorization')).toBe(`Bearer ${tokens.accessToken}`);

    const withNew = { ...account, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
    expect((await blueskyProvider.whoAmI(withNew)).externalId).toBe(contract.externalId);
  });

  it('asks for reauthorization when the session has expired and cannot be refreshed', async () => {
    server.injectFaults([{ kind: 'expired_token' }], contract.externalId);
    const error = await failure(blueskyProvider.publish({ ...account, refreshToken: null }, post('Udløbet')));
    expect(error).toMatchObject({ kind: 'reauthorize', status: 400 });
    expect(error.message).toContain('ExpiredToken');
    expect(error.message).not.toContain(contract.accessToken);
    expect(server.createdPosts()).toHaveLength(0);
    expect(refreshed).toEqual([]);
  });

  it('asks for reauthorization when the refresh JWT has been used up', async () => {
    server.injectFaults([{ kind: 'expired_token' }], contract.externalId);
    await blueskyProvider.publish(account, post('Fornyet'));
    // The old pair again: the access JWT is expired and its refresh JWT was rotated away.
    const error = await failure(blueskyProvider.publish(account, post('Gammel session')));
    expect(error.kind).toBe('reauthorize');
    expect(server.createdPosts()).toHaveLength(1);
  });

  it('a call whose refresh JWT another call just used takes the session that call stored, and publishes once', async () => {
    let store = { accessToken: contract.accessToken, refreshToken: contract.refreshToken as string | null };
    const sharing = (): ProviderAccount => ({ ...account, ...store, storedTokens: async () => store, onTokensRefreshed: async (t) => void (store = t) });
    const [first, second] = [sharing(), sharing()];
    server.injectFaults([{ kind: 'expired_token' }], contract.externalId);
    await blueskyProvider.publish(first, post('Første efter fornyelsen'));
    // The second still holds the old pair: its access JWT expired and its refresh JWT was rotated away.
    const published = await blueskyProvider.publish(second, post('Anden med den gemte session'));
    expect(server.createdPosts(contract.externalId).map((p) => p.text)).toEqual(['Første efter fornyelsen', 'Anden med den gemte session']);
    expect(published.externalId).toBeTruthy();
  });

  it('asks for reauthorization when the token is not the PDS’s', async () => {
    const error = await failure(blueskyProvider.whoAmI({ ...account, accessToken: 'a.b.c', refreshToken: null }));
    expect(error).toMatchObject({ kind: 'reauthorize', status: 400 });
  });

  it('reports a post over 300 graphemes as bad content', async () => {
    const error = await failure(blueskyProvider.publish(account, post('å'.repeat(301))));
    expect(error).toMatchObject({ kind: 'bad_content', status: 400 });
    expect(error.message).toContain('300 graphemes');
  });

  it('reports an image over 1 MB as bad content', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(1_000_001)]);
    const error = await failure(blueskyProvider.publish(account, post('Stort billede', { image: { bytes: big, mimeType: 'image/png', alt: 'x', fileName: 'x.png' } })));
    expect(error).toMatchObject({ kind: 'bad_content', status: 400 });
    expect(error.message).toMatch(/file too large/);
    expect(server.createdPosts()).toHaveLength(0);
  });

  it('reports the PDS’s refusal of a post as bad content', async () => {
    server.injectFaults([{ kind: 'bad_content' }]);
    expect((await failure(blueskyProvider.publish(account, post('Afvist')))).kind).toBe('bad_content');
  });

  it('treats an answer held past the timeout as a timed-out retry; the key then finds the post and a new attempt makes no second one', async () => {
    server.injectFaults([{ kind: 'accept_then_hang', hangMs: 3000 }], contract.externalId);
    const p = post('Borgermøde torsdag');
    const error = await failure(blueskyProvider.publish(account, p, { timeoutMs: 300 }));
    expect(error).toMatchObject({ kind: 'retry', timedOut: true });
    const [made] = server.createdPosts(contract.externalId);

    const recent = await blueskyProvider.recentPosts(account, { since: new Date(Date.now() - 60_000), idempotencyKey: p.idempotencyKey });
    expect(recent).toMatchObject([{ externalId: made!.id, text: p.text }]);
    expect(await blueskyProvider.recentPosts(account, { since: new Date(0), idempotencyKey: 'never-sent' })).toEqual([]);

    const again = await blueskyProvider.publish(account, p);
    expect(again.externalId).toBe(made!.id);
    expect(server.createdPosts(contract.externalId)).toHaveLength(1);
  });

  it('lists recent posts newest first from the repository when no key is given', async () => {
    const older = await blueskyProvider.publish(account, post('Først'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const newer = await blueskyProvider.publish(account, post('Så'));
    const recent = await blueskyProvider.recentPosts(account, { since: new Date(Date.now() - 60_000) });
    expect(recent.map((r) => r.externalId)).toEqual([newer.externalId, older.externalId]);
    expect(await blueskyProvider.recentPosts(account, { since: new Date(Date.now() + 60_000) })).toEqual([]);
  });

  it('treats a PDS that cannot be reached as a timed-out retry', async () => {
    const error = await failure(blueskyProvider.whoAmI({ ...account, apiBase: 'http://127.0.0.1:1' }, { timeoutMs: 2000 }));
    expect(error).toMatchObject({ kind: 'retry', timedOut: true });
  });

  it('counts text in graphemes, links at their full length', () => {
    expect(blueskyProvider.countText('Hej')).toBe(3);
    expect(blueskyProvider.countText('👨‍👩‍👧 æøå')).toBe(5);
    expect(blueskyProvider.countText('Se https://kommune.example/a')).toBe(3 + 'https://kommune.example/a'.length);
    expect(blueskyProvider.countText('e\u0301')).toBe(1);
  });

  it('reads replies and mentions after the cursor, oldest first, and only newer ones the next time', async () => {
    const own = await blueskyProvider.publish(account, post('Høring om cykelstier'));
    const reply = server.addIncoming(contract.externalId, { postId: own.externalId, authorName: 'Anna Borger', authorHandle: 'anna.bsky.social', text: 'Hvornår starter det?' });
    const mention = server.addIncoming(contract.externalId, { postId: null, authorName: 'Bo', text: 'godt initiativ' });

    const page1 = await blueskyProvider.incoming(account, null);
    expect(page1.items.map((i) => i.externalId)).toEqual([reply, mention]);
    expect(page1.items[0]).toMatchObject({
      parentExternalId: own.externalId,
      rootExternalId: own.externalId,
      authorName: 'Anna Borger',
      authorHandle: '@anna.bsky.social',
      text: 'Hvornår starter det?',
      hidden: false,
      url: `https://bsky.app/profile/anna.bsky.social/post/${reply.split('/').pop()}`,
    });
    expect(page1.items[1]).toMatchObject({ parentExternalId: null, rootExternalId: null, text: '@kommune.bsky.social godt initiativ' });

    const answer = server.addIncoming(contract.externalId, { postId: reply, authorName: 'Carl', text: 'Til foråret' });
    const page2 = await blueskyProvider.incoming(account, page1.cursor);
    expect(page2.items.map((i) => i.externalId)).toEqual([answer]);
    expect(page2.items[0]).toMatchObject({ parentExternalId: reply, rootExternalId: own.externalId });
    expect(await blueskyProvider.incoming(account, page2.cursor)).toEqual({ items: [], cursor: page2.cursor });
  });

  it('hides a reply in the root post’s threadgate and shows it again', async () => {
    const seen = watchFetch();
    const own = await blueskyProvider.publish(account, post('Spørgsmål til byrådet'));
    const reply = server.addIncoming(contract.externalId, { postId: own.externalId, authorName: 'Troll', text: 'Spam' });
    const rkey = own.externalId.split('/').pop();

    await blueskyProvider.setHidden(account, { externalId: reply, rootExternalId: own.externalId }, true);
    expect(server.hiddenIds()).toEqual(new Set([reply]));
    const put = json(sent(seen, 'com.atproto.repo.putRecord')[0]);
    expect(put).toMatchObject({ repo: contract.externalId, collection: 'app.bsky.feed.threadgate', rkey, record: { $type: 'app.bsky.feed.threadgate', post: own.externalId, hiddenReplies: [reply] } });
    expect(put.record).not.toHaveProperty('allow');
    expect((await blueskyProvider.incoming(account, null)).items[0]).toMatchObject({ externalId: reply, hidden: true });

    await blueskyProvider.setHidden(account, { externalId: reply, rootExternalId: own.externalId }, false);
    expect(server.hiddenIds()).toEqual(new Set());
    expect(json(sent(seen, 'com.atproto.repo.putRecord')[1]).swapRecord).toMatch(/^bafyrei/);
    expect((await blueskyProvider.incoming(account, null)).items[0]).toMatchObject({ externalId: reply, hidden: false });
  });

  it('refuses to hide a reply without its root or in someone else’s thread', async () => {
    const own = await blueskyProvider.publish(account, post('Tråd'));
    const reply = server.addIncoming(contract.externalId, { postId: own.externalId, authorName: 'Anna', text: 'Svar' });
    expect((await failure(blueskyProvider.setHidden(account, { externalId: reply, rootExternalId: null }, true))).kind).toBe('bad_content');
    expect((await failure(blueskyProvider.setHidden(account, { externalId: reply, rootExternalId: reply }, true))).kind).toBe('bad_content');
    expect(server.hiddenIds()).toEqual(new Set());
  });

  it('deletes one of the account’s posts and refuses to delete a citizen’s', async () => {
    const own = await blueskyProvider.publish(account, post('Fejlopslag'));
    const reply = server.addIncoming(contract.externalId, { postId: own.externalId, authorName: 'Anna', text: 'Svar' });
    await blueskyProvider.deleteItem(account, own.externalId);
    expect(server.deletedIds()).toEqual(new Set([own.externalId]));
    expect((await failure(blueskyProvider.deleteItem(account, reply))).kind).toBe('bad_content');
  });

  it('replies to a citizen with the thread’s root and the reply as parent', async () => {
    const seen = watchFetch();
    const own = await blueskyProvider.publish(account, post('Spørgetid'));
    const question = server.addIncoming(contract.externalId, { postId: own.externalId, authorName: 'Anna', text: 'Hvornår?' });
    const answer = await blueskyProvider.reply(account, question, 'Klokken 17.');

    expect(server.createdPosts(contract.externalId).at(-1)).toMatchObject({ id: answer.externalId, inReplyTo: question, text: 'Klokken 17.' });
    const record = json(sent(seen, 'com.atproto.repo.createRecord').at(-1)).record;
    expect(record.reply).toEqual({ root: { uri: own.externalId, cid: expect.stringMatching(/^bafyrei/) }, parent: { uri: question, cid: expect.stringMatching(/^bafyrei/) } });
    expect(answer.url).toBe(`https://bsky.app/profile/kommune.bsky.social/post/${answer.externalId.split('/').pop()}`);
  });

  it('blocks an author by a block record in the account’s repository, once, and unblocks by deleting it', async () => {
    const seen = watchFetch();
    server.addIncoming(contract.externalId, { postId: null, authorName: 'Troll', authorHandle: 'troll.bsky.social', text: 'Spam' });
    await blueskyProvider.blockAuthor!(account, { handle: '@troll.bsky.social' }, true);
    await blueskyProvider.blockAuthor!(account, { handle: '@troll.bsky.social' }, true);
    expect(server.blockedAuthors(contract.externalId)).toEqual(['@troll.bsky.social']);
    const creates = sent(seen, 'com.atproto.repo.createRecord');
    expect(creates).toHaveLength(1);
    const { did } = (await (await fetch(`${server.url}/xrpc/com.atproto.identity.resolveHandle?handle=troll.bsky.social`, { headers: { authorization: `Bearer ${contract.accessToken}` } })).json()) as { did: string };
    expect(json(creates[0])).toMatchObject({ repo: contract.externalId, collection: 'app.bsky.graph.block', record: { $type: 'app.bsky.graph.block', subject: did, createdAt: expect.any(String) } });

    await blueskyProvider.blockAuthor!(account, { handle: '@troll.bsky.social' }, false);
    expect(server.blockedAuthors(contract.externalId)).toEqual([]);
    expect(json(sent(seen, 'com.atproto.repo.deleteRecord')[0])).toMatchObject({ repo: contract.externalId, collection: 'app.bsky.graph.block' });
    await blueskyProvider.blockAuthor!(account, { handle: '@troll.bsky.social' }, false);
    expect(sent(seen, 'com.atproto.repo.deleteRecord')).toHaveLength(1);
  });

  it('reports a handle that no longer resolves as an author gone (bad content)', async () => {
    const error = await failure(blueskyProvider.blockAuthor!(account, { handle: '@findesikke.bsky.social' }, true));
    expect(error).toMatchObject({ kind: 'bad_content', status: 400 });
    expect(error.message).toContain(AUTHOR_GONE);
  });

  it('asks for reauthorization when the session has expired and cannot be refreshed while blocking', async () => {
    server.addIncoming(contract.externalId, { postId: null, authorName: 'Troll', authorHandle: 'troll.bsky.social', text: 'Spam' });
    server.injectFaults([{ kind: 'expired_token' }], contract.externalId);
    const error = await failure(blueskyProvider.blockAuthor!({ ...account, refreshToken: null }, { handle: '@troll.bsky.social' }, true));
    expect(error).toMatchObject({ kind: 'reauthorize', status: 400 });
    expect(error.message).toContain('ExpiredToken');
    expect(server.blockedAuthors(contract.externalId)).toEqual([]);
  });
});
