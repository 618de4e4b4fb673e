import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/support/databases.ts';
import { frontSlotsFor, MAIN } from '../sites/front-slots-service.ts';
import { mostUsedSelfService } from '../site/selfservice-uses.ts';
import { seedDemoFront } from './front-seed.ts';
import { seedDemo } from './seed.ts';

describe.each(dialects)('the demo front page (%s)', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedDemo(t.db);
  });
  afterAll(async () => t?.destroy());

  it('has six slots filled by the web editor, self-service and news first', async () => {
    const cards = await frontSlotsFor(t.db, MAIN);
    expect(cards.map((c) => [c.title, c.typeLabel])).toEqual([
      ['Flytning', 'Selvbetjening'],
      ['Ny genbrugsplads åbner i Toftlund', 'Nyhed'],
      ['Få gratis vaccine mod influenza', 'Nyhed'],
      ['Borgermøde om cykelstier', 'Arrangement'],
      ['Skolestart', 'Side'],
      ['Affald', 'Side'],
    ]);
    expect(cards[0]!.href).toMatch(/^\/selvbetjening\/flytning(-\d+)?\/start$/);
    expect(cards[1]!.href).toBe('/nyheder/ny-genbrugsplads-aabner-i-toftlund');
    const placed = await t.db.selectFrom('audit_log').select('actor_label').where('action', '=', 'front_page.placed').execute();
    expect(placed.map((p) => p.actor_label)).toEqual(Array(6).fill('web@demo.mediehus.dk'));
  });

  it('has a month of self-service starts, most for Flytning', async () => {
    expect((await mostUsedSelfService(t.db)).map((e) => e.title)).toEqual(['Flytning', 'Affaldskalender', 'Sygesikring', 'Pas', 'Ansøg om pladsanvisning', 'Byggeansøgning via Byg og Miljø']);
  });

  it('seeding again changes nothing', async () => {
    const before = await t.db.selectFrom('selfservice_uses').select((eb) => eb.fn.sum<number | string>('uses').as('n')).executeTakeFirst();
    expect(await seedDemoFront(t.db)).toBe(false);
    expect(await seedDemo(t.db)).toBe(false);
    const after = await t.db.selectFrom('selfservice_uses').select((eb) => eb.fn.sum<number | string>('uses').as('n')).executeTakeFirst();
    expect(Number(after?.n)).toBe(Number(before?.n));
    expect(Number(after?.n)).toBe(184 + 142 + 97 + 76 + 38 + 21);
    expect(await t.db.selectFrom('front_slots').select('position').where('site_key', '=', MAIN).execute()).toHaveLength(6);
  });
});
