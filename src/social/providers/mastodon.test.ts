import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContractAccount } from '../testing/contract.ts';
import { type MastodonContractServer, startMastodonContractServer } from '../testing/mastodon-server.ts';
import { mastodonProvider } from './mastodon.ts';
import { AUTHOR_GONE, ProviderError, type OutgoingPost, type ProviderAccount } from './types.ts';

// A 1×1 PNG.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a7e3a5d90000000049454e44ae426082', 'hex');

interface Seen {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
  status: number;
  responseHeaders: Headers;
}

/** Records every request the client sends and the answer it gets, passing both through unchanged. */
function watchFetch(): Seen[] {
  const seen: Seen[] = [];
  const original = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const body = await request.clone().text();
    const response = await original(request);
    seen.push({ method: request.method, url: new URL(request.url), headers: request.headers, body, status: response.status, responseHeaders: response.headers });
    return response;
  });
  return seen;
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const post = (text: string, extra: Partial<OutgoingPost> = {}): OutgoingPost => ({ text, link: null, image: null, idempotencyKey: `pub-${Math.random().toString(36).slice(2)}`, ...extra });

describe('the Mastodon adapter against its contract server', () => {
  let server: MastodonContractServer;
  let contract: ContractAccount;
  let account: ProviderAccount;

  beforeEach(async () => {
    server = await startMastodonContractServer();
    contract = server.createAccount({ handle: 'kommune', name: 'Eksempel Kommune' });
    account = { network: 'mastodon', externalId: contract.externalId, handle: contract.handle, apiBase: contract.apiBase, accessToken: contract.accessToken };
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await server.close();
  });

  it('tells whose token it is', async () => {
    const me = await mastodonProvider.whoAmI(account);
    expect(me).toEqual({ externalId: contract.externalId, handle: contract.handle, name: 'Eksempel Kommune' });
  });

  it('publishes a text as a public Danish status carrying the publication’s Idempotency-Key', async () => {
    const seen = watchFetch();
    const p = post('Vejen er åben igen. Læs mere: https://kommune.example/nyheder/vejen-er-aaben');
    const published = await mastodonProvider.publish(account, p);

    const [create] = seen.filter((s) => s.url.pathname === '/api/v1/statuses');
    expect(create?.method).toBe('POST');
    expect(create?.headers.get('idempotency-key')).toBe(p.idempotencyKey);
    expect(create?.headers.get('authorization')).toBe(`Bearer ${contract.accessToken}`);
    expect(JSON.parse(create!.body)).toEqual({ status: p.text, visibility: 'public', language: 'da' });
    expect(server.createdPosts(contract.externalId)).toMatchObject([{ id: published.externalId, text: p.text, idempotencyKey: p.idempotencyKey, imageAlts: [] }]);
    expect(published.url).toBe(`${server.url}/@kommune/${published.externalId}`);
  });

  it('publishes an image by uploading it with its description first and attaching it by media id', async () => {
    const seen = watchFetch();
    const p = post('Nyt byggeri på torvet', { image: { bytes: PNG, mimeType: 'image/png', alt: 'Kran over torvet i morgenlys', fileName: 'torvet.png' } });
    await mastodonProvider.publish(account, p);

    const upload = seen.find((s) => s.url.pathname === '/api/v2/media');
    expect(upload?.method).toBe('POST');
    expect(upload?.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload?.body).toContain('name="description"\r\n\r\nKran over torvet i morgenlys');
    expect(upload?.body).toMatch(/name="file"; filename="torvet.png"\r\nContent-Type: image\/png/i);
    const create = seen.find((s) => s.url.pathname === '/api/v1/statuses')!;
    expect(seen.indexOf(upload!)).toBeLessThan(seen.indexOf(create));
    expect(JSON.parse(create.body)).toEqual({ status: 'Nyt byggeri på torvet', visibility: 'public', language: 'da', media_ids: [expect.any(String)] });
    expect(server.createdPosts(contract.externalId)).toMatchObject([{ text: 'Nyt byggeri på torvet', imageAlts: ['Kran over torvet i morgenlys'] }]);
  });

  it('makes one status when the same Idempotency-Key is sent twice', async () => {
    const p = post('Husk affaldssortering');
    const first = await mastodonProvider.publish(account, p);
    const second = await mastodonProvider.publish(account, p);
    expect(second.externalId).toBe(first.externalId);
    expect(server.createdPosts(contract.externalId)).toHaveLength(1);
  });

  it('turns a 429 into a retry at the reset time Mastodon sent', async () => {
    const seen = watchFetch();
    server.injectFaults([{ kind: 'rate_limit', resetInMs: 1500 }], contract.externalId);
    const error = await failure(mastodonProvider.publish(account, post('For mange')));
    const sent = seen.find((s) => s.status === 429)!.responseHeaders.get('x-ratelimit-reset')!;
    expect(sent).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(error).toMatchObject({ kind: 'retry', status: 429, timedOut: false });
    expect(error.retryAt?.getTime()).toBe(Date.parse(sent));
    expect(error.retryAt!.getTime()).toBeGreaterThan(Date.now() + 1000);
  });

  it('counts a post sent before the advertised reset as a violation, and none after it', async () => {
    server.setRateLimit({ max: 1, windowMs: 2000 });
    await mastodonProvider.publish(account, post('Første'));
    const limited = await failure(mastodonProvider.publish(account, post('Anden')));
    expect(server.rateLimitViolations()).toBe(0);
    await failure(mastodonProvider.publish(account, post('For tidligt')));
    expect(server.rateLimitViolations()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, limited.retryAt!.getTime() - Date.now() + 5));
    await mastodonProvider.publish(account, post('Efter nulstilling'));
    expect(server.rateLimitViolations()).toBe(1);
  });

  it('turns a 500 into a retry', async () => {
    server.injectFaults([{ kind: 'server_error' }], contract.externalId);
    const error = await failure(mastodonProvider.publish(account, post('Serverfejl')));
    expect(error).toMatchObject({ kind: 'retry', timedOut: false, retryAt: null });
    expect(server.createdPosts()).toHaveLength(0);
  });

  it('asks for the account to be connected again when the token has expired, without naming the token', async () => {
    server.injectFaults([{ kind: 'expired_token' }], contract.externalId);
    const error = await failure(mastodonProvider.publish(account, post('Udløbet')));
    expect(error).toMatchObject({ kind: 'reauthorize', status: 401 });
    expect(error.message).not.toContain(contract.accessToken);
    const again = await failure(mastodonProvider.whoAmI(account));
    expect(again.kind).toBe('reauthorize');
  });

  it('asks for reauthorization when the token is unknown', async () => {
    const error = await failure(mastodonProvider.whoAmI({ ...account, accessToken: 'not-a-token' }));
    expect(error).toMatchObject({ kind: 'reauthorize', status: 401 });
  });

  it('reports a status over 500 characters as bad content', async () => {
    const error = await failure(mastodonProvider.publish(account, post('a'.repeat(501))));
    expect(error).toMatchObject({ kind: 'bad_content', status: 422 });
    expect(error.message).toContain('character limit of 500');
  });

  it('reports an image type Mastodon refuses as bad content', async () => {
    const error = await failure(mastodonProvider.publish(account, post('Bitmap', { image: { bytes: PNG, mimeType: 'image/bmp', alt: 'x', fileName: 'x.bmp' } })));
    expect(error).toMatchObject({ kind: 'bad_content', status: 422 });
    expect(server.createdPosts()).toHaveLength(0);
  });

  it('reports the instance’s refusal of a post as bad content', async () => {
    server.injectFaults([{ kind: 'bad_content' }]);
    const error = await failure(mastodonProvider.publish(account, post('Afvist')));
    expect(error.kind).toBe('bad_content');
  });

  it('treats an answer held past the timeout as a timed-out retry, after which recentPosts finds the post', async () => {
    const before = new Date(Date.now() - 1000);
    server.injectFaults([{ kind: 'accept_then_hang', hangMs: 3000 }], contract.externalId);
    const p = post('Kommunalvalg: se stemmestederne');
    const error = await failure(mastodonProvider.publish(account, p, { timeoutMs: 300 }));
    expect(error).toMatchObject({ kind: 'retry', timedOut: true });
    expect(server.createdPosts(contract.externalId)).toHaveLength(1);

    const recent = await mastodonProvider.recentPosts(account, { since: before });
    expect(recent).toMatchObject([{ externalId: server.createdPosts()[0]!.id, text: p.text }]);
    expect(await mastodonProvider.recentPosts(account, { since: new Date(Date.now() + 60_000) })).toEqual([]);
    const retried = await mastodonProvider.publish(account, p);
    expect(retried.externalId).toBe(server.createdPosts()[0]!.id);
  });

  it('treats an instance that cannot be reached as a timed-out retry', async () => {
    const error = await failure(mastodonProvider.whoAmI({ ...account, apiBase: 'http://127.0.0.1:1' }, { timeoutMs: 2000 }));
    expect(error).toMatchObject({ kind: 'retry', timedOut: true });
  });

  it('counts text as Mastodon does: graphemes, links as 23, remote mentions without their domain', () => {
    expect(mastodonProvider.countText('Hej')).toBe(3);
    expect(mastodonProvider.countText('Læs mere: https://kommune.example/nyheder/2026/en-meget-lang-adresse')).toBe(10 + 23);
    expect(mastodonProvider.countText('Se https://kommune.example.')).toBe(3 + 23 + 1);
    expect(mastodonProvider.countText('👨‍👩‍👧 æøå')).toBe(5);
    expect(mastodonProvider.countText('@borger@mastodon.social tak')).toBe('@borger tak'.length);
  });

  it('reads mentions after the cursor, oldest first, and only newer ones the next time', async () => {
    const own = await mastodonProvider.publish(account, post('Høring om skolestruktur'));
    const first = server.addIncoming(contract.externalId, { postId: own.externalId, authorName: 'Anna Borger', authorHandle: 'anna@borger.example', text: 'Hvornår er mødet?' });
    const second = server.addIncoming(contract.externalId, { postId: null, authorName: 'Bo', text: 'Se her & der' });

    const page1 = await mastodonProvider.incoming(account, null);
    expect(page1.items.map((i) => i.externalId)).toEqual([first, second]);
    expect(page1.items[0]).toMatchObject({
      parentExternalId: own.externalId,
      rootExternalId: own.externalId,
      authorName: 'Anna Borger',
      authorHandle: '@anna@borger.example',
      text: '@kommune Hvornår er mødet?',
      hidden: false,
    });
    expect(page1.items[1]).toMatchObject({ parentExternalId: null, rootExternalId: null, text: '@kommune Se her & der' });

    const third = server.addIncoming(contract.externalId, { postId: own.externalId, authorName: 'Carl', text: 'Tak!' });
    const page2 = await mastodonProvider.incoming(account, page1.cursor);
    expect(page2.items.map((i) => i.externalId)).toEqual([third]);
    const page3 = await mastodonProvider.incoming(account, page2.cursor);
    expect(page3).toEqual({ items: [], cursor: page2.cursor });
  });

  it('refuses to hide a reply, since Mastodon cannot', async () => {
    const error = await failure(mastodonProvider.setHidden(account, { externalId: '1', rootExternalId: null }, true));
    expect(error.kind).toBe('bad_content');
    expect(error.message).toMatch(/hide/);
  });

  it('deletes one of the account’s statuses', async () => {
    const own = await mastodonProvider.publish(account, post('Fejlopslag'));
    await mastodonProvider.deleteItem(account, own.externalId);
    expect(server.deletedIds()).toEqual(new Set([own.externalId]));
    expect(await mastodonProvider.recentPosts(account, { since: new Date(0) })).toEqual([]);
  });

  it('replies in the thread and names the citizen so the reply reaches them', async () => {
    const own = await mastodonProvider.publish(account, post('Spørgetid'));
    const question = server.addIncoming(contract.externalId, { postId: own.externalId, authorName: 'Anna', authorHandle: 'anna@borger.example', text: 'Hvornår?' });
    const answer = await mastodonProvider.reply(account, question, 'Klokken 17.');
    expect(server.createdPosts(contract.externalId).at(-1)).toMatchObject({ id: answer.externalId, inReplyTo: question, text: '@anna@borger.example Klokken 17.' });
  });

  it('blocks an author found by their handle, and unblocks them again; doing either twice changes nothing', async () => {
    const seen = watchFetch();
    server.addIncoming(contract.externalId, { postId: null, authorName: 'Troll', authorHandle: 'troll@borger.example', text: 'Spam' });
    await mastodonProvider.blockAuthor!(account, { handle: '@troll@borger.example' }, true);
    await mastodonProvider.blockAuthor!(account, { handle: '@troll@borger.example' }, true);
    expect(server.blockedAuthors(contract.externalId)).toEqual(['@troll@borger.example']);
    expect(seen.map((s) => `${s.method} ${s.url.pathname}${s.url.search}`)[0]).toBe('GET /api/v1/accounts/lookup?acct=troll%40borger.example');
    expect(seen.filter((s) => s.method === 'POST').map((s) => s.url.pathname)).toEqual([expect.stringMatching(/^\/api\/v1\/accounts\/\d+\/block$/), expect.stringMatching(/\/block$/)]);

    await mastodonProvider.blockAuthor!(account, { handle: '@troll@borger.example' }, false);
    await mastodonProvider.blockAuthor!(account, { handle: '@troll@borger.example' }, false);
    expect(server.blockedAuthors(contract.externalId)).toEqual([]);
  });

  it('reports an author the instance does not know as gone (bad content)', async () => {
    const error = await failure(mastodonProvider.blockAuthor!(account, { handle: '@findesikke@borger.example' }, true));
    expect(error).toMatchObject({ kind: 'bad_content', status: 404 });
    expect(error.message).toContain(AUTHOR_GONE);
  });

  it('asks for the account to be connected again when the token has expired while blocking', async () => {
    server.addIncoming(contract.externalId, { postId: null, authorName: 'Troll', authorHandle: 'troll@borger.example', text: 'Spam' });
    server.injectFaults([{ kind: 'expired_token' }], contract.externalId);
    const error = await failure(mastodonProvider.blockAuthor!(account, { handle: '@troll@borger.example' }, true));
    expect(error).toMatchObject({ kind: 'reauthorize', status: 401 });
    expect(error.message).not.toContain(contract.accessToken);
    expect(server.blockedAuthors(contract.externalId)).toEqual([]);
  });

  it('a block refused by a token without write:blocks asks for the account to be connected again', async () => {
    server.addIncoming(contract.externalId, { postId: null, authorName: 'Troll', authorHandle: 'troll@borger.example', text: 'Spam' });
    const redirect = 'https://mediehus.example/retur';
    const app = await (await fetch(`${server.url}/api/v1/apps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'Gammel', redirect_uris: redirect, scopes: 'read write:statuses' }) })).json();
    server.consentAs(contract.externalId);
    const consent = await fetch(`${server.url}/oauth/authorize?response_type=code&client_id=${app.client_id}&redirect_uri=${encodeURIComponent(redirect)}&scope=read+write:statuses`, { redirect: 'manual' });
    const code = new URL(consent.headers.get('location')!).searchParams.get('code');
    const token = await (await fetch(`${server.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'authorization_code', client_id: app.client_id, client_secret: app.client_secret, redirect_uri: redirect, code }) })).json();
    const error = await failure(mastodonProvider.blockAuthor!({ ...account, accessToken: token.access_token }, { handle: '@troll@borger.example' }, true));
    expect(error).toMatchObject({ kind: 'reauthorize', status: 403 });
    expect(server.blockedAuthors(contract.externalId)).toEqual([]);
  });
});
