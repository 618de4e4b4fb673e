import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../../test/support/databases.ts';
import { audit, verifyAuditChain } from './service.ts';

describe.each(dialects)('the audit log (%s)', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    for (let i = 1; i <= 5; i++) {
      await t.db.transaction().execute((tx) =>
        audit(tx, { actorId: null, actorLabel: 'web@demo.mediehus.dk', action: 'unit.updated', objectType: 'unit', objectId: `u${i}`, ip: '10.0.0.1', details: { n: i } }),
      );
    }
  });
  afterAll(async () => t.destroy());

  it('entries written one after another form an intact chain', async () => {
    expect(await verifyAuditChain(t.db)).toEqual({ ok: true, checked: 5, problem: null });
  });

  it('concurrent writers still extend the chain one entry at a time', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.db.transaction().execute((tx) => audit(tx, { actorId: null, actorLabel: 'x', action: 'test.parallel', objectType: 'test', objectId: String(i), ip: null })),
      ),
    );
    const result = await verifyAuditChain(t.db);
    expect(result.ok).toBe(true);
    expect(result.checked).toBe(15);
  });

  it('a changed entry is found and named', async () => {
    await t.db.updateTable('audit_log').set({ details: '{"n":99}' }).where('seq', '=', 3).execute();
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, problem: { seq: 3, reason: expect.stringContaining('ændret') } });
    await t.db.updateTable('audit_log').set({ details: '{"n":3}' }).where('seq', '=', 3).execute();
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('a deleted entry in the middle or at the end is found', async () => {
    const row = await t.db.selectFrom('audit_log').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow();
    await t.db.deleteFrom('audit_log').where('seq', '=', 2).execute();
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, problem: { seq: 2, reason: expect.stringContaining('mangler') } });
    await t.db.insertInto('audit_log').values(row).execute();

    await t.db.deleteFrom('audit_log').where('seq', '=', 15).execute();
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, problem: { seq: 15 } });
  });
});
