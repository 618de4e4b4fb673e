import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';

describe.each(dialects)('the web server (%s)', (dialect) => {
  let t: TestApp;
  const logLines: string[] = [];
  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
    t = await createTestApp(dialect, {}, {
      logger,
      beforeReady: (app) =>
        app.get('/test/fejl', async () => {
          throw new Error('hemmelig intern detalje');
        }),
    });
  });
  afterAll(async () => t.close());

  it('/healthz answers while the process is up, /readyz when the database is reachable and migrated', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('every page carries a strict Content-Security-Policy without inline script', async () => {
    const res = await t.app.inject('/');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.body).not.toMatch(/\sstyle="/);
  });

  it('a reader of the front page gets no cookie', async () => {
    const res = await t.app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('an unknown page answers 404 with a Danish page', async () => {
    const res = await t.app.inject('/findes-ikke');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Siden findes ikke');
    expect(res.headers['content-type']).toContain('text/html');
  });

  it('a failure answers 500 with a reference that is in the log, never the stack trace', async () => {
    const res = await t.app.inject('/test/fejl');
    expect(res.statusCode).toBe(500);
    expect(res.body).toContain('Der skete en fejl');
    expect(res.body).not.toContain('hemmelig intern detalje');
    expect(res.body).not.toContain('at ');
    const reference = /Reference: <code>([0-9a-f-]{36})<\/code>/.exec(res.body)?.[1];
    expect(reference).toBe(res.headers['x-request-id']);
    const logged = logLines.map((l) => JSON.parse(l) as { reqId?: string; err?: { message: string } }).find((l) => l.reqId === reference && l.err);
    expect(logged?.err?.message).toBe('hemmelig intern detalje');
  });

  it('stylesheets are served under hashed names with a year-long cache', async () => {
    const page = await t.app.inject('/');
    const hrefs = [...page.body.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]!);
    expect(hrefs).toHaveLength(2);
    for (const href of hrefs) {
      const res = await t.app.inject(href);
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    expect(hrefs.some((h) => /\/assets\/mediehus\.[0-9a-f]{10}\.css$/.test(h))).toBe(true);
  });

  it('pages are compressed with brotli or gzip, and an unchanged page answers 304 to its ETag', async () => {
    const br = await t.app.inject({ url: '/', headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    const gzip = await t.app.inject({ url: '/', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    const first = await t.app.inject('/');
    const tag = first.headers.etag as string;
    expect(tag).toBeTruthy();
    const again = await t.app.inject({ url: '/', headers: { 'if-none-match': tag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('an employee without an editor role is refused the admin with 403', async () => {
    const b = new Browser(t.app);
    await b.signIn(DEMO.employee);
    const res = await b.get('/admin');
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Du har ikke adgang');
  });
});
