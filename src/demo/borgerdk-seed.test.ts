import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/support/databases.ts';
import { parseContent } from '../content/service.ts';
import * as contentStore from '../content/store.ts';
import { verifyAuditChain } from '../platform/audit/service.ts';
import { seedDemoBorgerdk } from './borgerdk-seed.ts';
import { seedDemo } from './seed.ts';

describe.each(dialects)('the demo’s articles from borger.dk (%s)', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedDemo(t.db);
  });
  afterAll(async () => t.destroy());

  it('three articles are stored as if fetched, each split into micro-articles and self-service links', async () => {
    const rows = await t.db.selectFrom('borgerdk_articles').selectAll().orderBy('article_id').execute();
    expect(rows.map((r) => [Number(r.article_id), r.title])).toEqual([
      [1580, 'Anmeld flytning'],
      [1617, 'Pas'],
      [2201, 'Boligstøtte til lejere'],
    ]);
    for (const r of rows) {
      expect(r).toMatchObject({ last_error: null });
      expect(r.fetched_at).not.toBeNull();
      const parts = JSON.parse(r.parts!) as { microArticles: unknown[]; selfServiceLinks: unknown[] };
      expect(parts.microArticles.length, r.title!).toBeGreaterThanOrEqual(3);
      expect(parts.selfServiceLinks.length, r.title!).toBeGreaterThanOrEqual(1);
    }
  });

  it('the published page "Boligstøtte" shows one of them with three of its four micro-articles and a text after', async () => {
    const item = (await t.db.selectFrom('items').selectAll().where('title', '=', 'Boligstøtte').executeTakeFirstOrThrow())!;
    expect(item).toMatchObject({ type: 'page', state: 'published' });
    const content = parseContent((await contentStore.findRevision(t.db, item.id, item.live_revision!))!.content);
    expect(content.fields).toMatchObject({ borgerdkArticleId: 2201, borgerdkMicroArticles: ['10401', '10402', '10403'] });
    expect(content.fields.textAfter).toContain('Borgerservice');
  });

  it('seeding again adds nothing, and the audit chain stays whole', async () => {
    const count = async (table: 'borgerdk_articles' | 'items' | 'audit_log') => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = [await count('borgerdk_articles'), await count('items'), await count('audit_log')];
    expect(await seedDemoBorgerdk(t.db)).toBe(false);
    expect([await count('borgerdk_articles'), await count('items'), await count('audit_log')]).toEqual(before);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });
});
