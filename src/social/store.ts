import type { DbOrTx } from '../platform/database.ts';
import type { Network } from './providers/types.ts';
import type { Account, AccountStatus } from './model.ts';
import type { SocialAccountRow, SocialPostAttemptRow, SocialPostRow } from './tables.ts';

// Plain queries on the social tables. Rows stay in here and the services; pages get domain shapes.

const accountColumns = [
  'a.id', 'a.network', 'a.handle', 'a.name', 'a.unit_id', 'a.editor_group_id', 'a.adviser_group_id', 'a.requires_approval', 'a.api_base',
  'a.external_id', 'a.status', 'a.status_note', 'a.connected_at', 'a.rate_limited_until', 'a.active',
] as const;

function accountQuery(db: DbOrTx) {
  return db
    .selectFrom('social_accounts as a')
    .innerJoin('units as u', 'u.id', 'a.unit_id')
    .innerJoin('groups as g', 'g.id', 'a.editor_group_id')
    .leftJoin('groups as adv', 'adv.id', 'a.adviser_group_id')
    .leftJoin('people as p', 'p.id', 'a.connected_by')
    .select([...accountColumns, 'u.name as unit_name', 'g.name as group_name', 'adv.name as adviser_name', 'p.name as connected_by_name']);
}

type AccountJoined = Awaited<ReturnType<ReturnType<typeof accountQuery>['executeTakeFirstOrThrow']>>;

const toAccount = (r: AccountJoined): Account => ({
  id: r.id,
  network: r.network as Network,
  handle: r.handle,
  name: r.name,
  unitId: r.unit_id,
  unitName: r.unit_name,
  editorGroupId: r.editor_group_id,
  editorGroupName: r.group_name,
  adviserGroupId: r.adviser_group_id,
  adviserGroupName: r.adviser_name,
  requiresApproval: r.requires_approval === 1,
  apiBase: r.api_base,
  externalId: r.external_id,
  status: r.status as AccountStatus,
  statusNote: r.status_note,
  connectedAt: r.connected_at,
  connectedByName: r.connected_by_name,
  rateLimitedUntil: r.rate_limited_until,
  active: r.active === 1,
});

export async function listAccounts(db: DbOrTx, filter: { includeInactive?: boolean } = {}): Promise<Account[]> {
  let q = accountQuery(db);
  if (!filter.includeInactive) q = q.where('a.active', '=', 1);
  return (await q.orderBy('a.name').orderBy('a.network').execute()).map(toAccount);
}

export async function findAccount(db: DbOrTx, id: string): Promise<Account | undefined> {
  const row = await accountQuery(db).where('a.id', '=', id).executeTakeFirst();
  return row && toAccount(row);
}

