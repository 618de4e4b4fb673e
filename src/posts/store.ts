import type { AudienceKey } from '../intranet/audience.ts';
import type { DbOrTx } from '../platform/database.ts';
import { containsText } from '../platform/like.ts';
import type { ReactionKind } from './model.ts';
import type { CommentRow, PostRow } from './tables.ts';

// Plain queries on the posts tables. Rows stay in here and in service.ts; routes and views get domain shapes.

export interface Removed {
  at: string;
  by: string;
  reason: string;
}

// ---- posts ----

export async function insertPost(tx: DbOrTx, p: { id: string; authorId: string; body: string; audience: string; createdAt: string }): Promise<void> {
  await tx
    .insertInto('posts')
    .values({ id: p.id, author_id: p.authorId, body: p.body, audience: p.audience, created_at: p.createdAt, edited_at: null, removed_at: null, removed_by: null, removed_reason: null })
    .execute();
}

export async function updatePost(tx: DbOrTx, id: string, p: { body: string; audience: string; editedAt: string }): Promise<void> {
  await tx.updateTable('posts').set({ body: p.body, audience: p.audience, edited_at: p.editedAt }).where('id', '=', id).execute();
}

export async function markPostRemoved(tx: DbOrTx, id: string, r: Removed): Promise<void> {
  await tx.updateTable('posts').set({ removed_at: r.at, removed_by: r.by, removed_reason: r.reason }).where('id', '=', id).execute();
}

/** Deletes a post with everything hanging on it. */
export async function deletePost(tx: DbOrTx, id: string): Promise<void> {
  await tx.deleteFrom('post_mentions').where('post_id', '=', id).execute();
  await tx.deleteFrom('post_reactions').where('post_id', '=', id).execute();
  await tx.deleteFrom('post_comments').where('post_id', '=', id).execute();
  await tx.deleteFrom('posts').where('id', '=', id).execute();
}

