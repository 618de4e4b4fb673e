import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';

describe.each(dialects)('the front page (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    // The demo municipality comes with its content.
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('links to the live service pages and the newest news, and not to drafts', async () => {
    const res = await t.app.inject('/');
    expect(res.body).toContain('<a href="/borger/flytning">Flytning</a>');
    expect(res.body).toMatch(/<a href="\/nyheder\/[a-z0-9-]+">/);
    const drafts = await t.db.selectFrom('items').select('title').where('live_revision', 'is', null).execute();
    for (const d of drafts) expect(res.body).not.toContain(`>${d.title}</a>`);
  });
});
