import { sql } from 'kysely';
import { CATEGORY_IDS, type Category } from '../moderation/categories.ts';
import type { DbOrTx } from '../platform/database.ts';
import type { InboxItemRow } from './tables.ts';

// The inbox list answers from indexes only: one keyset range per account (inbox_items_list, or
// inbox_item_categories_list for a category, or the partial overdue index by deadline), merged newest first. No OFFSET, no
// count of everything: the filter menu's counts stop at COUNT_CAP.

export type InboxState = 'open' | 'done';

export interface InboxFilter {
  /** The accounts the person may use; nothing outside them is ever returned. */
  accountIds: string[];
  accountId?: string;
  category?: Category;
  state: InboxState;
  /** Questions past their deadline with no answer yet. */
  overdue?: boolean;
  assignedTo?: string;
  /** The page's `next` from the previous page. Overdue questions go by deadline, newest first. */
  before?: string;
  limit: number;
  now?: Date;
}

export interface InboxPage {
  items: InboxItemRow[];
  /** Pass as `before` for the next page; null on the last page. */
  next: string | null;
}

export const COUNT_CAP = 100;

export const cursorOf = (item: Pick<InboxItemRow, 'received_at' | 'id'>): string => `${item.received_at}_${item.id}`;

function parseCursor(cursor: string | undefined): { at: string; id: string } | null {
  if (!cursor) return null;
  const i = cursor.lastIndexOf('_');
  return i > 0 ? { at: cursor.slice(0, i), id: cursor.slice(i + 1) } : null;
}

const newestFirst = (a: { received_at: string; id: string }, b: { received_at: string; id: string }) =>
  a.received_at < b.received_at ? 1 : a.received_at > b.received_at ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

const byDeadline = (a: { answer_due_at: string | null; id: string }, b: { answer_due_at: string | null; id: string }) =>
  newestFirst({ received_at: a.answer_due_at ?? '', id: a.id }, { received_at: b.answer_due_at ?? '', id: b.id });

function accountsOf(f: InboxFilter): string[] {
  if (!f.accountId) return [...new Set(f.accountIds)];
  return f.accountIds.includes(f.accountId) ? [f.accountId] : [];
}

export async function listInbox(db: DbOrTx, f: InboxFilter): Promise<InboxPage> {
  const accounts = accountsOf(f);
  const limit = Math.max(1, Math.min(f.limit, 200));
  if (!accounts.length) return { items: [], next: null };
  const cursor = parseCursor(f.before);
  const now = (f.now ?? new Date()).toISOString();

  // Each account's range is read separately (the `<=` bound lets the index start at the cursor) so every query walks one index range in order and stops at the limit.
  const perAccount = await Promise.all(
    accounts.map(async (accountId) => {
      if (f.category && !f.overdue) {
        let q = db
          .selectFrom('inbox_item_categories as c')
          .innerJoin('inbox_items as i', 'i.id', 'c.item_id')
          .selectAll('i')
          .where('c.account_id', '=', accountId)
          .where('c.category', '=', f.category)
          .where('c.state', '=', f.state);
        if (cursor) q = q.where((eb) => eb.and([eb('c.received_at', '<=', cursor.at), eb.or([eb('c.received_at', '<', cursor.at), eb('c.item_id', '<', cursor.id)])]));
        if (f.assignedTo) q = q.where('i.assigned_to', '=', f.assignedTo);
        return q.orderBy('c.received_at', 'desc').orderBy('c.item_id', 'desc').limit(limit + 1).execute();
      }
      let q = db.selectFrom('inbox_items').selectAll().where('account_id', '=', accountId).where('state', '=', f.state);
      if (f.assignedTo) q = q.where('assigned_to', '=', f.assignedTo);
      if (f.overdue) {
        // The partial index holds only unanswered questions, in deadline order; a deadline follows its question's
        // arrival, so the newest overdue questions come first.
        q = q.where('answered_at', 'is', null).where('answer_due_at', 'is not', null).where('answer_due_at', '<', now);
        const category = f.category;
        if (category) q = q.where((eb) => eb.exists(eb.selectFrom('inbox_item_categories as c').select('c.item_id').whereRef('c.item_id', '=', 'inbox_items.id').where('c.category', '=', category)));
        if (cursor) q = q.where((eb) => eb.and([eb('answer_due_at', '<=', cursor.at), eb.or([eb('answer_due_at', '<', cursor.at), eb('id', '<', cursor.id)])]));
        return q.orderBy('answer_due_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
      }
      if (cursor) q = q.where((eb) => eb.and([eb('received_at', '<=', cursor.at), eb.or([eb('received_at', '<', cursor.at), eb('id', '<', cursor.id)])]));
      return q.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    }),
  );
  const overdueOrder = !!f.overdue;
  const merged = perAccount.flat().sort(overdueOrder ? byDeadline : newestFirst);
  const items = merged.slice(0, limit);
  const last = items[items.length - 1]!;
  return { items, next: merged.length > limit ? (overdueOrder ? `${last.answer_due_at}_${last.id}` : cursorOf(last)) : null };
}

export interface InboxCounts {
  /** Per state: how many, up to COUNT_CAP. */
  states: Record<InboxState, number>;
  /** Open items per category, up to COUNT_CAP. */
  categories: Record<Category, number>;
  overdue: number;
}

async function capped(db: DbOrTx, build: (db: DbOrTx) => unknown): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const row = await db.selectFrom(build(db) as any).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return Number((row as { n?: unknown } | undefined)?.n ?? 0);
}

