import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';
import { newId } from '../platform/ids.ts';
import { acknowledgeAs, publishMustRead, seedForsyning } from './testing/forsyning.ts';

const PEOPLE = 20_000;

// The municipality has about 20,000 people on the intranet: a must-read for everyone is counted by the database,
// never by reading the people into the process.
describe.each(dialects)('a must-read for the whole municipality (%s)', (dialect) => {
  let t: TestApp;
  let id: string;
  let everyone: number;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const f = await seedForsyning(t.db);
    const now = new Date().toISOString();
    const plants = [f.units.vandvaerket, f.units.renseanlaegget];
    id = await publishMustRead(t.db, { title: 'Ny it-sikkerhedspolitik', ownerUnitId: f.units.forsyning, audience: { everyone: true } });
    for (let start = 0; start < PEOPLE; start += 1000) {
      const rows = Array.from({ length: 1000 }, (_, i) => ({
        id: newId(),
        name: `Medarbejder ${String(start + i).padStart(5, '0')}`,
        email: `m${start + i}@skala.test`,
        job_role: 'employee',
        leadership_level: null,
        title: null,
        phone: null,
        active: 1,
        password_hash: null,
        external_id: null,
        failed_signins: 0,
        locked_until: null,
        created_at: now,
        updated_at: now,
      }));
      await t.db.insertInto('people').values(rows).execute();
      await t.db.insertInto('person_units').values(rows.map((r, i) => ({ person_id: r.id, unit_id: plants[i % 2]! }))).execute();
      // Every fourth has read it.
      const read = rows.filter((_, i) => i % 4 === 0);
      await t.db.insertInto('acknowledgements').values(read.map((r) => ({ item_id: id, person_id: r.id, acknowledged_at: now }))).execute();
    }
    await acknowledgeAs(t.db, f.people.bo, id);
    everyone = Number((await t.db.selectFrom('people').select((eb) => eb.fn.countAll<string>().as('n')).where('active', '=', 1).executeTakeFirstOrThrow()).n);
  }, 120_000);
  afterAll(async () => t?.close());

  it('the overview counts 20,000 people per unit and pages the names, in a few seconds at most', async () => {
    const line = new Browser(t.app);
    await line.signIn(DEMO.intranet);
    await line.get('/intranet/skal-laeses');
    const started = performance.now();
    const res = await line.get(`/intranet/skal-laeses/${id}/status`);
    const ms = performance.now() - started;
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<strong>${PEOPLE / 4 + 1} af ${everyone}</strong> har kvitteret`);
    expect((res.body.match(/<tr>/g) ?? []).length).toBeLessThan(200);
    expect(ms).toBeLessThan(5000);

    const csvStarted = performance.now();
    const csv = await line.get(`/intranet/skal-laeses/${id}/status.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split('\r\n')).toHaveLength(everyone + 2);
    expect(performance.now() - csvStarted).toBeLessThan(10_000);
  }, 60_000);
});
