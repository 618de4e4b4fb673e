import { randomUUID } from 'node:crypto';
import * as cheerio from 'cheerio';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';
import { authorizeBase } from './connect/authorize-base.ts';
import { ConnectError } from './connect/errors.ts';
import { facebookAuthorizeUrl, facebookPageToken } from './connect/facebook.ts';
import { mastodonAppKey, mastodonAuthorizeUrl, mastodonTokens } from './connect/mastodon.ts';
import { codeChallenge, xAuthorizeUrl, xTokens } from './connect/x.ts';
import { connectRoutes } from './connect-routes.ts';
import type { Network } from './providers/types.ts';
import type { ContractAccount, ContractServer } from './testing/contract.ts';
import { type BlueskyContractServer, startBlueskyContractServer } from './testing/bluesky-server.ts';
import { type FacebookContractServer, startFacebookContractServer } from './testing/facebook-server.ts';
import { type MastodonContractServer, startMastodonContractServer } from './testing/mastodon-server.ts';
import { startXContractServer, type XContractServer } from './testing/x-server.ts';
import { openTokens, providerAccount } from './tokens.ts';

const SOCIAL = '/admin/sociale-medier';
const EXPIRED = 'Forbindelsesforsøget er udløbet, allerede brugt';

/** Until the social routes mount the connect routes themselves, the test app mounts them under the same prefix. */
function withConnectRoutes(app: FastifyInstance): void {
  if (!app.hasRoute({ method: 'GET', url: `${SOCIAL}/forbind/retur/:network` })) void app.register(connectRoutes, { prefix: SOCIAL });
}

/** The consent screen as a browser meets it: it answers with a redirect back to Mediehus, which is followed by hand. */
async function consent(authorizeUrl: string): Promise<URL> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(res.status, await res.clone().text()).toBe(302);
  return new URL(res.headers.get('location')!);
}

