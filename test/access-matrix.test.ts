import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSession } from '../src/signin/sessions.ts';
import { Browser, createTestApp, DEMO, type TestApp } from './support/app.ts';
import { dialects } from './support/databases.ts';

type Who = keyof typeof DEMO | 'anonymous';
const EVERYONE: Who[] = ['anonymous', ...(Object.keys(DEMO) as (keyof typeof DEMO)[])];
const SIGNED_IN = EVERYONE.filter((w) => w !== 'anonymous');
/** Members of an editor group, and the platform owner: the people the admin lets in. */
const EDITORS: Who[] = ['owner', 'web', 'intranet', 'social', 'app', 'school'];

/**
 * Who may send each state-changing route. A new route without a line here fails the first test,
 * so nobody adds a form without deciding who may use it.
 */
const MATRIX: { route: RegExp; allowed: Who[] }[] = [
  { route: /^\/login$/, allowed: EVERYONE },
  { route: /^\/logout$/, allowed: EVERYONE },
  { route: /^\/admin\/(enheder|personer)(\/|$)/, allowed: ['owner'] },
  { route: /^\/admin\/grupper(\/|$)/, allowed: ['owner'] },
  // Content and media: every editor reaches the service, which then checks the item's own channels (tested in src/content).
  { route: /^\/admin\/(indhold|medier)(\/|$)/, allowed: EDITORS },
  // The plain-language word list: the platform owner and the leads of the channel editor groups.
  { route: /^\/admin\/klarsprog$/, allowed: ['owner', 'web', 'intranet', 'social', 'app'] },
  // Front page slots: the main site's by the website editors (the demo's intranet editor is one too) and the platform
  // owner; a site's by the editors of some site (an unknown site is a 404 for them, a 403 for everyone else).
  { route: /^\/admin\/forside\//, allowed: ['owner', 'web', 'intranet'] },
  { route: /^\/admin\/sites\/:siteId\/forside\//, allowed: ['owner', 'web', 'intranet', 'school'] },
  // Sites: subsites are created by the platform owner and the website's lead editor; a site's own editors change it
  // (the demo's intranet editor edits the library's subsite and the Kulturnat website).
  { route: /^\/admin\/sites\/ny$/, allowed: ['owner', 'web'] },
  { route: /^\/admin\/sites\/:id$/, allowed: ['owner', 'web', 'intranet', 'school'] },
  { route: /^\/admin\/sites\/:id\/(luk|aabn)$/, allowed: ['owner', 'web'] },
  // borger.dk articles: importing and refreshing them is for the website's editors (the demo's intranet editor is one too).
  { route: /^\/admin\/borgerdk$/, allowed: ['web', 'intranet'] },
  { route: /^\/admin\/borgerdk\/:id\/opdater$/, allowed: ['web', 'intranet'] },
  // SAML: the identity provider posts the answer for a browser that is not yet signed in.
  { route: /^\/login\/saml(\/|$)/, allowed: EVERYONE },
  // The intranet's editors (the demo's intranet and website editors) remove posts and comments and keep the tool directory.
  { route: /^\/intranet\/(opslag\/:id|kommentarer\/:id)\/fjern$/, allowed: ['web', 'intranet'] },
  { route: /^\/intranet\/vaerktoejer\/admin(\/|$)/, allowed: ['web', 'intranet'] },
  // Social media: the registry of accounts is kept by the social media editors and the platform owner; the rest is for
  // those with an account to use (a unit's own account editors too), and the services check which account.
  { route: /^\/admin\/sociale-medier\/konti\/(ny|:id\/(rediger|aktiver|deaktiver))$/, allowed: ['owner', 'social'] },
  // Editing a post (opslag/:id/rediger) falls under the next line: any of the post's account's editors may fix it.
  { route: /^\/admin\/sociale-medier\/(?!konti\/(ny|:id\/(rediger|aktiver|deaktiver))$)/, allowed: ['owner', 'social', 'web', 'intranet', 'manager', 'employee'] },
  // Connecting an account through its network (konti/:id/forbind/start, konti/:id/forbind/bluesky) falls under the line
  // above: the account's editors connect it, and the service checks which account.
  // Facebook's webhook: no person may post to it; only a body signed with the app secret gets in (src/inbox/webhook.test.ts).
  { route: /^\/webhooks\/facebook$/, allowed: [] },
  // The inbox: those with an account to use take, finish and answer its items (the services check which account);
  // the saved replies are kept by the social media editors and the platform owner.
  { route: /^\/admin\/indbakke\/:id\/(tildel|afslut|genaabn|svar)$/, allowed: ['owner', 'social', 'web', 'intranet', 'manager', 'employee'] },
  { route: /^\/admin\/indbakke\/svar(\/|$)/, allowed: ['owner', 'social'] },
  // Hiding, deleting and showing again, and trying a removal again from its record: the account's editors (the services check which).
  { route: /^\/admin\/indbakke\/(:id\/(fjern|vis-igen)|fjernet\/:recordId\/proev-igen)$/, allowed: ['owner', 'social', 'web', 'intranet', 'manager', 'employee'] },
  // Sending an item on, blocking its author and lifting a block: the account's editors (the services check which);
  // trying a text against the rules is for everyone with an inbox; changing and adding rules for the social media editors and the platform owner.
  { route: /^\/admin\/indbakke\/(:id\/(eskaler|bloker)|blokeringer\/:blockId\/(ophaev|proev-igen)|regler\/proev)$/, allowed: ['owner', 'social', 'web', 'intranet', 'manager', 'employee'] },
  { route: /^\/admin\/indbakke\/regler\/(ny|:ruleId)$/, allowed: ['owner', 'social'] },
  // Everything else on the intranet is for every signed-in person; the services check ownership and audience.
  { route: /^\/intranet\/(?!(opslag\/:id|kommentarer\/:id)\/fjern$)(?!vaerktoejer\/admin(\/|$))/, allowed: SIGNED_IN },
];

const MISSING_ID = '00000000-0000-4000-8000-000000000000';
const fill = (url: string) => url.replace(/:date\b/g, '2099-01-01').replace(/:[A-Za-z]+/g, MISSING_ID);

function stateChangingRoutes(app: FastifyInstance): { method: string; url: string }[] {
  return app.routeList.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
}

describe.each(dialects)('who may send which form (%s)', (dialect) => {
  let t: TestApp;
  let routes: { method: string; url: string }[];
  const people = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    routes = stateChangingRoutes(t.app);
    for (const row of await t.db.selectFrom('people').select(['id', 'email']).execute()) people.set(row.email, row.id);
  });
  afterAll(async () => t.close());

  /** A browser with a fresh session for the person (no password check needed) and a CSRF token from a page with a form. */
  async function browserFor(who: Who): Promise<Browser> {
    const b = new Browser(t.app);
    if (who !== 'anonymous') {
      const token = await startSession(t.db, people.get(DEMO[who])!, { ip: null, userAgent: null, method: 'test' });
      b.cookies.set('mh_session', t.app.signCookie(token));
    }
    await b.get('/login');
    return b;
  }

  it('every state-changing route has a line in the access matrix', () => {
    expect(routes.length).toBeGreaterThan(2);
    const unlisted = routes.filter((r) => MATRIX.filter((m) => m.route.test(r.url)).length !== 1).map((r) => `${r.method} ${r.url}`);
    expect(unlisted).toEqual([]);
  });

  it('each route lets exactly its people through and refuses everyone else', async () => {
    const wrong: string[] = [];
    for (const r of routes) {
      const rule = MATRIX.find((m) => m.route.test(r.url))!;
      for (const who of EVERYONE) {
        const b = await browserFor(who);
        const res = await b.post(fill(r.url), {});
        const refused = res.statusCode === 403 || (res.statusCode === 303 && String(res.headers.location).startsWith('/login') && r.url !== '/login');
        if (rule.allowed.includes(who) === refused) wrong.push(`${r.method} ${r.url} as ${who}: ${res.statusCode} ${res.headers.location ?? ''}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('an anonymous POST to a signed-in route is sent to sign in, never served', async () => {
    const adminRoutes = routes.filter((r) => r.url.startsWith('/admin'));
    for (const r of adminRoutes) {
      const res = await (await browserFor('anonymous')).post(fill(r.url), {});
      expect(res.statusCode, r.url).toBe(303);
      expect(res.headers.location).toMatch(/^\/login/);
    }
    expect(SIGNED_IN).toHaveLength(9);
  });
});