export async function findPost(db: DbOrTx, id: string): Promise<PostRow | undefined> {
  return db.selectFrom('posts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function postsByIds(db: DbOrTx, ids: string[]): Promise<PostRow[]> {
  if (!ids.length) return [];
  return db.selectFrom('posts').selectAll().where('id', 'in', [...new Set(ids)]).execute();
}

/** A person's own posts, newest first, before a cursor (served by the posts_author index). */
export async function postsOfAuthor(db: DbOrTx, authorId: string, q: { limit: number; before?: { sortAt: string; id: string } }): Promise<{ id: string; created_at: string }[]> {
  let query = db.selectFrom('posts').select(['id', 'created_at']).where('author_id', '=', authorId);
  const b = q.before;
  if (b) query = query.where((eb) => eb.or([eb('created_at', '<', b.sortAt), eb.and([eb('created_at', '=', b.sortAt), eb('id', '<', b.id)])]));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
}

// ---- comments ----

export async function insertComment(tx: DbOrTx, c: { id: string; postId: string; authorId: string; body: string; createdAt: string }): Promise<void> {
  await tx
    .insertInto('post_comments')
    .values({ id: c.id, post_id: c.postId, author_id: c.authorId, body: c.body, created_at: c.createdAt, edited_at: null, removed_at: null, removed_by: null, removed_reason: null })
    .execute();
}

export async function updateComment(tx: DbOrTx, id: string, c: { body: string; editedAt: string }): Promise<void> {
  await tx.updateTable('post_comments').set({ body: c.body, edited_at: c.editedAt }).where('id', '=', id).execute();
}

export async function markCommentRemoved(tx: DbOrTx, id: string, r: Removed): Promise<void> {
  await tx.updateTable('post_comments').set({ removed_at: r.at, removed_by: r.by, removed_reason: r.reason }).where('id', '=', id).execute();
}

export async function deleteComment(tx: DbOrTx, id: string): Promise<void> {
  await tx.deleteFrom('post_mentions').where('source_type', '=', 'comment').where('source_id', '=', id).execute();
  await tx.deleteFrom('post_comments').where('id', '=', id).execute();
}

export async function findComment(db: DbOrTx, id: string): Promise<CommentRow | undefined> {
  return db.selectFrom('post_comments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A post's comments, oldest first (served by the post_comments_post index). */
export async function commentsOf(db: DbOrTx, postId: string): Promise<CommentRow[]> {
  return db.selectFrom('post_comments').selectAll().where('post_id', '=', postId).orderBy('created_at').orderBy('id').execute();
}

/** How many comments each post has that readers see (removed ones are not counted). */
export async function commentCounts(db: DbOrTx, postIds: string[]): Promise<Map<string, number>> {
  if (!postIds.length) return new Map();
  const rows = await db
    .selectFrom('post_comments')
    .select(['post_id', (eb) => eb.fn.countAll().as('n')])
    .where('post_id', 'in', postIds)
    .where('removed_at', 'is', null)
    .groupBy('post_id')
    .execute();
  return new Map(rows.map((r) => [r.post_id, Number(r.n)]));
}

// ---- reactions ----

export async function reactionOf(db: DbOrTx, postId: string, personId: string): Promise<ReactionKind | undefined> {
  const row = await db.selectFrom('post_reactions').select('kind').where('post_id', '=', postId).where('person_id', '=', personId).executeTakeFirst();
  return row?.kind as ReactionKind | undefined;
}

/** Sets or clears a person's one reaction to a post. */
export async function setReaction(tx: DbOrTx, postId: string, personId: string, kind: ReactionKind | null, at: string): Promise<void> {
  await tx.deleteFrom('post_reactions').where('post_id', '=', postId).where('person_id', '=', personId).execute();
  if (kind) await tx.insertInto('post_reactions').values({ post_id: postId, person_id: personId, kind, created_at: at }).execute();
}

export async function reactionsOf(db: DbOrTx, postIds: string[]): Promise<{ postId: string; personId: string; name: string; kind: ReactionKind }[]> {
  if (!postIds.length) return [];
  const rows = await db
    .selectFrom('post_reactions')
    .innerJoin('people', 'people.id', 'post_reactions.person_id')
    .select(['post_reactions.post_id', 'post_reactions.person_id', 'post_reactions.kind', 'people.name'])
    .where('post_reactions.post_id', 'in', postIds)
    .orderBy('post_reactions.created_at')
    .orderBy('people.name')
    .execute();
  return rows.map((r) => ({ postId: r.post_id, personId: r.person_id, name: r.name, kind: r.kind as ReactionKind }));
}

// ---- mentions ----

export interface MentionRow {
  sourceType: 'post' | 'comment';
  sourceId: string;
  personId: string;
  name: string;
  notified: boolean;
}

export async function replaceMentions(tx: DbOrTx, source: { type: 'post' | 'comment'; id: string; postId: string }, rows: { personId: string; notified: boolean }[]): Promise<void> {
  await tx.deleteFrom('post_mentions').where('source_type', '=', source.type).where('source_id', '=', source.id).execute();
  if (!rows.length) return;
  await tx
    .insertInto('post_mentions')
    .values(rows.map((r) => ({ source_type: source.type, source_id: source.id, post_id: source.postId, person_id: r.personId, notified: r.notified ? 1 : 0 })))
    .execute();
}

/** Everyone named in these posts and in their comments. */
export async function mentionsInPosts(db: DbOrTx, postIds: string[]): Promise<MentionRow[]> {
  if (!postIds.length) return [];
  const rows = await db
    .selectFrom('post_mentions')
    .innerJoin('people', 'people.id', 'post_mentions.person_id')
    .select(['post_mentions.source_type', 'post_mentions.source_id', 'post_mentions.person_id', 'post_mentions.notified', 'people.name'])
    .where('post_mentions.post_id', 'in', postIds)
    .execute();
  return rows.map((r) => ({ sourceType: r.source_type as 'post' | 'comment', sourceId: r.source_id, personId: r.person_id, name: r.name, notified: r.notified === 1 }));
}

// ---- people ----

/** The names a mention is matched against: every active person. */
export async function activePeopleNames(db: DbOrTx): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('people').select(['id', 'name']).where('active', '=', 1).execute();
}

export async function peopleWithUnits(db: DbOrTx, ids: string[]): Promise<Map<string, { name: string; active: boolean; unitNames: string[] }>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const [people, units] = await Promise.all([
    db.selectFrom('people').select(['id', 'name', 'active']).where('id', 'in', unique).execute(),
    db.selectFrom('person_units').innerJoin('units', 'units.id', 'person_units.unit_id').select(['person_units.person_id', 'units.name']).where('person_units.person_id', 'in', unique).orderBy('units.name').execute(),
  ]);
  return new Map(people.map((p) => [p.id, { name: p.name, active: p.active === 1, unitNames: units.filter((u) => u.person_id === p.id).map((u) => u.name) }]));
}

export async function unitAndGroupNames(db: DbOrTx, unitIds: string[], groupIds: string[]): Promise<Map<string, string>> {
  const [units, groups] = await Promise.all([
    unitIds.length ? db.selectFrom('units').select(['id', 'name']).where('id', 'in', [...new Set(unitIds)]).execute() : [],
    groupIds.length ? db.selectFrom('groups').select(['id', 'name']).where('id', 'in', [...new Set(groupIds)]).execute() : [],
  ]);
  return new Map([...units, ...groups].map((r) => [r.id, r.name]));
}

// ---- search ----

/** The ids of the posts a reader holds a key to, as a subquery. */
function postsWithKeys(db: DbOrTx, keys: AudienceKey[]) {
  return db
    .selectFrom('audience_entries')
    .select('audience_entries.object_id')
    .where('audience_entries.object_type', '=', 'post')
    .where((k) => k.or(keys.map((key) => k.and([k('audience_entries.kind', '=', key.kind), k('audience_entries.value', '=', key.value)]))));
}

export interface TextHit {
  type: 'post' | 'comment';
  id: string;
  postId: string;
  authorId: string;
  body: string;
  createdAt: string;
}

/** Live posts and comments on live posts whose text holds every word, that the reader may see; newest first. */
export async function searchText(db: DbOrTx, reader: { personId: string; keys: AudienceKey[] }, words: string[], limit: number): Promise<TextHit[]> {
  if (!words.length || !reader.keys.length || limit <= 0) return [];
  const keys = reader.keys;
  const [posts, comments] = await Promise.all([
    db
      .selectFrom('posts')
      .select(['posts.id', 'posts.id as post_id', 'posts.author_id', 'posts.body', 'posts.created_at'])
      .where('posts.removed_at', 'is', null)
      .where((eb) => eb.and(words.map((w) => containsText('posts.body', w))))
      .where((eb) =>
        eb.or([
          eb('posts.author_id', '=', reader.personId),
          eb('posts.id', 'in', postsWithKeys(db, keys)),
        ]),
      )
      .orderBy('posts.created_at', 'desc')
      .limit(limit)
      .execute(),
    db
      .selectFrom('post_comments')
      .innerJoin('posts', 'posts.id', 'post_comments.post_id')
      .select(['post_comments.id', 'post_comments.post_id', 'post_comments.author_id', 'post_comments.body', 'post_comments.created_at'])
      .where('post_comments.removed_at', 'is', null)
      .where('posts.removed_at', 'is', null)
      .where((eb) => eb.and(words.map((w) => containsText('post_comments.body', w))))
      .where((eb) =>
        eb.or([
          eb('posts.author_id', '=', reader.personId),
          eb('posts.id', 'in', postsWithKeys(db, keys)),
        ]),
      )
      .orderBy('post_comments.created_at', 'desc')
      .limit(limit)
      .execute(),
  ]);
  const hits: TextHit[] = [
    ...posts.map((r) => ({ type: 'post' as const, id: r.id, postId: r.post_id, authorId: r.author_id, body: r.body, createdAt: r.created_at })),
    ...comments.map((r) => ({ type: 'comment' as const, id: r.id, postId: r.post_id, authorId: r.author_id, body: r.body, createdAt: r.created_at })),
  ];
  return hits.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)).slice(0, limit);
}