describe.each(dialects)('connecting accounts through the networks’ own sign-in (%s)', (dialect) => {
  let t: TestApp;
  let facebook: FacebookContractServer;
  let x: XContractServer;
  let mastodon: MastodonContractServer;
  let bluesky: BlueskyContractServer;
  const ids = {} as Record<Network, string>;
  const remote = {} as Record<Network, ContractAccount>;
  const servers = () => ({ facebook, x, mastodon, bluesky }) as Record<Network, ContractServer>;

  const signedIn = async (email: string) => {
    const b = new Browser(t.app);
    await b.signIn(email);
    return b;
  };
  const row = (network: Network) => t.db.selectFrom('social_accounts').selectAll().where('id', '=', ids[network]).executeTakeFirstOrThrow();
  const storedTokens = async (network: Network) => openTokens(t.app.ctx.social, ids[network], (await row(network)).token_sealed!);
  const auditText = async () => JSON.stringify(await t.db.selectFrom('audit_log').selectAll().execute());

  /** Back to a registry entry that was never connected, pointing at the contract server. */
  async function disconnect(network: Network): Promise<void> {
    await t.db
      .updateTable('social_accounts')
      .set({ api_base: servers()[network].url, external_id: null, token_sealed: null, status: 'not_connected', connected_at: null })
      .where('id', '=', ids[network])
      .execute();
  }

  /** The whole round: the connect page, "Forbind med …", the network's consent screen, and back to the callback. */
  async function signInThrough(b: Browser, network: Network) {
    const page = await b.get(`${SOCIAL}/konti/${ids[network]}/forbind`);
    expect(page.statusCode).toBe(200);
    const start = await b.post(`${SOCIAL}/konti/${ids[network]}/forbind/start`);
    expect(start.statusCode, start.body).toBe(303);
    const authorizeUrl = String(start.headers.location);
    const back = await consent(authorizeUrl);
    expect(back.origin + back.pathname).toBe(`${t.config.baseUrl}${SOCIAL}/forbind/retur/${network}`);
    const done = await b.get(back.pathname + back.search);
    return { page, authorizeUrl, back, done };
  }

  /** Publishes with the stored token, as the sender would, and answers what the network received. */
  async function publishWithStoredToken(network: Network): Promise<string[]> {
    const social = t.app.ctx.social;
    const account = providerAccount(social, await row(network))!;
    const text = `Genbrugspladsen holder åbent i påsken (${randomUUID().slice(0, 8)})`;
    await social.provider(network).publish(account, { text, link: null, image: null, idempotencyKey: randomUUID() }, { timeoutMs: 5_000 });
    return servers()[network].createdPosts(remote[network].externalId).map((p) => p.text);
  }

  beforeAll(async () => {
    [facebook, x, mastodon, bluesky] = await Promise.all([startFacebookContractServer(), startXContractServer(), startMastodonContractServer(), startBlueskyContractServer()]);
    t = await createTestApp(
      dialect,
      { MEDIEHUS_FACEBOOK_APP_ID: facebook.app.appId, MEDIEHUS_FACEBOOK_APP_SECRET: facebook.app.appSecret, MEDIEHUS_X_CLIENT_ID: x.client.clientId, MEDIEHUS_X_CLIENT_SECRET: x.client.clientSecret },
      { beforeReady: withConnectRoutes },
    );
    const handles: Record<Network, string> = { facebook: 'toenderkommune', x: '@toenderkommune', mastodon: '@toenderkommune@social.toender.dk', bluesky: '@toender.dk' };
    for (const network of Object.keys(handles) as Network[]) {
      ids[network] = (await t.db.selectFrom('social_accounts').select('id').where('network', '=', network).where('handle', '=', handles[network]).executeTakeFirstOrThrow()).id;
      await disconnect(network);
    }
    remote.facebook = facebook.createAccount({ handle: 'toenderkommune', name: 'Tønder Kommune' });
    remote.x = x.createAccount({ handle: 'toenderkommune', name: 'Tønder Kommune' });
    remote.mastodon = mastodon.createAccount({ handle: 'toenderkommune', name: 'Tønder Kommune' });
    remote.bluesky = bluesky.createAccount({ handle: 'toender.dk', name: 'Tønder Kommune' });
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([facebook, x, mastodon, bluesky].map((s) => s?.close()));
  });

  it('the connect page offers each network’s own sign-in, the Bluesky app password form and pasting a token instead', async () => {
    const sofie = await signedIn(DEMO.social);
    for (const [network, button] of [['facebook', 'Forbind med Facebook'], ['x', 'Forbind med X'], ['mastodon', 'Forbind med Mastodon']] as const) {
      const res = await sofie.get(`${SOCIAL}/konti/${ids[network]}/forbind`);
      const $ = cheerio.load(res.body);
      expect($(`form[action="${SOCIAL}/konti/${ids[network]}/forbind/start"] button`).text()).toBe(button);
      expect($(`a[href="${SOCIAL}/konti/${ids[network]}#forbind"]`).text()).toBe('indsætte den på kontoens side');
      // The form leads to the network's consent screen, so the page's policy lets it go there.
      expect(String(res.headers['content-security-policy'])).toContain(`form-action 'self' ${new URL(servers()[network].url).origin}`);
    }
    const $ = cheerio.load((await sofie.get(`${SOCIAL}/konti/${ids.bluesky}/forbind`)).body);
    expect($('form[action$="/forbind/start"]').length).toBe(0);
    expect($('#f-handle').val()).toBe('toender.dk');
    expect($('#f-appPassword').attr('type')).toBe('password');
    expect($('main').text()).toContain('gemmer den ikke');
  });

  it('an editor connects the common Facebook page through Facebook Login, and the page can then publish', async () => {
    const sofie = await signedIn(DEMO.social);
    const { authorizeUrl, done } = await signInThrough(sofie, 'facebook');
    const asked = new URL(authorizeUrl);
    expect(asked.origin + asked.pathname).toBe(`${facebook.url}/dialog/oauth`);
    expect(asked.searchParams.get('scope')).toBe('pages_manage_posts,pages_read_engagement,pages_manage_engagement,pages_show_list');
    expect(asked.searchParams.get('client_id')).toBe(facebook.app.appId);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`${SOCIAL}/konti/${ids.facebook}?forbundet=1`);

    const connected = await row('facebook');
    expect(connected.status).toBe('connected');
    expect(connected.external_id).toBe(remote.facebook.externalId);
    const tokens = await storedTokens('facebook');
    // The page's own token from /me/accounts, not the person's user token.
    expect(tokens.accessToken).not.toBe(remote.facebook.accessToken);
    expect(tokens.refreshToken).toBeNull();
    expect(await publishWithStoredToken('facebook')).toHaveLength(1);

    const accountPage = await sofie.get(String(done.headers.location));
    expect(cheerio.load(accountPage.body)('[role="status"]').text()).toContain('Kontoen er forbundet');
    expect(accountPage.body).not.toContain(tokens.accessToken);
    const entry = await t.db.selectFrom('audit_log').select('details').where('action', '=', 'social_account.connected').where('object_id', '=', ids.facebook).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.details)).toEqual({ how: 'oauth', externalId: remote.facebook.externalId });
    expect(await auditText()).not.toContain(tokens.accessToken);
  });

  it('an editor connects the X profile with PKCE; access and refresh token are stored, never shown, and the profile can publish', async () => {
    const sofie = await signedIn(DEMO.social);
    const { authorizeUrl, page, done } = await signInThrough(sofie, 'x');
    const asked = new URL(authorizeUrl);
    expect(asked.origin + asked.pathname).toBe(`${x.url}/i/oauth2/authorize`);
    expect(asked.searchParams.get('code_challenge_method')).toBe('S256');
    expect(asked.searchParams.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'tweet.moderate.write']));
    expect(done.headers.location).toBe(`${SOCIAL}/konti/${ids.x}?forbundet=1`);

    const tokens = await storedTokens('x');
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect((await row('x')).external_id).toBe(remote.x.externalId);
    expect(await publishWithStoredToken('x')).toHaveLength(1);
    const accountPage = await sofie.get(String(done.headers.location));
    for (const secret of [tokens.accessToken, tokens.refreshToken!]) {
      for (const body of [page.body, done.body, accountPage.body]) expect(body).not.toContain(secret);
      expect(await auditText()).not.toContain(secret);
    }
  });

  it('Mastodon: Mediehus registers itself once per instance, keeps the app sealed in the settings, and the account can publish', async () => {
    const sofie = await signedIn(DEMO.social);
    const first = await signInThrough(sofie, 'mastodon');
    expect(first.done.headers.location).toBe(`${SOCIAL}/konti/${ids.mastodon}?forbundet=1`);
    expect(new URL(first.authorizeUrl).origin).toBe(mastodon.url);
    expect(mastodon.registeredApps()).toHaveLength(1);
    const app = mastodon.registeredApps()[0]!;
    expect(app.redirectUris).toEqual([`${t.config.baseUrl}${SOCIAL}/forbind/retur/mastodon`]);
    const kept = await t.db.selectFrom('settings').select('value').where('key', '=', mastodonAppKey(mastodon.url)).executeTakeFirstOrThrow();
    expect(kept.value).not.toContain(app.clientId);
    expect(await publishWithStoredToken('mastodon')).toHaveLength(1);

    // Connecting again uses the same registration.
    const again = await signInThrough(sofie, 'mastodon');
    expect(again.done.statusCode).toBe(303);
    expect(mastodon.registeredApps()).toHaveLength(1);
    const tokens = await storedTokens('mastodon');
    expect(tokens.accessToken).not.toBe(remote.mastodon.accessToken);
    expect(await auditText()).not.toContain(tokens.accessToken);
  });

  it('Bluesky: handle and app password give a session whose tokens are stored; the password is stored nowhere and never sent back', async () => {
    const sofie = await signedIn(DEMO.social);
    const password = bluesky.appPassword(remote.bluesky.externalId);
    await sofie.get(`${SOCIAL}/konti/${ids.bluesky}/forbind`);

    const wrong = await sofie.post(`${SOCIAL}/konti/${ids.bluesky}/forbind/bluesky`, { handle: 'toender.dk', appPassword: 'aaaa-bbbb-cccc-dddd' });
    expect(wrong.statusCode).toBe(422);
    expect(cheerio.load(wrong.body)('#f-appPassword-error').text()).toContain('Bluesky godkendte ikke brugernavnet og app-adgangskoden');
    expect(wrong.body).not.toContain('aaaa-bbbb-cccc-dddd');
    const ownPassword = await sofie.post(`${SOCIAL}/konti/${ids.bluesky}/forbind/bluesky`, { handle: 'toender.dk', appPassword: 'mit-rigtige-kodeord' });
    expect(cheerio.load(ownPassword.body)('#f-appPassword-error').text()).toContain('Brug en app-adgangskode');
    expect((await row('bluesky')).status).toBe('not_connected');

    const res = await sofie.post(`${SOCIAL}/konti/${ids.bluesky}/forbind/bluesky`, { handle: 'toender.dk', appPassword: password });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`${SOCIAL}/konti/${ids.bluesky}?forbundet=1`);
    expect((await row('bluesky')).external_id).toBe(remote.bluesky.externalId);
    const tokens = await storedTokens('bluesky');
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(await publishWithStoredToken('bluesky')).toHaveLength(1);

    const everything = JSON.stringify([
      await t.db.selectFrom('settings').selectAll().execute(),
      await t.db.selectFrom('audit_log').selectAll().execute(),
      await t.db.selectFrom('social_accounts').selectAll().execute(),
      await t.db.selectFrom('jobs').selectAll().execute(),
      tokens,
    ]);
    expect(everything).not.toContain(password);
    const accountPage = await sofie.get(String(res.headers.location));
    expect(accountPage.body).not.toContain(password);
    expect(accountPage.body).not.toContain(tokens.accessToken);
  });

  it('a wrong state, another session’s state and a used state are all refused, and the right one still works once', async () => {
    await disconnect('x');
    const sofie = await signedIn(DEMO.social);
    await sofie.get(`${SOCIAL}/konti/${ids.x}/forbind`);
    const start = await sofie.post(`${SOCIAL}/konti/${ids.x}/forbind/start`);
    const back = await consent(String(start.headers.location));
    const callback = back.pathname + back.search;

    const forged = new URL(back);
    forged.searchParams.set('state', 'a'.repeat(43));
    const wrong = await sofie.get(forged.pathname + forged.search);
    expect(wrong.statusCode).toBe(400);
    const $ = cheerio.load(wrong.body);
    expect($('h1').text()).toBe('Kontoen blev ikke forbundet');
    expect($('.alert-text').text()).toContain(EXPIRED);

    // The same state in another person's session is refused and does not use it up.
    const owner = await signedIn(DEMO.owner);
    expect((await owner.get(callback)).statusCode).toBe(400);
    const samePersonElsewhere = await signedIn(DEMO.social);
    expect((await samePersonElsewhere.get(callback)).statusCode).toBe(400);

    const right = await sofie.get(callback);
    expect(right.statusCode).toBe(303);
    expect((await row('x')).status).toBe('connected');

    const reused = await sofie.get(callback);
    expect(reused.statusCode).toBe(400);
    expect(cheerio.load(reused.body)('.alert-text').text()).toContain(EXPIRED);
    expect(reused.body).not.toContain((await storedTokens('x')).accessToken);
  });

  it('a state older than ten minutes is refused', async () => {
    const sofie = await signedIn(DEMO.social);
    await sofie.get(`${SOCIAL}/konti/${ids.facebook}/forbind`);
    const back = await consent(String((await sofie.post(`${SOCIAL}/konti/${ids.facebook}/forbind/start`)).headers.location));
    const rows = await t.db.selectFrom('settings').selectAll().where('key', 'like', 'social.connect.state.%').execute();
    for (const r of rows) {
      const [, ...sealed] = r.value.split('.');
      await t.db.updateTable('settings').set({ value: `${Date.now() - 1}.${sealed.join('.')}` }).where('key', '=', r.key).execute();
    }
    const res = await sofie.get(back.pathname + back.search);
    expect(res.statusCode).toBe(400);
    expect(cheerio.load(res.body)('.alert-text').text()).toContain(EXPIRED);
  });

  it('a person who says no at the network is told so, offered to try again, and nothing is stored', async () => {
    await disconnect('facebook');
    const sofie = await signedIn(DEMO.social);
    facebook.refuseNextConsent();
    const { done } = await signInThrough(sofie, 'facebook');
    expect(done.statusCode).toBe(400);
    const $ = cheerio.load(done.body);
    expect($('.alert-text').text()).toContain('Du gav ikke Mediehus adgang hos Facebook');
    expect($(`a[href="${SOCIAL}/konti/${ids.facebook}/forbind"]`).text()).toBe('Prøv igen');
    expect((await row('facebook')).token_sealed).toBeNull();
  });

  it('signing in as another profile than the one in the registry stores nothing and says whom to sign in as', async () => {
    await disconnect('x');
    const other = x.createAccount({ handle: 'nabokommune', name: 'Nabokommunen' });
    x.consentAs(other.externalId);
    try {
      const sofie = await signedIn(DEMO.social);
      const { done } = await signInThrough(sofie, 'x');
      expect(done.statusCode).toBe(400);
      expect(cheerio.load(done.body)('.alert-text').text()).toContain('Du loggede ind som @nabokommune på X, men kontoen i listen er @toenderkommune');
      expect((await row('x')).status).toBe('not_connected');
    } finally {
      x.consentAs(remote.x.externalId);
    }
  });

  it('someone who is not an editor of the account cannot start connecting it', async () => {
    const anne = await signedIn(DEMO.employee);
    await anne.get(`${SOCIAL}/opslag/nyt`);
    expect((await anne.post(`${SOCIAL}/konti/${ids.facebook}/forbind/start`)).statusCode).toBe(403);
    expect((await anne.get(`${SOCIAL}/konti/${ids.facebook}/forbind`)).statusCode).toBe(403);
  });
});

