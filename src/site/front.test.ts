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

  it('has a search field for /soeg, the most used self-service, the editors’ slots as cards and a link to all news', async () => {
    const res = await t.app.inject('/');
    expect(res.body).toMatch(/<form method="get" action="\/soeg" role="search"[^>]*>\s*<div class="form-group search">/);
    expect(res.body).toContain('name="q" type="search"');
    // The demo's self-service starts put Flytning first.
    expect(res.body).toMatch(/<h2 id="h-selvbetjening">Mest brugte selvbetjeninger<\/h2>\s*<ul class="nobullet-list row no-max-width">\s*<li[^>]*><a href="\/selvbetjening\/[a-z0-9-]+\/start" rel="nofollow" class="function-link">Flytning<\/a>/);
    expect(res.body).toMatch(/<a class="card" href="\/nyheder\/ny-genbrugsplads-aabner-i-toftlund">/);
    expect(res.body).toContain('<a href="/nyheder">Alle nyheder</a>');
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});
