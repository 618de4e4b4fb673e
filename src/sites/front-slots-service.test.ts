import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { actorByEmail } from '../../test/support/content.ts';
import { dialects } from '../../test/support/databases.ts';
import { AppError } from '../platform/errors.ts';
import { readSiteGeneration } from '../site/generation.ts';
import { MAIN, placeItem, removeSlot, setSlotCount } from './front-slots-service.ts';
import { slotsOf } from './front-slots-store.ts';

describe.each(dialects)('the front page slots service (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const idOf = async (title: string) => (await t.db.selectFrom('items').select('id').where('title', '=', title).where('live_revision', 'is not', null).executeTakeFirstOrThrow()).id;
  const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof AppError ? { status: e.status, fields: e.fields } : e));

  it('the app editor is refused, and nothing changes', async () => {
    const app = await actorByEmail(t.db, DEMO.app);
    const before = await slotsOf(t.db, MAIN);
    expect(await refusal(removeSlot(t.db, app, MAIN, before[0]!.itemId))).toMatchObject({ status: 403 });
    expect(await slotsOf(t.db, MAIN)).toEqual(before);
  });

  it('the platform owner may arrange the main front page; each change gives the site a new generation', async () => {
    const owner = await actorByEmail(t.db, DEMO.owner);
    const before = await readSiteGeneration(t.db);
    await removeSlot(t.db, owner, MAIN, await idOf('Affald'));
    expect(await readSiteGeneration(t.db)).not.toBe(before);
    expect(await slotsOf(t.db, MAIN)).toHaveLength(5);
  });

  it('two editors taking the last free slot at once: one gets it, the other is asked which slot to replace', async () => {
    const [web, intra] = [await actorByEmail(t.db, DEMO.web), await actorByEmail(t.db, DEMO.intranet)];
    const results = await Promise.all([
      refusal(placeItem(t.db, web, MAIN, { itemId: await idOf('Byggetilladelse'), replaces: '' })),
      refusal(placeItem(t.db, intra, MAIN, { itemId: await idOf('Parkeringslicens'), replaces: '' })),
    ]);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    expect(results.find((r) => r !== null)).toMatchObject({ status: 400, fields: { replaces: expect.stringContaining('Alle 6 pladser på forsiden er optaget.') } });
    expect(await slotsOf(t.db, MAIN)).toHaveLength(6);
  });

  it('a slot count outside 1–12 is refused with a message naming the field', async () => {
    const web = await actorByEmail(t.db, DEMO.web);
    for (const count of ['0', '13', 'seks', '2.5', '']) {
      expect(await refusal(setSlotCount(t.db, web, MAIN, { count, confirmDrop: false }))).toMatchObject({ status: 400, fields: { count: 'Skriv antallet af pladser som et helt tal fra 1 til 12.' } });
    }
  });
});
