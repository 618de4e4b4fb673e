import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';
import { MAX_FAILED_SIGNINS } from './service.ts';

describe.each(dialects)('signing in and out (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('a reader who opens the intranet is sent to sign in and comes back afterwards', async () => {
    const b = new Browser(t.app);
    const first = await b.get('/intranet');
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/login?next=%2Fintranet');
    await b.get('/login?next=%2Fintranet');
    const res = await b.post('/login', { email: DEMO.employee, password: 'demo', next: '/intranet' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/intranet');
    expect((await b.get('/intranet')).body).toContain('Goddag, Anne Jensen');
  });

  it('the session cookie is HttpOnly and SameSite=Lax, and a new one is issued at every sign-in', async () => {
    const b = new Browser(t.app);
    await b.get('/login');
    const res = await b.post('/login', { email: DEMO.web, password: 'demo' });
    const cookie = res.cookies.find((c) => c.name === 'mh_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const first = b.cookies.get('mh_session');
    await b.get('/login');
    await b.post('/login', { email: DEMO.web, password: 'demo' });
    expect(b.cookies.get('mh_session')).not.toBe(first);
    const old = new Browser(t.app);
    old.cookies.set('mh_session', first!);
    expect((await old.get('/admin')).statusCode).toBe(303);
  });

  it('a wrong password is refused with a Danish message, and the e-mail stays in the field', async () => {
    const b = new Browser(t.app);
    await b.get('/login');
    const res = await b.post('/login', { email: DEMO.web, password: 'forkert' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('E-mailadressen eller adgangskoden er forkert.');
    expect(res.body).toContain(`value="${DEMO.web}"`);
    expect(res.body).not.toContain('forkert"');
  });

  it('empty fields are named in the messages', async () => {
    const b = new Browser(t.app);
    await b.get('/login');
    const res = await b.post('/login', { email: '', password: '' });
    expect(res.body).toContain('Skriv din e-mailadresse.');
    expect(res.body).toContain('Skriv din adgangskode.');
  });

  it(`after ${MAX_FAILED_SIGNINS} wrong passwords the account is locked, even for the right one`, async () => {
    const b = new Browser(t.app);
    for (let i = 0; i < MAX_FAILED_SIGNINS; i++) {
      await b.get('/login');
      await b.post('/login', { email: DEMO.app, password: `forkert-${i}` });
    }
    await b.get('/login');
    const res = await b.post('/login', { email: DEMO.app, password: 'demo' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('For mange forkerte forsøg');
    const log = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'signin.locked').execute();
    expect(log).toHaveLength(1);
  });

  it('a disabled person cannot sign in', async () => {
    await t.db.updateTable('people').set({ active: 0 }).where('email', '=', DEMO.politician).execute();
    const b = new Browser(t.app);
    await b.get('/login');
    const res = await b.post('/login', { email: DEMO.politician, password: 'demo' });
    expect(res.body).toContain('Din konto er deaktiveret');
    await t.db.updateTable('people').set({ active: 1 }).where('email', '=', DEMO.politician).execute();
  });

  it('a sign-in form sent without its CSRF token is refused', async () => {
    const b = new Browser(t.app);
    await b.get('/login');
    const res = await b.post('/login', { email: DEMO.web, password: 'demo' }, { csrf: null });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Formularen er udløbet');
    expect(b.cookies.has('mh_session')).toBe(false);
  });

  it('"next" only ever leads to a page on this site', async () => {
    const b = new Browser(t.app);
    await b.get('/login');
    const res = await b.post('/login', { email: DEMO.web, password: 'demo', next: '//evil.example/' });
    expect(res.headers.location).toBe('/intranet');
  });

  it('signing out ends the session on the server too', async () => {
    const b = new Browser(t.app);
    await b.signIn(DEMO.intranet);
    const token = b.cookies.get('mh_session')!;
    await b.get('/intranet');
    const out = await b.post('/logout');
    expect(out.statusCode).toBe(303);
    const replay = new Browser(t.app);
    replay.cookies.set('mh_session', token);
    expect((await replay.get('/intranet')).statusCode).toBe(303);
  });
});

describe.each(dialects)('the demo password in production (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { NODE_ENV: 'production' });
  });
  afterAll(async () => t.close());

  it('is refused, with a message saying why', async () => {
    const b = new Browser(t.app);
    await b.get('/login');
    const res = await b.post('/login', { email: DEMO.owner, password: 'demo' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Demo-adgangskoden virker kun i demo-tilstand');
    expect(b.cookies.has('mh_session')).toBe(false);
  });
});

describe.each(dialects)('behind TLS (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { MEDIEHUS_BASE_URL: 'https://mediehus.toender.dk' });
  });
  afterAll(async () => t.close());

  it('the session cookie is marked Secure', async () => {
    const b = new Browser(t.app);
    await b.get('/login');
    const res = await b.post('/login', { email: DEMO.web, password: 'demo' });
    expect(res.cookies.find((c) => c.name === 'mh_session')).toMatchObject({ secure: true, httpOnly: true });
  });
});