describe('the networks’ token endpoints, as the sign-in meets them', () => {
  let facebook: FacebookContractServer;
  let x: XContractServer;
  let mastodon: MastodonContractServer;
  const redirectUri = 'https://medier.toender.dk/admin/sociale-medier/forbind/retur';
  const problemOf = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    return (error as ConnectError).problem;
  };

  beforeAll(async () => {
    [facebook, x, mastodon] = await Promise.all([startFacebookContractServer(), startXContractServer(), startMastodonContractServer()]);
  });
  afterAll(async () => Promise.all([facebook, x, mastodon].map((s) => s?.close())));

  it('the real networks’ consent screens are on their own hosts; a contract server serves its own', () => {
    expect(authorizeBase('facebook', 'https://graph.facebook.com/v23.0')).toBe('https://www.facebook.com/v23.0');
    expect(authorizeBase('x', 'https://api.x.com')).toBe('https://x.com');
    expect(authorizeBase('mastodon', 'https://social.toender.dk')).toBe('https://social.toender.dk');
    expect(authorizeBase('facebook', 'http://127.0.0.1:4123/v23.0')).toBe('http://127.0.0.1:4123/v23.0');
    expect(authorizeBase('x', 'http://127.0.0.1:4124/')).toBe('http://127.0.0.1:4124');
  });

  it('Facebook refuses a wrong app secret, another redirect_uri and a used code', async () => {
    const page = facebook.createAccount({ handle: 'testside' });
    const app = facebook.app;
    const code = async () => (await consent(facebookAuthorizeUrl({ apiBase: facebook.url, app, redirectUri, state: 's' }))).searchParams.get('code')!;
    const input = { apiBase: facebook.url, app, redirectUri, page: { externalId: null, handle: 'testside', name: 'Testside' }, timeoutMs: 5_000 };
    expect(await problemOf(facebookPageToken({ ...input, app: { ...app, appSecret: 'forkert' }, code: await code() }))).toBe('configuration');
    expect(await problemOf(facebookPageToken({ ...input, redirectUri: `${redirectUri}/andet`, code: await code() }))).toBe('configuration');
    const once = await code();
    const tokens = await facebookPageToken({ ...input, code: once });
    expect(tokens.accessToken).not.toBe(page.accessToken);
    expect(await problemOf(facebookPageToken({ ...input, code: once }))).toBe('refused_code');
    expect(await problemOf(facebookPageToken({ ...input, page: { externalId: null, handle: 'ukendtside', name: 'Ukendt' }, code: await code() }))).toBe('wrong_account');
  });

  it('X refuses a verifier that does not fit the challenge and a wrong client secret; a public client names its client id', async () => {
    x.createAccount({ handle: 'testkonto' });
    const client = x.client;
    const code = async (verifier: string) => (await consent(xAuthorizeUrl({ apiBase: x.url, client, redirectUri, state: 's', verifier }))).searchParams.get('code')!;
    const verifier = 'v'.repeat(64);
    expect(codeChallenge(verifier)).toMatch(/^[\w-]{43}$/);
    expect(await problemOf(xTokens({ apiBase: x.url, client, redirectUri, code: await code(verifier), verifier: 'w'.repeat(64), timeoutMs: 5_000 }))).toBe('refused_code');
    expect(await problemOf(xTokens({ apiBase: x.url, client, redirectUri: `${redirectUri}/andet`, code: await code(verifier), verifier, timeoutMs: 5_000 }))).toBe('refused_code');
    expect(await problemOf(xTokens({ apiBase: x.url, client: { ...client, clientSecret: 'forkert' }, redirectUri, code: await code(verifier), verifier, timeoutMs: 5_000 }))).toBe('configuration');
    x.setClientType('public');
    try {
      const tokens = await xTokens({ apiBase: x.url, client: { clientId: client.clientId, clientSecret: null }, redirectUri, code: await code(verifier), verifier, timeoutMs: 5_000 });
      expect(tokens.refreshToken).toEqual(expect.any(String));
    } finally {
      x.setClientType('confidential');
    }
  });

  it('Mastodon refuses an unknown code and a client it does not know', async () => {
    mastodon.createAccount({ handle: 'testkonto' });
    const made = await fetch(`${mastodon.url}/api/v1/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Mediehus', redirect_uris: redirectUri, scopes: 'read write' }),
    }).then((r) => r.json() as Promise<{ client_id: string; client_secret: string }>);
    const client = { id: made.client_id, secret: made.client_secret };
    const db = { deleteFrom: () => ({ where: () => ({ execute: async () => [] }) }) } as unknown as Parameters<typeof mastodonTokens>[0]['db'];
    const ctx = { db, timeoutMs: 5_000 };
    const back = await consent(mastodonAuthorizeUrl({ apiBase: mastodon.url, clientId: client.id, redirectUri, state: 's' }));
    expect(back.searchParams.get('state')).toBe('s');
    expect(await problemOf(mastodonTokens(ctx, { apiBase: mastodon.url, client: { ...client, secret: 'forkert' }, redirectUri, code: back.searchParams.get('code')! }))).toBe('configuration');
    expect(await problemOf(mastodonTokens(ctx, { apiBase: mastodon.url, client, redirectUri, code: 'ukendt' }))).toBe('refused_code');
    const tokens = await mastodonTokens(ctx, { apiBase: mastodon.url, client, redirectUri, code: back.searchParams.get('code')! });
    expect(tokens.accessToken).toEqual(expect.any(String));
  });
});
