import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractAccount, ContractServer } from '../testing/contract.ts';
import { startFacebookContractServer } from '../testing/facebook-server.ts';
import { facebookProvider as facebook } from './facebook.ts';
import { type OutgoingPost, ProviderError, type ProviderAccount } from './types.ts';

describe('the Facebook adapter against the Graph API contract server', () => {
  let server: ContractServer;
  beforeAll(async () => {
    server = await startFacebookContractServer();
  });
  afterAll(async () => server.close());

  const connect = (contract: ContractAccount = server.createAccount({ name: 'Tønder Kommune' })): ProviderAccount => ({
    network: 'facebook',
    externalId: contract.externalId,
    handle: contract.handle,
    apiBase: contract.apiBase,
    accessToken: contract.accessToken,
  });
  const post = (text: string, extra: Partial<OutgoingPost> = {}): OutgoingPost => ({ text, link: null, image: null, idempotencyKey: `key-${text}`, ...extra });
  const image = { bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0xff, 0xd9]), mimeType: 'image/jpeg', alt: 'Borgmesteren klipper snoren til den nye cykelsti', fileName: 'cykelsti.jpg' };

  const failure = async (promise: Promise<unknown>): Promise<ProviderError> => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  };

  it('a page token tells which page it belongs to', async () => {
    const contract = server.createAccount({ handle: 'tonderkommune', name: 'Tønder Kommune' });
    expect(await facebook.whoAmI(connect(contract))).toEqual({ externalId: contract.externalId, handle: 'tonderkommune', name: 'Tønder Kommune' });
  });

  it('a text post goes to the page feed with its link as a field of its own, and the token never appears in a URL', async () => {
    const account = connect();
    const published = await facebook.publish(account, post('Nu kan du søge om tilskud til foreninger.', { link: 'https://www.tonder.dk/tilskud' }));
    const [created] = server.createdPosts(account.externalId);
    expect(created).toMatchObject({ id: published.externalId, text: 'Nu kan du søge om tilskud til foreninger.', link: 'https://www.tonder.dk/tilskud', imageAlts: [] });
    expect(published.url).toBe(`https://www.facebook.com/${account.externalId}/posts/${published.externalId.split('_')[1]}`);
    const request = server.requests.find((r) => r.method === 'POST' && r.path === `/v23.0/${account.externalId}/feed`);
    expect(request).toBeDefined();
    expect(server.requests.some((r) => r.path.includes(account.accessToken))).toBe(false);
  });

  it('a post with an image is a page photo with the caption, the link in the caption and the alt text', async () => {
    const account = connect();
    const published = await facebook.publish(account, post('Den nye cykelsti er åben.', { link: 'https://www.tonder.dk/cykelsti', image }));
    const [created] = server.createdPosts(account.externalId);
    expect(created).toMatchObject({ id: published.externalId, text: 'Den nye cykelsti er åben.\n\nhttps://www.tonder.dk/cykelsti', link: null, imageAlts: [image.alt] });
    expect(server.requests.some((r) => r.method === 'POST' && r.path === `/v23.0/${account.externalId}/photos`)).toBe(true);
  });

  it('a throttled page is a retry at the time Graph gives in whole minutes', async () => {
    const account = connect();
    server.injectFaults([{ kind: 'rate_limit', resetInMs: 90_000 }], account.externalId);
    const before = Date.now();
    const error = await failure(facebook.publish(account, post('Vejarbejde på Storegade.')));
    const after = Date.now();
    expect(error.kind).toBe('retry');
    expect(error.timedOut).toBe(false);
    // 90 seconds is advertised as estimated_time_to_regain_access: 2 (minutes).
    expect(error.retryAt!.getTime()).toBeGreaterThanOrEqual(before + 120_000);
    expect(error.retryAt!.getTime()).toBeLessThanOrEqual(after + 120_000);
    expect(server.createdPosts(account.externalId)).toEqual([]);
  });

  it('a page stays throttled until the advertised time, and a post sent before then counts as a violation', async () => {
    const account = connect();
    server.setRateLimit({ max: 1, windowMs: 60_000 });
    try {
      await facebook.publish(account, post('Første opslag i vinduet.'));
      const told = await failure(facebook.publish(account, post('Andet opslag i vinduet.')));
      expect(told.kind).toBe('retry');
      expect(told.retryAt).not.toBeNull();
      const violationsBefore = server.rateLimitViolations();
      await failure(facebook.publish(account, post('Tredje opslag, for tidligt.')));
      expect(server.rateLimitViolations()).toBe(violationsBefore + 1);
      expect(server.createdPosts(account.externalId).map((p) => p.text)).toEqual(['Første opslag i vinduet.']);
    } finally {
      server.setRateLimit(null);
    }
  });

  it('a server error is a retry', async () => {
    const account = connect();
    server.injectFaults([{ kind: 'server_error' }], account.externalId);
    const error = await failure(facebook.publish(account, post('Svømmehallen holder lukket.')));
    expect(error).toMatchObject({ kind: 'retry', status: 500, retryAt: null, timedOut: false });
  });

  it('an expired page token means the page must be connected again, and the message carries no token', async () => {
    const account = connect();
    server.injectFaults([{ kind: 'expired_token' }], account.externalId);
    const error = await failure(facebook.publish(account, post('Byrådsmøde i aften.')));
    expect(error.kind).toBe('reauthorize');
    expect(error.message).toContain('Session has expired');
    expect(error.message).not.toContain(account.accessToken);
  });

  it('a token Graph does not know means the page must be connected again', async () => {
    const account = { ...connect(), accessToken: 'EAAGforkert' };
    const error = await failure(facebook.publish(account, post('Ny genbrugsplads.')));
    expect(error.kind).toBe('reauthorize');
    expect(error.message).toContain('code 190');
  });

  it('a post Graph refuses is bad content', async () => {
    const account = connect();
    server.injectFaults([{ kind: 'bad_content' }], account.externalId);
    const error = await failure(facebook.publish(account, post('Samme tekst igen.')));
    expect(error.kind).toBe('bad_content');
    expect(error.message).toContain('Duplicate status message');
  });

  it('a post accepted without an answer times out as a retry, and the page’s recent posts then show it', async () => {
    const account = connect();
    const since = new Date(Date.now() - 1000);
    server.injectFaults([{ kind: 'accept_then_hang', hangMs: 3000 }], account.externalId);
    const error = await failure(facebook.publish(account, post('Åbent hus på rådhuset lørdag.'), { timeoutMs: 250 }));
    expect(error).toMatchObject({ kind: 'retry', timedOut: true });
    const recent = await facebook.recentPosts(account, { since });
    expect(recent.map((p) => p.text)).toEqual(['Åbent hus på rådhuset lørdag.']);
    expect(recent[0]!.externalId).toBe(server.createdPosts(account.externalId)[0]!.id);
  });

  it('a page that cannot be reached is a retry that may have reached the network', async () => {
    const closed = await startFacebookContractServer();
    const account = connect(closed.createAccount());
    await closed.close();
    const error = await failure(facebook.publish(account, post('Ingen forbindelse.'), { timeoutMs: 2000 }));
    expect(error).toMatchObject({ kind: 'retry', timedOut: true });
  });

  it('recent posts are the page’s own posts since the given time, newest first', async () => {
    const account = connect();
    await facebook.publish(account, post('Første nyhed.'));
    await facebook.publish(account, post('Anden nyhed.'));
    server.addIncoming(account.externalId, { postId: null, authorName: 'Jens Hansen', text: 'Et opslag fra en borger.' });
    const recent = await facebook.recentPosts(account, { since: new Date(Date.now() - 60_000) });
    expect(recent.map((p) => p.text)).toEqual(['Anden nyhed.', 'Første nyhed.']);
    expect(await facebook.recentPosts(account, { since: new Date(Date.now() + 60_000) })).toEqual([]);
  });

  it('counts characters the way Facebook does, up to 63,206', () => {
    expect(facebook.countText('Hej Tønder')).toBe(10);
    expect(facebook.countText('Godt gået 👍')).toBe(11);
    expect(facebook.countText('https://www.tonder.dk/en/meget/lang/adresse')).toBe(43);
    expect(facebook.limits.maxText).toBe(63_206);
  });

  it('the inbox reads comments and visitor posts oldest first, and the cursor gives only newer ones next time', async () => {
    const account = connect();
    const published = await facebook.publish(account, post('Hvad synes du om den nye legeplads?'));
    const first = server.addIncoming(account.externalId, { postId: published.externalId, authorName: 'Mette Jensen', text: 'Den er fin!', createdAt: new Date(Date.now() - 3000) });
    const answer = server.addIncoming(account.externalId, { postId: first, authorName: 'Ole Nielsen', text: 'Enig.', createdAt: new Date(Date.now() - 2000) });
    const visitor = server.addIncoming(account.externalId, { postId: null, authorName: 'Karen Holm', text: 'Hvornår tømmes skraldespandene?', createdAt: new Date(Date.now() - 1000) });

    const page = await facebook.incoming(account, null);
    expect(page.items.map((i) => [i.externalId, i.parentExternalId, i.rootExternalId, i.authorName, i.text])).toEqual([
      [first, published.externalId, published.externalId, 'Mette Jensen', 'Den er fin!'],
      [answer, first, published.externalId, 'Ole Nielsen', 'Enig.'],
      [visitor, null, null, 'Karen Holm', 'Hvornår tømmes skraldespandene?'],
    ]);
    expect(page.items.every((i) => !i.hidden && i.url?.startsWith('https://www.facebook.com/'))).toBe(true);

    const again = await facebook.incoming(account, page.cursor);
    expect(again.items).toEqual([]);
    const later = server.addIncoming(account.externalId, { postId: published.externalId, authorName: 'Mette Jensen', text: 'Og tak for svaret.' });
    const newer = await facebook.incoming(account, again.cursor);
    expect(newer.items.map((i) => i.externalId)).toEqual([later]);
  });

  it('a comment is hidden and shown again', async () => {
    const account = connect();
    const published = await facebook.publish(account, post('Vi holder borgermøde.'));
    const comment = server.addIncoming(account.externalId, { postId: published.externalId, authorName: 'Troll', text: 'Spam spam spam' });
    await facebook.setHidden(account, { externalId: comment, rootExternalId: published.externalId }, true);
    expect(server.hiddenIds().has(comment)).toBe(true);
    expect((await facebook.incoming(account, null)).items.find((i) => i.externalId === comment)?.hidden).toBe(true);
    await facebook.setHidden(account, { externalId: comment, rootExternalId: published.externalId }, false);
    expect(server.hiddenIds().has(comment)).toBe(false);
  });

  it('a comment is deleted', async () => {
    const account = connect();
    const published = await facebook.publish(account, post('Affaldskalenderen er klar.'));
    const comment = server.addIncoming(account.externalId, { postId: published.externalId, authorName: 'Troll', text: 'Noget grimt' });
    await facebook.deleteItem(account, comment);
    expect(server.deletedIds().has(comment)).toBe(true);
    expect((await facebook.incoming(account, null)).items.map((i) => i.externalId)).not.toContain(comment);
  });

  it('a reply is a comment from the page under the comment, and the inbox leaves the page’s own replies out', async () => {
    const account = connect();
    const published = await facebook.publish(account, post('Spørg os om byggetilladelser.'));
    const question = server.addIncoming(account.externalId, { postId: published.externalId, authorName: 'Per Madsen', text: 'Skal en carport søges?' });
    const reply = await facebook.reply(account, question, 'Ja, hvis den er over 50 m². Se tonder.dk/byg');
    const created = server.createdPosts(account.externalId).find((p) => p.id === reply.externalId);
    expect(created).toMatchObject({ text: 'Ja, hvis den er over 50 m². Se tonder.dk/byg', inReplyTo: question });
    expect((await facebook.incoming(account, null)).items.map((i) => i.externalId)).toEqual([question]);
  });
});
