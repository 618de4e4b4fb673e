import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../test/support/app.ts';
import { createSeededDatabase, dialects, type TestDatabase } from '../../test/support/databases.ts';
import { findPersonRowByEmail } from '../org/store.ts';
import { actorFor } from '../signin/actors.ts';
import { accountsFor } from '../social/accounts.ts';
import { ingestItems } from './ingest.ts';
import { COUNT_CAP, countInbox, listInbox, showCount } from './list-queries.ts';

const HOUR = 3_600_000;

describe.each(dialects)('the inbox list (%s)', (dialect) => {
  let database: TestDatabase;
  const accounts: Record<string, string> = {};
  const idsOf = async (email: string) => (await accountsFor({ db: database.db }, await actorFor(database.db, (await findPersonRowByEmail(database.db, email))!, null))).map((a) => a.id);
  const authors = (page: { items: { author_name: string }[] }) => page.items.map((i) => i.author_name);

  beforeAll(async () => {
    database = await createSeededDatabase(dialect);
    for (const row of await database.db.selectFrom('social_accounts').select(['id', 'handle', 'network']).execute()) {
      if (row.handle === 'toenderkommune') accounts.fb = row.id;
      if (row.handle === 'dagplejenitoender') accounts.dagplejen = row.id;
      if (row.handle === 'toenderbibliotek') accounts.bibliotek = row.id;
    }
  });
  afterAll(async () => database?.destroy());

  it('a unit editor sees only their own account’s items, even when asking for another account', async () => {
    const mine = await idsOf(DEMO.employee);
    expect(mine).toEqual([accounts.dagplejen]);
    const page = await listInbox(database.db, { accountIds: mine, state: 'open', limit: 50 });
    expect(authors(page).sort()).toEqual(['Camilla Brandt', 'Jonas Schmidt', 'Line Mortensen', 'Thomas Kjær']);
    expect(await listInbox(database.db, { accountIds: mine, accountId: accounts.fb, state: 'open', limit: 50 })).toEqual({ items: [], next: null });
    expect(await listInbox(database.db, { accountIds: [], state: 'open', limit: 50 })).toEqual({ items: [], next: null });
  });

  it('pages go newest first across accounts and the cursor continues where the last page ended, without repeats', async () => {
    const all = await idsOf(DEMO.social);
    const whole = await listInbox(database.db, { accountIds: all, state: 'open', limit: 200 });
    expect(whole.next).toBeNull();
    const times = whole.items.map((i) => i.received_at);
    expect([...times].sort().reverse()).toEqual(times);
    const seen: string[] = [];
    let before: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await listInbox(database.db, { accountIds: all, state: 'open', limit: 7, before });
      seen.push(...page.items.map((x) => x.id));
      if (!page.next) break;
      before = page.next;
    }
    expect(seen).toEqual(whole.items.map((x) => x.id));
  });

  it('items received in the same instant are neither lost nor repeated between pages', async () => {
    const at = new Date(Date.now() - 100 * HOUR);
    const items = Array.from({ length: 5 }, (_, n) => ({ externalId: `same-${n}`, parentExternalId: 'p', rootExternalId: 'p', authorName: `Samtidig ${n}`, authorHandle: null, text: 'Flot arbejde.', createdAt: at, url: null, hidden: false }));
    await ingestItems(database.db, { id: accounts.bibliotek!, business_hours: null }, items, { now: at });
    const seen: string[] = [];
    let before: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await listInbox(database.db, { accountIds: [accounts.bibliotek!], state: 'open', limit: 2, before });
      seen.push(...authors(page));
      if (!page.next) break;
      before = page.next;
    }
    expect(seen.filter((a) => a.startsWith('Samtidig')).sort()).toEqual(['Samtidig 0', 'Samtidig 1', 'Samtidig 2', 'Samtidig 3', 'Samtidig 4']);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('category, overdue, assigned and done filters each return only their items', async () => {
    const all = await idsOf(DEMO.social);
    expect(authors(await listInbox(database.db, { accountIds: all, category: 'casework', state: 'open', limit: 50 })).sort()).toEqual(['Line Mortensen', 'Poul Sørensen']);
    const overdue = await listInbox(database.db, { accountIds: all, state: 'open', overdue: true, limit: 50 });
    expect(overdue.items.length).toBeGreaterThan(0);
    for (const i of overdue.items) {
      expect(i.answered_at).toBeNull();
      expect(Date.parse(i.answer_due_at!)).toBeLessThan(Date.now());
    }
    const future = await listInbox(database.db, { accountIds: all, state: 'open', overdue: true, limit: 50, now: new Date(Date.now() - 1000 * HOUR) });
    expect(future.items).toEqual([]);

    const sofie = (await findPersonRowByEmail(database.db, DEMO.social))!.id;
    const line = await database.db.selectFrom('inbox_items').select('id').where('author_name', '=', 'Line Mortensen').executeTakeFirstOrThrow();
    await database.db.updateTable('inbox_items').set({ assigned_to: sofie }).where('id', '=', line.id).execute();
    expect(authors(await listInbox(database.db, { accountIds: all, state: 'open', assignedTo: sofie, limit: 50 }))).toEqual(['Line Mortensen']);
    expect(authors(await listInbox(database.db, { accountIds: all, category: 'casework', state: 'open', assignedTo: sofie, limit: 50 }))).toEqual(['Line Mortensen']);

    await database.db.updateTable('inbox_items').set({ state: 'done' }).where('id', '=', line.id).execute();
    await database.db.updateTable('inbox_item_categories').set({ state: 'done' }).where('item_id', '=', line.id).execute();
    expect(authors(await listInbox(database.db, { accountIds: all, state: 'done', limit: 50 }))).toEqual(['Line Mortensen']);
    expect(authors(await listInbox(database.db, { accountIds: all, category: 'casework', state: 'done', limit: 50 }))).toEqual(['Line Mortensen']);
    expect(authors(await listInbox(database.db, { accountIds: all, category: 'casework', state: 'open', limit: 50 }))).toEqual(['Poul Sørensen']);
  });

  it('the filter menu counts per state and category, and stops counting at the cap', async () => {
    const counts = await countInbox(database.db, [accounts.dagplejen!]);
    expect(counts.categories.question).toBe(1);
    expect(counts.categories.ok).toBe(1);
    expect(counts.categories.spam).toBe(0);
    // Line Mortensen's item was marked done above.
    expect(counts.states).toEqual({ open: 3, done: 1 });
    expect(counts.categories.casework).toBe(0);
    const many = Array.from({ length: COUNT_CAP + 20 }, (_, n) => ({ externalId: `many-${n}`, parentExternalId: 'p', rootExternalId: 'p', authorName: 'Borger', authorHandle: null, text: 'Tak for info.', createdAt: new Date(), url: null, hidden: false }));
    await ingestItems(database.db, { id: accounts.dagplejen!, business_hours: null }, many);
    const capped = await countInbox(database.db, [accounts.dagplejen!]);
    expect(capped.states.open).toBe(COUNT_CAP);
    expect(showCount(capped.states.open)).toBe('99+');
    expect(showCount(3)).toBe('3');
  });
});
