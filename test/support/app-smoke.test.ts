import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from './app.ts';
import { dialects } from './databases.ts';

describe.each(dialects)('signing in with a password (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('a web editor signs in and reaches the admin overview', async () => {
    const b = new Browser(t.app);
    await b.signIn(DEMO.web);
    const res = await b.get('/admin');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Goddag, Jonas Holm');
  });
});