export async function findAccountRow(db: DbOrTx, id: string): Promise<SocialAccountRow | undefined> {
  return db.selectFrom('social_accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findAccountByHandle(db: DbOrTx, network: string, handle: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('social_accounts').select('id').where('network', '=', network).where('handle', '=', handle).executeTakeFirst();
}

/** The fields that say what an account is; the rest start empty (not connected, not sending, active). */
export type NewAccount = Pick<SocialAccountRow, 'id' | 'network' | 'handle' | 'name' | 'unit_id' | 'editor_group_id' | 'adviser_group_id' | 'requires_approval' | 'api_base'> & Partial<SocialAccountRow>;

export async function insertAccount(tx: DbOrTx, account: NewAccount): Promise<void> {
  const at = new Date().toISOString();
  await tx
    .insertInto('social_accounts')
    .values({
      external_id: null, token_sealed: null, status: 'not_connected', status_note: null, connected_at: null, connected_by: null,
      rate_limited_until: null, sending_until: null, sending_by: null, active: 1, created_at: at, updated_at: at,
      ...account,
    })
    .execute();
}

export async function updateAccount(tx: DbOrTx, id: string, changes: Partial<Omit<SocialAccountRow, 'id'>>): Promise<void> {
  await tx.updateTable('social_accounts').set(changes).where('id', '=', id).execute();
}

/**
 * The active accounts behind the intranet home page's links, in one light query: every account for those who keep
 * the registry, otherwise those whose editor or adviser group the person is in (the rule of access.ts mayUse).
 */
export async function accountLinks(db: DbOrTx, who: { all: boolean; groupIds: string[] }): Promise<{ id: string; name: string; network: Network; status: string }[]> {
  if (!who.all && !who.groupIds.length) return [];
  let q = db.selectFrom('social_accounts').select(['id', 'name', 'network', 'status']).where('active', '=', 1);
  if (!who.all) q = q.where((eb) => eb.or([eb('editor_group_id', 'in', who.groupIds), eb('adviser_group_id', 'in', who.groupIds)]));
  const rows = await q.orderBy('name').orderBy('network').execute();
  return rows.map((r) => ({ ...r, network: r.network as Network }));
}

/** The people of a group, to tell them about posts waiting for approval. */
export async function activeMemberIds(db: DbOrTx, groupId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('group_members as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select('p.id')
    .where('m.group_id', '=', groupId)
    .where('p.active', '=', 1)
    .execute();
  return rows.map((r) => r.id);
}

// ---- posts ----

export async function insertPost(tx: DbOrTx, row: SocialPostRow): Promise<void> {
  await tx.insertInto('social_posts').values(row).execute();
}

export async function findPost(db: DbOrTx, id: string): Promise<SocialPostRow | undefined> {
  return db.selectFrom('social_posts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function postsOfBatch(db: DbOrTx, batchId: string): Promise<SocialPostRow[]> {
  return db.selectFrom('social_posts').selectAll().where('batch_id', '=', batchId).orderBy('id').execute();
}

export async function postsOfItem(db: DbOrTx, itemId: string): Promise<SocialPostRow[]> {
  return db.selectFrom('social_posts').selectAll().where('item_id', '=', itemId).orderBy('scheduled_at', 'desc').execute();
}

/** Changes a post only while it is still in one of `from`; returns whether it did. */
export async function movePost(tx: DbOrTx, id: string, from: string[], changes: Partial<Omit<SocialPostRow, 'id'>>): Promise<boolean> {
  const result = await tx.updateTable('social_posts').set(changes).where('id', '=', id).where('state', 'in', from).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface PostListFilter {
  accountIds: string[];
  states?: string[];
  from?: string;
  to?: string;
  limit?: number;
}

export async function listPosts(db: DbOrTx, f: PostListFilter): Promise<SocialPostRow[]> {
  if (!f.accountIds.length) return [];
  let q = db.selectFrom('social_posts').selectAll().where('account_id', 'in', f.accountIds);
  if (f.states?.length) q = q.where('state', 'in', f.states);
  if (f.from) q = q.where('scheduled_at', '>=', f.from);
  if (f.to) q = q.where('scheduled_at', '<', f.to);
  return q.orderBy('scheduled_at').orderBy('id').limit(f.limit ?? 500).execute();
}

export async function countPostsByState(db: DbOrTx, accountIds: string[]): Promise<Record<string, number>> {
  if (!accountIds.length) return {};
  const rows = await db
    .selectFrom('social_posts')
    .select(['state', db.fn.countAll<number>().as('n')])
    .where('account_id', 'in', accountIds)
    .groupBy('state')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

// ---- attempts ----

export async function attemptsOf(db: DbOrTx, postId: string): Promise<SocialPostAttemptRow[]> {
  return db.selectFrom('social_post_attempts').selectAll().where('post_id', '=', postId).orderBy('number').execute();
}

export async function insertAttempt(tx: DbOrTx, row: SocialPostAttemptRow): Promise<void> {
  await tx.insertInto('social_post_attempts').values(row).execute();
}

export async function finishAttempt(tx: DbOrTx, id: string, outcome: string, detail: string | null, at: string): Promise<void> {
  await tx.updateTable('social_post_attempts').set({ outcome, detail, finished_at: at }).where('id', '=', id).execute();
}