/** Counted per account, so each count is one range of an index that starts with account_id; summed and capped. */
async function cappedSum(accountIds: string[], count: (accountId: string) => Promise<number>): Promise<number> {
  let total = 0;
  for (const accountId of accountIds) {
    total += await count(accountId);
    if (total >= COUNT_CAP) return COUNT_CAP;
  }
  return total;
}

/** The filter menu's numbers, each counted only up to COUNT_CAP ("99+"). */
export async function countInbox(db: DbOrTx, accountIds: string[], now = new Date()): Promise<InboxCounts> {
  const counts: InboxCounts = { states: { open: 0, done: 0 }, categories: Object.fromEntries(CATEGORY_IDS.map((c) => [c, 0])) as Record<Category, number>, overdue: 0 };
  const accounts = [...new Set(accountIds)];
  if (!accounts.length) return counts;
  const iso = now.toISOString();
  const jobs: Promise<void>[] = [];
  for (const state of ['open', 'done'] as const) {
    jobs.push(
      cappedSum(accounts, (a) => capped(db, (d) => d.selectFrom('inbox_items').select(sql<number>`1`.as('one')).where('account_id', '=', a).where('state', '=', state).limit(COUNT_CAP).as('x'))).then((n) => {
        counts.states[state] = n;
      }),
    );
  }
  for (const category of CATEGORY_IDS) {
    jobs.push(
      cappedSum(accounts, (a) =>
        capped(db, (d) => d.selectFrom('inbox_item_categories').select(sql<number>`1`.as('one')).where('account_id', '=', a).where('category', '=', category).where('state', '=', 'open').limit(COUNT_CAP).as('x')),
      ).then((n) => {
        counts.categories[category] = n;
      }),
    );
  }
  jobs.push(
    cappedSum(accounts, (a) =>
      capped(db, (d) =>
        d
          .selectFrom('inbox_items')
          .select(sql<number>`1`.as('one'))
          .where('account_id', '=', a)
          .where('answered_at', 'is', null)
          .where('answer_due_at', 'is not', null)
          .where('answer_due_at', '<', iso)
          .where('state', '=', 'open')
          .limit(COUNT_CAP)
          .as('x'),
      ),
    ).then((n) => {
      counts.overdue = n;
    }),
  );
  await Promise.all(jobs);
  return counts;
}

/** "99+" once a count reaches the cap. */
export const showCount = (n: number): string => (n >= COUNT_CAP ? `${COUNT_CAP - 1}+` : String(n));
