import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/support/databases.ts';
import { findPersonRowByEmail } from '../org/store.ts';
import { actorFor } from '../signin/actors.ts';
import { DEMO_COLLEAGUES } from './colleagues-seed.ts';
import { DEMO_PEOPLE, seedDemo } from './seed.ts';

describe.each(dialects)('the demo municipality (%s)', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => t.destroy());

  it('is seeded once, even when two starts seed at the same moment', async () => {
    const results = await Promise.all([seedDemo(t.db), seedDemo(t.db)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await seedDemo(t.db)).toBe(false);
    const people = await t.db.selectFrom('people').select('email').execute();
    expect(people).toHaveLength(DEMO_PEOPLE.length + DEMO_COLLEAGUES.length);
  });

  it('has the platform owner, the communications department, the units with their own accounts, a school, a daycare and the council', async () => {
    const units = await t.db.selectFrom('units').select(['name', 'kind', 'is_platform_owner']).execute();
    const names = units.map((u) => u.name);
    for (const name of ['Tønder Kommune', 'Sekretariat, IT og HR', 'Kommunikationsafdelingen', 'Dagplejen', 'Kultur og Fritid', 'Biblioteket', 'Tønder Distriktsskole', 'Børnehuset Regnbuen', 'Byrådet']) {
      expect(names).toContain(name);
    }
    expect(units.filter((u) => u.is_platform_owner === 1).map((u) => u.name)).toEqual(['Sekretariat, IT og HR']);
    const channels = await t.db.selectFrom('groups').select('channel').where('kind', '=', 'channel_editors').execute();
    expect(channels.map((c) => c.channel).sort()).toEqual(['app', 'intranet', 'social', 'website']);
  });

  it.each([
    ['ejer@demo.mediehus.dk', ['org.admin', 'groups.manage', 'governance.decide'], ['website.publish']],
    ['web@demo.mediehus.dk', ['website.publish', 'admin.enter'], ['org.admin', 'social.publish']],
    ['intra@demo.mediehus.dk', ['intranet.publish'], ['org.admin']],
    ['some@demo.mediehus.dk', ['social.publish', 'social.moderate', 'crisis.raise'], ['website.publish']],
    ['app@demo.mediehus.dk', ['app.publish'], ['website.publish']],
    ['leder@demo.mediehus.dk', ['intranet.read'], ['admin.enter', 'website.edit']],
    ['medarbejder@demo.mediehus.dk', ['intranet.post'], ['admin.enter']],
    ['politiker@demo.mediehus.dk', ['intranet.read'], ['admin.enter', 'intranet.edit']],
  ])('%s can do what the demo says, and not more', async (email, has, hasNot) => {
    const person = (await findPersonRowByEmail(t.db, email))!;
    const actor = await actorFor(t.db, person, null);
    for (const c of has) expect(actor.capabilities).toContain(c);
    for (const c of hasNot) expect(actor.capabilities).not.toContain(c);
  });

  it("the school's editor may edit the school's subsite only", async () => {
    const school = await t.db.selectFrom('units').select('id').where('slug', '=', 'toender-distriktsskole').executeTakeFirstOrThrow();
    const actor = await actorFor(t.db, (await findPersonRowByEmail(t.db, 'skole@demo.mediehus.dk'))!, null);
    expect([...actor.capabilities].filter((c) => c.startsWith('subsite:'))).toEqual([`subsite:${school.id}.edit`, `subsite:${school.id}.publish`]);
  });
});
