import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
// oidc-provider ships no type declarations, and @types/oidc-provider is not a dependency.
// @ts-ignore
import Provider from 'oidc-provider';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { launchChromium } from '../../test/support/browser.ts';
import { dialects } from '../../test/support/databases.ts';
import { signInWithOidc, type OidcIdentity } from './oidc.ts';
import { OIDC_COOKIE } from './oidc-routes.ts';

const CLIENT_ID = 'mediehus';
const CLIENT_SECRET = 'en-hemmelighed-kun-til-test';

interface Account {
  email: string;
  name: string;
}

interface TestProvider {
  issuer: string;
  /** Keyed by subject, which is also what one types as "login" on the provider's sign-in page. */
  accounts: Map<string, Account>;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A real OpenID provider on a random port, with its development sign-in pages and consent taken as given. */
async function startProvider(redirectUri: string): Promise<TestProvider> {
  let handle: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;

  const accounts = new Map<string, Account>([
    ['peter-0001', { email: 'Leder@Demo.Mediehus.dk', name: 'Peter Hansen' }],
    ['jonas-0002', { email: DEMO.web, name: 'Jonas Holm' }],
    ['ukendt-0003', { email: 'ukendt@eksempel.dk', name: 'Ukendt Person' }],
    ['anne-0004', { email: DEMO.employee, name: 'Anne Jensen' }],
  ]);
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [{ ...signingKey, use: 'sig', kid: 'test' }] },
    cookies: { keys: ['cookie-key-only-for-tests'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: true } },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    findAccount: async (_ctx: unknown, sub: string) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, email: account.email, email_verified: true, name: account.name }) };
    },
    // Mediehus is a first-party client: grant the requested scopes without a consent page.
    loadExistingGrant: async (ctx: any) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  handle = provider.callback();

  return {
    issuer,
    accounts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe.each(dialects)('signing in with OpenID Connect (%s)', (dialect) => {
  let provider: TestProvider;
  let t: TestApp;
  let browser: Browser;
  let appUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    provider = await startProvider(`${appUrl}/login/oidc/callback`);
    t = await createTestApp(dialect, {
      MEDIEHUS_OIDC_ISSUER: provider.issuer,
      MEDIEHUS_OIDC_CLIENT_ID: CLIENT_ID,
      MEDIEHUS_OIDC_CLIENT_SECRET: CLIENT_SECRET,
      MEDIEHUS_BASE_URL: appUrl,
    });
    await t.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await provider?.close();
  });

  const externalIdOf = async (email: string) =>
    (await t.db.selectFrom('people').select('external_id').where('email', '=', email).executeTakeFirstOrThrow()).external_id;

  const lastAudit = async (action: string) => {
    const row = await t.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    return { ...row, details: JSON.parse(row.details) as Record<string, unknown> };
  };

  /** From the intranet, through Mediehus' sign-in page, to the provider and back, as a person with a browser does it. */
  async function signInAtProvider(login: string): Promise<{ context: BrowserContext; page: Page; callbackStatus: number }> {
    const context = await browser.newContext();
    // The provider's pages load a web font from the internet; keep the test to this machine.
    await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
    const page = await context.newPage();
    await page.goto(`${appUrl}/intranet`);
    expect(page.url()).toBe(`${appUrl}/login?next=%2Fintranet`);

    await page.getByRole('link', { name: t.config.oidc!.label }).click();
    await page.waitForURL((url) => url.origin === provider.issuer && url.pathname.startsWith('/interaction/'));
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', 'hvad-som-helst');
    const callback = page.waitForResponse((response) => response.url().startsWith(`${appUrl}/login/oidc/callback`));
    await page.click('button[type="submit"]');
    const callbackStatus = (await callback).status();
    await page.waitForURL((url) => url.origin === appUrl);
    await page.waitForLoadState();
    return { context, page, callbackStatus };
  }

  const cookieNames = async (context: BrowserContext) => (await context.cookies(appUrl)).map((c) => c.name);

  it('a manager on his way to the intranet signs in at the provider and lands on the intranet front page', async () => {
    const { context, page, callbackStatus } = await signInAtProvider('peter-0001');
    try {
      expect(callbackStatus).toBe(303);
      expect(page.url()).toBe(`${appUrl}/intranet`);
      expect(await page.locator('h1').textContent()).toContain('Goddag, Peter Hansen');
      expect(await cookieNames(context)).toContain('mh_session');
      expect(await cookieNames(context)).not.toContain(OIDC_COOKIE);
    } finally {
      await context.close();
    }
    expect(await externalIdOf(DEMO.manager)).toBe(`${provider.issuer}|peter-0001`);
    const entry = await lastAudit('signin.oidc');
    expect(entry.actor_label).toBe(DEMO.manager);
    expect(entry.details).toMatchObject({ matchedBy: 'email', externalId: `${provider.issuer}|peter-0001` });
  });

  it('a second sign-in finds the person by the stored persistent id, even after the e-mail changed at the provider', async () => {
    const first = await signInAtProvider('jonas-0002');
    await first.context.close();
    expect(await externalIdOf(DEMO.web)).toBe(`${provider.issuer}|jonas-0002`);

    provider.accounts.get('jonas-0002')!.email = 'jonas.holm@privat.example';
    const second = await signInAtProvider('jonas-0002');
    try {
      expect(second.page.url()).toBe(`${appUrl}/intranet`);
      expect(await second.page.locator('h1').textContent()).toContain('Goddag, Jonas Holm');
    } finally {
      await second.context.close();
    }
    expect((await lastAudit('signin.oidc')).details).toMatchObject({ matchedBy: 'external_id', externalId: `${provider.issuer}|jonas-0002` });
  });

  it('a person without an account in Mediehus is turned away with a Danish explanation naming the e-mail', async () => {
    const { context, page, callbackStatus } = await signInAtProvider('ukendt-0003');
    try {
      expect(callbackStatus).toBe(403);
      expect(await page.locator('main').textContent()).toContain('Du har ikke en konto i Mediehus med e-mailadressen ukendt@eksempel.dk');
      expect(await cookieNames(context)).not.toContain('mh_session');
    } finally {
      await context.close();
    }
    const entry = await lastAudit('signin.oidc_refused');
    expect(entry.actor_id).toBeNull();
    expect(entry.details).toMatchObject({ reason: 'unknown', email: 'ukendt@eksempel.dk' });
  });

  it('a disabled person is refused although the provider vouches for her, and her account is not linked', async () => {
    await t.db.updateTable('people').set({ active: 0 }).where('email', '=', DEMO.employee).execute();
    const { context, page, callbackStatus } = await signInAtProvider('anne-0004');
    try {
      expect(callbackStatus).toBe(403);
      expect(await page.locator('main').textContent()).toContain('Din konto i Mediehus er deaktiveret');
      expect(await cookieNames(context)).not.toContain('mh_session');
    } finally {
      await context.close();
    }
    expect(await externalIdOf(DEMO.employee)).toBeNull();
    const entry = await lastAudit('signin.oidc_refused');
    expect(entry.actor_label).toBe(DEMO.employee);
    expect(entry.details).toMatchObject({ reason: 'inactive' });
  });

  it('an unverified e-mail is not trusted, and an e-mail already linked to another identity at the same provider is refused', async () => {
    const identity = (subject: string, email: string, emailVerified = true): OidcIdentity => ({ issuer: provider.issuer, subject, email, emailVerified });

    await expect(signInWithOidc(t.db, identity('ny-0005', DEMO.school, false), '127.0.0.1')).rejects.toMatchObject({ status: 403, code: 'oidc_refused' });
    expect((await lastAudit('signin.oidc_refused')).details).toMatchObject({ reason: 'email_not_verified' });
    expect(await externalIdOf(DEMO.school)).toBeNull();

    await t.db.updateTable('people').set({ external_id: `${provider.issuer}|line-0006` }).where('email', '=', DEMO.intranet).execute();
    await expect(signInWithOidc(t.db, identity('en-anden-0007', DEMO.intranet), '127.0.0.1')).rejects.toThrow('allerede knyttet til et andet login');
    expect((await lastAudit('signin.oidc_refused')).details).toMatchObject({ reason: 'linked_to_other_identity' });
    expect(await externalIdOf(DEMO.intranet)).toBe(`${provider.issuer}|line-0006`);
  });

  it('a person linked at a former provider is re-linked to the new one by e-mail', async () => {
    await t.db.updateTable('people').set({ external_id: 'https://gammel-udbyder.example|sofie-0008' }).where('email', '=', DEMO.social).execute();
    const person = await signInWithOidc(t.db, { issuer: provider.issuer, subject: 'sofie-0009', email: DEMO.social, emailVerified: true }, '127.0.0.1');
    expect(person.email).toBe(DEMO.social);
    expect(await externalIdOf(DEMO.social)).toBe(`${provider.issuer}|sofie-0009`);
    expect((await lastAudit('signin.oidc')).details).toMatchObject({ matchedBy: 'email', replacedExternalId: 'https://gammel-udbyder.example|sofie-0008' });
  });

  it('starting sign-in sends the browser to the provider with PKCE, state and nonce, kept in a short-lived signed cookie', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/login/oidc?next=%2Fintranet%2Fnyheder' });
    expect(res.statusCode).toBe(303);
    const location = new URL(String(res.headers.location));
    expect(location.origin).toBe(provider.issuer);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      client_id: CLIENT_ID,
      response_type: 'code',
      scope: 'openid email profile',
      redirect_uri: `${appUrl}/login/oidc/callback`,
      code_challenge_method: 'S256',
    });
    for (const name of ['state', 'nonce', 'code_challenge']) expect(location.searchParams.get(name)).toMatch(/^[\w-]{20,}$/);

    const cookie = res.cookies.find((c) => c.name === OIDC_COOKIE);
    expect(cookie).toMatchObject({ path: '/login/oidc', httpOnly: true, sameSite: 'Lax', maxAge: 600 });
    const pending = JSON.parse(t.app.unsignCookie(cookie!.value).value!) as Record<string, unknown>;
    expect(pending).toMatchObject({ state: location.searchParams.get('state'), nonce: location.searchParams.get('nonce'), next: '/intranet/nyheder' });
    // The verifier stays with the browser; only its hash goes to the provider.
    expect(location.searchParams.toString()).not.toContain(String(pending.codeVerifier));
  });

  const expectDanishErrorPage = (res: { statusCode: number; headers: Record<string, unknown>; body: string }, text: string) => {
    expect(res.statusCode).toBe(400);
    expect(String(res.headers['content-type'])).toContain('text/html');
    expect(res.body).toContain(text);
    expect(res.body).not.toMatch(/Error|\bat .+:\d+:\d+/);
  };

  it('the callback without the sign-in cookie, or with a tampered one, answers a Danish error page rather than a stack trace', async () => {
    const missing = await t.app.inject({ method: 'GET', url: '/login/oidc/callback?code=abc&state=def' });
    expectDanishErrorPage(missing, 'Login-forsøget er udløbet');
    const tampered = await t.app.inject({ method: 'GET', url: '/login/oidc/callback?code=abc&state=def', cookies: { [OIDC_COOKIE]: '{"state":"def"}.forfalsket' } });
    expectDanishErrorPage(tampered, 'Login-forsøget er udløbet');
  });

  it('a provider that reports access_denied gives a Danish error page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/login/oidc/callback?error=access_denied&state=def' });
    expectDanishErrorPage(res, 'Login blev afbrudt eller afvist hos login-tjenesten');
  });

  it('a callback whose state does not match the cookie is refused, and the cookie is spent', async () => {
    const start = await t.app.inject({ method: 'GET', url: '/login/oidc' });
    const cookie = start.cookies.find((c) => c.name === OIDC_COOKIE)!;
    const res = await t.app.inject({ method: 'GET', url: '/login/oidc/callback?code=abc&state=forkert', cookies: { [OIDC_COOKIE]: cookie.value } });
    expectDanishErrorPage(res, 'Login kunne ikke gennemføres');
    expect(res.cookies.find((c) => c.name === OIDC_COOKIE)?.value).toBe('');
  });
});
