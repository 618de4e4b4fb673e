import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractAccount } from '../testing/contract.ts';
import { startXContractServer, type XContractServer } from '../testing/x-server.ts';
import { type OutgoingPost, ProviderError, type ProviderAccount } from './types.ts';
import { xProvider as x } from './x.ts';

describe('the X adapter against the X API v2 contract server', () => {
  let server: XContractServer;
  beforeAll(async () => {
    server = await startXContractServer();
  });
  afterAll(async () => server.close());

  const connect = (contract: ContractAccount = server.createAccount({ handle: 'tonderkommune', name: 'Tønder Kommune' })): ProviderAccount => ({
    network: 'x',
    externalId: contract.externalId,
    handle: contract.handle,
    apiBase: contract.apiBase,
    accessToken: contract.accessToken,
    refreshToken: contract.refreshToken,
  });
  const post = (text: string, extra: Partial<OutgoingPost> = {}): OutgoingPost => ({ text, link: null, image: null, idempotencyKey: `key-${text}`, ...extra });
  const image = { bytes: Buffer.alloc(3000, 7), mimeType: 'image/jpeg', alt: 'Borgmesteren klipper snoren til den nye cykelsti', fileName: 'cykelsti.jpg' };

  const failure = async (promise: Promise<unknown>): Promise<ProviderError> => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  };

  it('a token tells which account it belongs to', async () => {
    const contract = server.createAccount({ handle: 'tonder_kommune', name: 'Tønder Kommune' });
    expect(await x.whoAmI(connect(contract))).toEqual({ externalId: contract.externalId, handle: '@tonder_kommune', name: 'Tønder Kommune' });
  });

  it('a text post is created with POST /2/tweets and links to the post on x.com', async () => {
    const account = connect(server.createAccount({ handle: 'tonder1' }));
    const published = await x.publish(account, post('Nu kan du søge om tilskud til foreninger.\n\nhttps://www.tonder.dk/tilskud'));
    expect(server.createdPosts(account.externalId)).toEqual([
      expect.objectContaining({ id: published.externalId, text: 'Nu kan du søge om tilskud til foreninger.\n\nhttps://www.tonder.dk/tilskud', imageAlts: [], inReplyTo: null }),
    ]);
    expect(published.url).toBe(`https://x.com/tonder1/status/${published.externalId}`);
    expect(server.requests.some((r) => r.method === 'POST' && r.path === '/2/tweets')).toBe(true);
  });

  it('an image is uploaded in chunks, given its alt text and attached to the post', async () => {
    const account = connect();
    const published = await x.publish(account, post('Den nye cykelsti er åben.', { image }));
    expect(server.createdPosts(account.externalId)).toEqual([expect.objectContaining({ id: published.externalId, text: 'Den nye cykelsti er åben.', imageAlts: [image.alt] })]);
    const paths = server.requests.map((r) => `${r.method} ${r.path.replace(/\d{6,}/g, ':id')}`);
    expect(paths).toEqual(expect.arrayContaining(['POST /2/media/upload/initialize', 'POST /2/media/upload/:id/append', 'POST /2/media/upload/:id/finalize', 'POST /2/media/metadata']));
  });

  it('a 429 is a retry at the x-rate-limit-reset the server sent, rounded up to the second', async () => {
    const account = connect();
    server.injectFaults([{ kind: 'rate_limit', resetInMs: 1500 }], account.externalId);
    const before = Date.now();
    const error = await failure(x.publish(account, post('Vejarbejde på Storegade.')));
    expect(error).toMatchObject({ kind: 'retry', status: 429, timedOut: false });
    expect(error.retryAt!.getTime() % 1000).toBe(0);
    expect(error.retryAt!.getTime()).toBeGreaterThanOrEqual(before + 1500);
    expect(error.retryAt!.getTime()).toBeLessThan(Date.now() + 2500);
    expect(server.createdPosts(account.externalId)).toEqual([]);
  });

  it('an account stays limited until the advertised reset, and only a post sent before then counts as a violation', async () => {
    const account = connect();
    server.injectFaults([{ kind: 'rate_limit', resetInMs: 2000 }], account.externalId);
    const told = await failure(x.publish(account, post('Første forsøg.')));
    const violations = server.rateLimitViolations();
    await failure(x.publish(account, post('For tidligt.')));
    expect(server.rateLimitViolations()).toBe(violations + 1);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, told.retryAt!.getTime() - Date.now()) + 20));
    await x.publish(account, post('Efter nulstillingen.'));
    expect(server.rateLimitViolations()).toBe(violations + 1);
    expect(server.createdPosts(account.externalId).map((p) => p.text)).toEqual(['Efter nulstillingen.']);
  });

  it('the standing limit answers the post past the window’s maximum with a 429 and its reset', async () => {
    const account = connect();
    server.setRateLimit({ max: 2, windowMs: 60_000 });
    try {
      await x.publish(account, post('Et.'));
      await x.publish(account, post('To.'));
      const error = await failure(x.publish(account, post('Tre.')));
      expect(error.kind).toBe('retry');
      expect(error.retryAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);
      expect(server.createdPosts(account.externalId).map((p) => p.text)).toEqual(['Et.', 'To.']);
    } finally {
      server.setRateLimit(null);
    }
  });

  it('a server error is a retry', async () => {
    const account = connect();
    server.injectFaults([{ kind: 'server_error' }], account.externalId);
    const error = await failure(x.publish(account, post('Svømmehallen holder lukket.')));
    expect(error).toMatchObject({ kind: 'retry', status: 500, retryAt: null, timedOut: false });
  });

  it('an expired token means the account must be connected again, and the message carries no token', async () => {
    const account = connect();
    server.injectFaults([{ kind: 'expired_token' }], account.externalId);
    const error = await failure(x.publish(account, post('Byrådsmøde i aften.')));
    expect(error).toMatchObject({ kind: 'reauthorize', status: 401 });
    expect(error.message).not.toContain(account.accessToken);
    expect(error.cause).toBeUndefined();
  });

  it('an access token whose two hours are up is renewed with the refresh token, the new pair is handed over to be stored, and the post goes out', async () => {
    const stored: { accessToken: string; refreshToken: string | null }[] = [];
    const account: ProviderAccount = { ...connect(), oauthClient: server.client, onTokensRefreshed: async (tokens) => void stored.push(tokens) };
    const [oldAccess, oldRefresh] = [account.accessToken, account.refreshToken];
    server.expireAccessToken(oldAccess);
    const published = await x.publish(account, post('Husk at stemme til kommunalvalget.'));
    expect(server.createdPosts(account.externalId).map((p) => p.id)).toEqual([published.externalId]);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.accessToken).not.toBe(oldAccess);
    expect(stored[0]!.refreshToken).not.toBe(oldRefresh);
    // X rotates the refresh token: the old one is spent, the new one works.
    const renewals = server.requests.filter((r) => r.method === 'POST' && r.path === '/2/oauth2/token');
    expect(renewals).toHaveLength(1);
    expect(await x.whoAmI({ ...connect(), accessToken: stored[0]!.accessToken })).toMatchObject({ externalId: account.externalId });
  });

  it('two calls that find the token expired renew it once: the later one takes the pair the first stored', async () => {
    let store = { accessToken: '', refreshToken: null as string | null };
    const base = connect();
    store = { accessToken: base.accessToken, refreshToken: base.refreshToken ?? null };
    const reading = (): ProviderAccount => ({ ...base, ...store, oauthClient: server.client, storedTokens: async () => store, onTokensRefreshed: async (t) => void (store = t) });
    const [first, second] = [reading(), reading()];
    const renewals = () => server.requests.filter((r) => r.method === 'POST' && r.path === '/2/oauth2/token').length;
    const renewalsBefore = renewals();
    server.expireAccessToken(base.accessToken);
    await x.publish(first, post('Første opslag efter fornyelsen.'));
    await x.publish(second, post('Andet opslag med den fornyede nøgle.'));
    expect(server.createdPosts(base.externalId).map((p) => p.text)).toEqual(['Første opslag efter fornyelsen.', 'Andet opslag med den fornyede nøgle.']);
    expect(second.accessToken).toBe(store.accessToken);
    // One renewal: the second call finds the stored pair changed and takes it without asking X again.
    expect(renewals() - renewalsBefore).toBe(1);
  });

  it('a renewal refused because another call spent the refresh token a moment earlier takes the pair that call stores', async () => {
    const base = connect();
    const original = { accessToken: base.accessToken, refreshToken: base.refreshToken ?? null };
    let store = original;
    let reads = 0;
    const first: ProviderAccount = { ...base, ...store, oauthClient: server.client, storedTokens: async () => store, onTokensRefreshed: async (t) => void (store = t) };
    // The second reads the tokens before the first has stored its new pair, and only afterwards sees it.
    const second: ProviderAccount = { ...base, ...original, oauthClient: server.client, storedTokens: async () => (reads++ === 0 ? original : store), onTokensRefreshed: async (t) => void (store = t) };
    const renewals = () => server.requests.filter((r) => r.method === 'POST' && r.path === '/2/oauth2/token').length;
    const renewalsBefore = renewals();
    server.expireAccessToken(base.accessToken);
    await x.publish(first, post('Første efter udløbet.'));
    await x.publish(second, post('Anden efter udløbet.'));
    expect(server.createdPosts(base.externalId).map((p) => p.text)).toEqual(['Første efter udløbet.', 'Anden efter udløbet.']);
    expect(renewals() - renewalsBefore).toBe(2);
    expect(second.accessToken).toBe(store.accessToken);
  });

  it('a renewal X refuses means the account must be connected again, and nothing is posted', async () => {
    const stored: unknown[] = [];
    const account: ProviderAccount = { ...connect(), refreshToken: 'brugt-eller-tilbagekaldt', oauthClient: server.client, onTokensRefreshed: async (t) => void stored.push(t) };
    server.expireAccessToken(account.accessToken);
    const error = await failure(x.publish(account, post('Vejarbejde på Storegade.')));
    expect(error).toMatchObject({ kind: 'reauthorize', status: 400 });
    expect(error.message).not.toContain('brugt-eller-tilbagekaldt');
    expect(stored).toEqual([]);
    expect(server.createdPosts(account.externalId)).toEqual([]);
  });

  it('a token X does not know means the account must be connected again', async () => {
    const error = await failure(x.whoAmI({ ...connect(), accessToken: 'forkert' }));
    expect(error.kind).toBe('reauthorize');
  });

  it('a duplicate post is bad content', async () => {
    const account = connect();
    await x.publish(account, post('Samme tekst.'));
    const error = await failure(x.publish(account, post('Samme tekst.')));
    expect(error).toMatchObject({ kind: 'bad_content', status: 403 });
    expect(error.message).toContain('duplicate content');
  });

  it('content the server is told to refuse is bad content', async () => {
    const account = connect();
    server.injectFaults([{ kind: 'bad_content' }], account.externalId);
    expect((await failure(x.publish(account, post('Afvist opslag.')))).kind).toBe('bad_content');
  });

  it('a post over 280 is refused as bad content', async () => {
    const account = connect();
    const error = await failure(x.publish(account, post('æ'.repeat(281))));
    expect(error).toMatchObject({ kind: 'bad_content', status: 400 });
  });

  it('a post accepted without an answer times out as a retry, and the account’s recent posts then show it', async () => {
    const account = connect();
    const since = new Date(Date.now() - 1000);
    server.injectFaults([{ kind: 'accept_then_hang', hangMs: 3000 }], account.externalId);
    const error = await failure(x.publish(account, post('Åbent hus på rådhuset lørdag.'), { timeoutMs: 250 }));
    expect(error).toMatchObject({ kind: 'retry', timedOut: true });
    const recent = await x.recentPosts(account, { since });
    expect(recent).toEqual([expect.objectContaining({ externalId: server.createdPosts(account.externalId)[0]!.id, text: 'Åbent hus på rådhuset lørdag.' })]);
  });

  it('an X that cannot be reached is a retry that may have reached the network', async () => {
    const closed = await startXContractServer();
    const account = connect(closed.createAccount());
    await closed.close();
    const error = await failure(x.publish(account, post('Ingen forbindelse.'), { timeoutMs: 2000 }));
    expect(error).toMatchObject({ kind: 'retry', timedOut: true });
  });

  it('recent posts are the account’s own posts since the given time, newest first', async () => {
    const account = connect();
    await x.publish(account, post('Første nyhed.'));
    await x.publish(account, post('Anden nyhed.'));
    const recent = await x.recentPosts(account, { since: new Date(Date.now() - 60_000) });
    expect(recent.map((p) => p.text)).toEqual(['Anden nyhed.', 'Første nyhed.']);
    expect(await x.recentPosts(account, { since: new Date(Date.now() + 60_000) })).toEqual([]);
    expect(server.requests.at(-1)!.path).toMatch(/start_time=\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\dZ/);
  });

  it('counts text the way X does: links as 23, emoji as 2, CJK as 2, Danish letters as 1', () => {
    expect(x.countText('Hej Tønder')).toBe(10);
    expect(x.countText('Godt gået 👍')).toBe(12);
    expect(x.countText('👨‍👩‍👧 🇩🇰')).toBe(5);
    expect(x.countText('Læs mere: https://www.tonder.dk/nyheder/en-meget-lang-adresse-om-affald-og-genbrug.')).toBe(34);
    // The bare domain is a link; the e-mail address is not.
    expect(x.countText('Se tonder.dk/byg eller skriv til post@tonder.dk')).toBe(34 + 23);
    expect(x.countText('こんにちは')).toBe(10);
    expect(x.countText('e\u0301')).toBe(1);
    expect(x.limits.maxText).toBe(280);
  });

  it('the inbox reads mentions and replies oldest first, and since_id gives only newer ones next time', async () => {
    const account = connect(server.createAccount({ handle: 'tonder_inbox' }));
    const published = await x.publish(account, post('Hvad synes du om den nye legeplads?'));
    const reply = server.addIncoming(account.externalId, { postId: published.externalId, authorName: 'Mette Jensen', authorHandle: '@mettej', text: 'Den er fin!' });
    const mention = server.addIncoming(account.externalId, { postId: null, authorName: 'Ole Nielsen', authorHandle: '@olen', text: 'Hvornår tømmes skraldespandene?' });

    const page = await x.incoming(account, null);
    expect(page.items.map((i) => [i.externalId, i.parentExternalId, i.rootExternalId, i.authorName, i.authorHandle, i.text])).toEqual([
      [reply, published.externalId, published.externalId, 'Mette Jensen', '@mettej', '@tonder_inbox Den er fin!'],
      [mention, null, null, 'Ole Nielsen', '@olen', '@tonder_inbox Hvornår tømmes skraldespandene?'],
    ]);
    expect(page.items[0]!.url).toBe(`https://x.com/mettej/status/${reply}`);
    expect(page.cursor).toBe(mention);

    const again = await x.incoming(account, page.cursor);
    expect(again).toEqual({ items: [], cursor: mention });
    const later = server.addIncoming(account.externalId, { postId: reply, authorName: 'Mette Jensen', authorHandle: '@mettej', text: 'Og tak!' });
    const newer = await x.incoming(account, again.cursor);
    expect(newer.items.map((i) => [i.externalId, i.parentExternalId, i.rootExternalId])).toEqual([[later, reply, published.externalId]]);
  });

  it('the inbox pages through more than 100 new mentions', async () => {
    const account = connect(server.createAccount({ handle: 'tonder_travl' }));
    for (let i = 0; i < 130; i++) server.addIncoming(account.externalId, { postId: null, authorName: 'Borger', authorHandle: '@borger', text: `Spørgsmål ${i}` });
    const page = await x.incoming(account, null);
    expect(page.items).toHaveLength(130);
    expect(page.items[0]!.text).toBe('@tonder_travl Spørgsmål 0');
    expect(page.items.at(-1)!.text).toBe('@tonder_travl Spørgsmål 129');
  });

  it('a reply is hidden and shown again', async () => {
    const account = connect();
    const published = await x.publish(account, post('Vi holder borgermøde.'));
    const troll = server.addIncoming(account.externalId, { postId: published.externalId, authorName: 'Troll', text: 'Spam spam spam' });
    await x.setHidden(account, { externalId: troll, rootExternalId: published.externalId }, true);
    expect(server.hiddenIds().has(troll)).toBe(true);
    await x.setHidden(account, { externalId: troll, rootExternalId: published.externalId }, false);
    expect(server.hiddenIds().has(troll)).toBe(false);
  });

  it('the account’s own post is deleted; someone else’s cannot be', async () => {
    const account = connect();
    const published = await x.publish(account, post('Affaldskalenderen er klar.'));
    await x.deleteItem(account, published.externalId);
    expect(server.deletedIds().has(published.externalId)).toBe(true);
    const other = server.addIncoming(account.externalId, { postId: null, authorName: 'Borger', text: 'Hej' });
    expect((await failure(x.deleteItem(account, other))).kind).toBe('bad_content');
  });

  it('a reply answers the post it is given', async () => {
    const account = connect();
    const published = await x.publish(account, post('Spørg os om byggetilladelser.'));
    const question = server.addIncoming(account.externalId, { postId: published.externalId, authorName: 'Per Madsen', authorHandle: '@perm', text: 'Skal en carport søges?' });
    const answer = await x.reply(account, question, '@perm Ja, hvis den er over 50 m².');
    expect(server.createdPosts(account.externalId).find((p) => p.id === answer.externalId)).toMatchObject({ text: '@perm Ja, hvis den er over 50 m².', inReplyTo: question });
    expect((await x.incoming(account, null)).items.map((i) => i.externalId)).toEqual([question]);
  });
});
