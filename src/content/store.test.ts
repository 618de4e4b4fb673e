import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/support/databases.ts';
import { seedDemo } from '../demo/seed.ts';
import { createItem, saveItem } from './service.ts';
import { listItems } from './store.ts';

describe.each(dialects)('the content list query (%s)', (dialect) => {
  let t: TestDatabase;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedDemo(t.db);
    const web = await actorByEmail(t.db, 'web@demo.mediehus.dk');
    const kom = await unitId(t.db, 'kommunikation');
    ids.discount = (await createItem(t.db, web, 'news', newsInput(kom, { title: 'Rabat på 50% i svømmehallen' }))).id;
    ids.fifty = (await createItem(t.db, web, 'news', newsInput(kom, { title: 'Byen fylder 500 år' }))).id;
    ids.nowhere = (await createItem(t.db, web, 'page', newsInput(kom, { title: 'Kladde uden kanal om vandværket', placements: [] }))).id;
    ids.renamed = (await createItem(t.db, web, 'news', newsInput(kom, { title: 'Gammel overskrift' }))).id;
    await saveItem(t.db, web, ids.renamed, newsInput(kom, { title: 'Frisk overskrift om zeppelinerhangaren' }), { baseRevision: 1, changeNote: '', major: false });
  });
  afterAll(async () => t.destroy());

  const titles = async (filter: Parameters<typeof listItems>[1]) => (await listItems(t.db, filter)).rows.map((r) => r.title);
  const page = { limit: 100, offset: 0 };

  it('free text finds words anywhere in the text, and a % is taken literally', async () => {
    expect(await titles({ ...page, q: 'svømmehal' })).toEqual(['Rabat på 50% i svømmehallen']);
    expect(await titles({ ...page, q: '50%' })).toEqual(['Rabat på 50% i svømmehallen']);
    expect(await titles({ ...page, q: '50' })).toEqual(expect.arrayContaining(['Rabat på 50% i svømmehallen', 'Byen fylder 500 år']));
  });

  it('free text follows the latest revision, not the first', async () => {
    expect(await titles({ ...page, q: 'zeppelinerhangar' })).toEqual(['Frisk overskrift om zeppelinerhangaren']);
    expect(await titles({ ...page, q: 'gammel overskrift' })).toEqual([]);
  });

  it('an editor of other channels sees items placed nowhere, but not the website items', async () => {
    const visible = await titles({ ...page, visibleChannels: ['app'] });
    expect(visible).toContain('Kladde uden kanal om vandværket');
    expect(visible).not.toContain('Byen fylder 500 år');
  });

  it('the count matches the filter, and paging cuts the rows', async () => {
    const all = await listItems(t.db, { channel: 'website', limit: 2, offset: 0 });
    expect(all.rows).toHaveLength(2);
    expect(all.total).toBeGreaterThanOrEqual(3);
    const next = await listItems(t.db, { channel: 'website', limit: 2, offset: 2 });
    expect(next.rows.map((r) => r.id)).not.toContain(all.rows[0]!.id);
  });
});
