import type { z } from 'zod';
import { markdownToPlainText, renderMarkdown } from '../content/markdown.ts';
import { parseContent } from '../content/service.ts';
import { audienceKeys, mayView, peopleInAudience, removeAudience, viewerOf, visibleObjects, writeAudience, type AudienceKey, type Viewer } from '../intranet/audience.ts';
import { notify } from '../notifications/notify.ts';
import { auditActor, type Actor } from '../org/actor.ts';
import { fieldErrors } from '../org/model.ts';
import { audit } from '../platform/audit/service.ts';
import type { Db, DbOrTx, Tx } from '../platform/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { canModerate, canPost, isAuthor } from './access.ts';
import {
  cleanText,
  commentInput,
  findMentions,
  ID,
  linkMentions,
  type Nameable,
  parseAudience,
  type PostAudience,
  postInput,
  REACTION_KINDS,
  REACTION_LABELS,
  reactionInput,
  type ReactionKind,
  removalInput,
  type Removal,
  toAudience,
} from './model.ts';
import * as store from './store.ts';
import type { CommentRow, PostRow } from './tables.ts';

// ---- what lists and pages get ----

export interface PersonRef {
  id: string;
  name: string;
  href: string;
  unitNames: string[];
}

export interface ReactionSummary {
  kind: ReactionKind;
  label: string;
  count: number;
  names: string[];
  mine: boolean;
}

export interface PostEntry {
  type: 'post';
  id: string;
  href: string;
  /** When it was written (ISO). */
  at: string;
  editedAt: string | null;
  author: PersonRef;
  /** Sanitised HTML of the Markdown body, with mentions linked. */
  bodyHtml: string;
  /** The body as plain text, cut short, for lists that show a line or two. */
  excerpt: string;
  audience: PostAudience;
  /** "Alle i kommunen", "Dagplejen, Biblioteket" … */
  audienceLabel: string;
  commentCount: number;
  reactions: ReactionSummary[];
  reactionCount: number;
  myReaction: ReactionKind | null;
  removal: Removal | null;
  /** The reader wrote it. */
  mine: boolean;
}

export interface NewsEntry {
  type: 'news';
  id: string;
  href: string;
  at: string;
  title: string;
  summary: string;
}

export type FeedEntry = NewsEntry | PostEntry;

export interface Cursor {
  sortAt: string;
  id: string;
}

export interface CommentEntry {
  id: string;
  postId: string;
  href: string;
  at: string;
  editedAt: string | null;
  author: PersonRef;
  body: string;
  bodyHtml: string;
  removal: Removal | null;
  mine: boolean;
}

export const personHref = (id: string): string => `/intranet/personer/${encodeURIComponent(id)}`;
export const postHref = (id: string): string => `/intranet/opslag/${encodeURIComponent(id)}`;
const commentHref = (postId: string, id: string): string => `${postHref(postId)}#kommentar-${id}`;

// ---- helpers ----

function validate<T extends z.ZodType>(schema: T, raw: unknown, rename: Record<string, string> = {}): z.infer<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems: Record<string, string> = {};
  for (const [k, v] of Object.entries(fieldErrors(result.error))) problems[rename[k] ?? k] ??= v;
  throw new ValidationError(problems);
}

function require(allowed: boolean): void {
  if (!allowed) throw new ForbiddenError();
}

/** Refuses anyone but the intranet's editors before anything is looked up, so nothing about the post leaks. */
export function requireModerator(actor: Actor | null): void {
  if (!canModerate(actor)) throw new ForbiddenError('Kun intranettets redaktører kan fjerne opslag og kommentarer.');
}

const log = (tx: Tx, actor: Actor, action: string, objectType: 'post' | 'comment', objectId: string, details: Record<string, unknown> = {}) =>
  audit(tx, { ...auditActor(actor), action, objectType, objectId, details });

/** Plain text of a body, one line, cut at a word near `max`. */
export function excerptOf(body: string, max = 200): string {
  const plain = markdownToPlainText(body).replace(/\s+/g, ' ').trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, '')} …`;
}

const renderBody = (body: string, mentioned: Nameable[]): string => renderMarkdown(linkMentions(body, mentioned));

const keysOfPost = (post: PostRow): AudienceKey[] => audienceKeys(toAudience(parseAudience(post.audience)));

/**
 * Who reads a post: its author always; while it stands, everyone in its audience; once removed, only the author
 * and the intranet's editors (who see why). Anyone else is told it does not exist.
 */
async function mayRead(db: DbOrTx, viewer: Viewer, moderator: boolean, post: PostRow): Promise<boolean> {
  if (post.author_id === viewer.personId) return true;
  if (post.removed_at) return moderator;
  return mayView(db, viewer, { type: 'post', id: post.id });
}

/** The post, if the person may read it; otherwise "not found", so nothing about it leaks. */
async function readablePost(db: DbOrTx, actor: Actor, viewer: Viewer, postId: string): Promise<PostRow> {
  const post = ID.test(postId) ? await store.findPost(db, postId) : undefined;
  if (!post || !(await mayRead(db, viewer, canModerate(actor), post))) throw new NotFoundError('Opslaget findes ikke, eller du har ikke adgang til det.');
  return post;
}

/** A standing post the person may see: for commenting and reacting. */
async function openPost(db: DbOrTx, actor: Actor, viewer: Viewer, postId: string): Promise<PostRow> {
  const post = await readablePost(db, actor, viewer, postId);
  if (post.removed_at) throw new ValidationError({ body: 'Opslaget er fjernet af redaktionen, så der kan ikke kommenteres eller reageres på det.' });
  return post;
}

async function problemsWithAudience(tx: DbOrTx, viewer: Viewer, a: PostAudience, current: PostAudience | null): Promise<string | null> {
  if (!a.everyone && !a.unitIds.length && !a.groupIds.length) return 'Vælg hvem der kan se opslaget, fx din enhed eller alle i kommunen.';
  const keep = new Set([...(current?.unitIds ?? []), ...(current?.groupIds ?? [])]);
  const units = [...new Set(a.unitIds)].filter((id) => !keep.has(id));
  if (units.length) {
    const found = await tx.selectFrom('units').select('id').where('id', 'in', units).where('active', '=', 1).execute();
    if (found.length !== units.length) return 'En af de valgte enheder findes ikke. Vælg en enhed på listen.';
  }
  if (a.groupIds.some((g) => !keep.has(g) && !viewer.groupIds.includes(g))) return 'Du kan kun skrive til grupper, du selv er med i.';
  return null;
}

async function validPost(tx: DbOrTx, viewer: Viewer, raw: unknown, current: PostAudience | null) {
  const result = postInput.safeParse(raw);
  const problems: Record<string, string> = {};
  if (!result.success) for (const [k, v] of Object.entries(fieldErrors(result.error))) problems[k === 'body' ? 'body' : 'audience'] ??= v;
  if (result.success) {
    const audienceProblem = await problemsWithAudience(tx, viewer, result.data, current);
    if (audienceProblem) problems.audience = audienceProblem;
  }
  if (Object.keys(problems).length) throw new ValidationError(problems);
  return result.data!;
}

/**
 * Records who a post or comment names, and tells those who may see the post. Returns those who were named but
 * cannot see it, so the author can be told they heard nothing.
 */
async function mentionAndNotify(tx: Tx, actor: Actor, post: PostRow, source: { type: 'post' | 'comment'; id: string }, body: string): Promise<{ told: string[]; unreachable: Nameable[] }> {
  const named = new Map<string, Nameable>();
  for (const m of findMentions(body, await store.activePeopleNames(tx))) if (m.person.id !== actor.personId) named.set(m.person.id, m.person);
  const ids = [...named.keys()];
  const reach = new Set<string>();
  const keys = keysOfPost(post);
  if (ids.length && keys.length) for (const r of await (await peopleInAudience(tx, keys)).where('people.id', 'in', ids).execute()) reach.add(r.id);
  if (named.has(post.author_id)) reach.add(post.author_id);
  await store.replaceMentions(tx, { ...source, postId: post.id }, ids.map((personId) => ({ personId, notified: reach.has(personId) })));
  const told = ids.filter((id) => reach.has(id));
  await notify(tx, {
    personIds: told,
    kind: 'mention',
    sourceKey: `mention:${source.id}`,
    title: `${actor.name} har nævnt dig ${source.type === 'post' ? 'i et opslag' : 'i en kommentar'}`,
    text: excerptOf(body),
    url: source.type === 'post' ? postHref(post.id) : commentHref(post.id, source.id),
  });
  return { told, unreachable: [...named.values()].filter((p) => !reach.has(p.id)) };
}

// ---- posts ----

export interface Saved {
  id: string;
  /** People the text names who cannot see the post and were not told. */
  unreachable: Nameable[];
}

/** Writes a post for the audience the author chose; `at` lets the demo seed date its posts. */
export async function createPost(db: Db, actor: Actor, raw: unknown, options: { at?: string } = {}): Promise<Saved> {
  require(canPost(actor));
  return db.transaction().execute(async (tx) => {
    const viewer = await viewerOf(tx, actor.personId);
    const input = await validPost(tx, viewer, raw, null);
    const audience = toAudience(input);
    const id = newId();
    const createdAt = options.at ?? nowIso();
    await store.insertPost(tx, { id, authorId: actor.personId, body: input.body, audience: JSON.stringify({ everyone: audience.everyone, unitIds: audience.unitIds, groupIds: audience.groupIds }), createdAt });
    await writeAudience(tx, { type: 'post', id }, audienceKeys(audience), [{ category: 'post', sortAt: createdAt }]);
    const post = (await store.findPost(tx, id))!;
    const { unreachable } = await mentionAndNotify(tx, actor, post, { type: 'post', id }, input.body);
    await log(tx, actor, 'post.created', 'post', id, { everyone: audience.everyone, unitIds: audience.unitIds, groupIds: audience.groupIds, length: input.body.length });
    return { id, unreachable };
  });
}

/** The author's own post, for changing or deleting it. */
async function ownPost(tx: DbOrTx, actor: Actor, postId: string): Promise<PostRow> {
  const viewer = await viewerOf(tx, actor.personId);
  const post = await readablePost(tx, actor, viewer, postId);
  if (!isAuthor(actor, post)) throw new ForbiddenError('Du kan kun ændre og slette dine egne opslag.');
  return post;
}

export async function editPost(db: Db, actor: Actor, postId: string, raw: unknown): Promise<Saved> {
  require(canPost(actor));
  return db.transaction().execute(async (tx) => {
    const before = await ownPost(tx, actor, postId);
    if (before.removed_at) throw new ValidationError({ _form: 'Opslaget er fjernet af redaktionen og kan ikke ændres.' });
    const viewer = await viewerOf(tx, actor.personId);
    const input = await validPost(tx, viewer, raw, parseAudience(before.audience));
    const audience = toAudience(input);
    const audienceJson = JSON.stringify({ everyone: audience.everyone, unitIds: audience.unitIds, groupIds: audience.groupIds });
    await store.updatePost(tx, postId, { body: input.body, audience: audienceJson, editedAt: nowIso() });
    // The post keeps its place in the feed: it is listed by when it was written.
    await writeAudience(tx, { type: 'post', id: postId }, audienceKeys(audience), [{ category: 'post', sortAt: before.created_at }]);
    const post = (await store.findPost(tx, postId))!;
    const { unreachable } = await mentionAndNotify(tx, actor, post, { type: 'post', id: postId }, input.body);
    const changed = [before.body !== input.body && 'body', before.audience !== audienceJson && 'audience'].filter(Boolean);
    await log(tx, actor, 'post.edited', 'post', postId, { changed });
    return { id: postId, unreachable };
  });
}

export async function deletePost(db: Db, actor: Actor, postId: string): Promise<void> {
  require(canPost(actor));
  await db.transaction().execute(async (tx) => {
    const post = await ownPost(tx, actor, postId);
    await removeAudience(tx, { type: 'post', id: postId });
    await store.deletePost(tx, postId);
    await log(tx, actor, 'post.deleted', 'post', postId, { createdAt: post.created_at });
  });
}

/** An intranet editor takes a post down with a reason; the author is told why and still sees it, nobody else does. */
export async function removePost(db: Db, actor: Actor, postId: string, raw: unknown): Promise<void> {
  requireModerator(actor);
  const { reason } = validate(removalInput, raw);
  await db.transaction().execute(async (tx) => {
    const viewer = await viewerOf(tx, actor.personId);
    const post = await readablePost(tx, actor, viewer, postId);
    if (post.removed_at) throw new ValidationError({ reason: 'Opslaget er allerede fjernet.' });
    await store.markPostRemoved(tx, postId, { at: nowIso(), by: actor.personId, reason });
    await removeAudience(tx, { type: 'post', id: postId });
    if (post.author_id !== actor.personId) {
      await notify(tx, { personIds: [post.author_id], kind: 'mention', sourceKey: `removed:${postId}`, title: 'Redaktionen har fjernet dit opslag', text: `Begrundelse: ${reason}`, url: postHref(postId) });
    }
    await log(tx, actor, 'post.removed', 'post', postId, { reason, authorId: post.author_id });
  });
}

/** Sets the person's reaction; the same kind again takes it back. Returns the reaction now in place. */
export async function toggleReaction(db: Db, actor: Actor, postId: string, raw: unknown): Promise<ReactionKind | null> {
  require(canPost(actor));
  const { kind } = validate(reactionInput, raw);
  return db.transaction().execute(async (tx) => {
    const viewer = await viewerOf(tx, actor.personId);
    await openPost(tx, actor, viewer, postId);
    const current = await store.reactionOf(tx, postId, actor.personId);
    const next = current === kind ? null : kind;
    await store.setReaction(tx, postId, actor.personId, next, nowIso());
    await log(tx, actor, 'post.reacted', 'post', postId, { kind: next });
    return next;
  });
}

// ---- comments ----

export async function addComment(db: Db, actor: Actor, postId: string, raw: unknown, options: { at?: string } = {}): Promise<Saved> {
  require(canPost(actor));
  return db.transaction().execute(async (tx) => {
    const viewer = await viewerOf(tx, actor.personId);
    const post = await openPost(tx, actor, viewer, postId);
    const { body } = validate(commentInput, raw);
    const id = newId();
    await store.insertComment(tx, { id, postId, authorId: actor.personId, body, createdAt: options.at ?? nowIso() });
    const { told, unreachable } = await mentionAndNotify(tx, actor, post, { type: 'comment', id }, body);
    // The post's author hears of a new comment, once: a comment that names them has already told them.
    if (post.author_id !== actor.personId && !told.includes(post.author_id)) {
      await notify(tx, { personIds: [post.author_id], kind: 'mention', sourceKey: `comment:${id}`, title: `${actor.name} har kommenteret dit opslag`, text: excerptOf(body), url: commentHref(postId, id) });
    }
    await log(tx, actor, 'comment.created', 'comment', id, { postId, length: body.length });
    return { id, unreachable };
  });
}

/** A comment and its post, when the person may read the post and the comment. */
async function readableComment(tx: DbOrTx, actor: Actor, commentId: string): Promise<{ comment: CommentRow; post: PostRow }> {
  const comment = ID.test(commentId) ? await store.findComment(tx, commentId) : undefined;
  if (!comment) throw new NotFoundError('Kommentaren findes ikke.');
  const viewer = await viewerOf(tx, actor.personId);
  const post = await store.findPost(tx, comment.post_id);
  if (!post || !(await mayRead(tx, viewer, canModerate(actor), post))) throw new NotFoundError('Kommentaren findes ikke.');
  if (comment.removed_at && !isAuthor(actor, comment) && !canModerate(actor)) throw new NotFoundError('Kommentaren findes ikke.');
  return { comment, post };
}

async function ownComment(tx: DbOrTx, actor: Actor, commentId: string) {
  const found = await readableComment(tx, actor, commentId);
  if (!isAuthor(actor, found.comment)) throw new ForbiddenError('Du kan kun ændre og slette dine egne kommentarer.');
  return found;
}

export async function editComment(db: Db, actor: Actor, commentId: string, raw: unknown): Promise<Saved & { postId: string }> {
  require(canPost(actor));
  return db.transaction().execute(async (tx) => {
    const { comment, post } = await ownComment(tx, actor, commentId);
    if (comment.removed_at) throw new ValidationError({ _form: 'Kommentaren er fjernet af redaktionen og kan ikke ændres.' });
    if (post.removed_at) throw new ValidationError({ _form: 'Opslaget er fjernet af redaktionen, så kommentaren kan ikke ændres.' });
    const { body } = validate(commentInput, raw);
    await store.updateComment(tx, commentId, { body, editedAt: nowIso() });
    const { unreachable } = await mentionAndNotify(tx, actor, post, { type: 'comment', id: commentId }, body);
    await log(tx, actor, 'comment.edited', 'comment', commentId, { postId: post.id });
    return { id: commentId, postId: post.id, unreachable };
  });
}

/** Deletes the person's own comment; returns the post it was on. */
export async function deleteComment(db: Db, actor: Actor, commentId: string): Promise<string> {
  require(canPost(actor));
  return db.transaction().execute(async (tx) => {
    const { post } = await ownComment(tx, actor, commentId);
    await store.deleteComment(tx, commentId);
    await log(tx, actor, 'comment.deleted', 'comment', commentId, { postId: post.id });
    return post.id;
  });
}

/** An intranet editor takes a comment down with a reason; returns the post it was on. */
export async function removeComment(db: Db, actor: Actor, commentId: string, raw: unknown): Promise<string> {
  requireModerator(actor);
  const { reason } = validate(removalInput, raw);
  return db.transaction().execute(async (tx) => {
    const { comment, post } = await readableComment(tx, actor, commentId);
    if (comment.removed_at) throw new ValidationError({ reason: 'Kommentaren er allerede fjernet.' });
    await store.markCommentRemoved(tx, commentId, { at: nowIso(), by: actor.personId, reason });
    if (comment.author_id !== actor.personId) {
      await notify(tx, { personIds: [comment.author_id], kind: 'mention', sourceKey: `removed:${commentId}`, title: 'Redaktionen har fjernet din kommentar', text: `Begrundelse: ${reason}`, url: commentHref(post.id, commentId) });
    }
    await log(tx, actor, 'comment.removed', 'comment', commentId, { postId: post.id, reason, authorId: comment.author_id });
    return post.id;
  });
}

// ---- reading ----

async function people(db: DbOrTx, ids: string[]): Promise<Map<string, PersonRef>> {
  const found = await store.peopleWithUnits(db, ids);
  return new Map([...found].map(([id, p]) => [id, { id, name: p.name, href: personHref(id), unitNames: p.unitNames }]));
}

const unknownPerson = (id: string): PersonRef => ({ id, name: 'Ukendt person', href: personHref(id), unitNames: [] });

async function removals(db: DbOrTx, rows: { removed_at: string | null; removed_by: string | null; removed_reason: string | null }[]): Promise<Map<string | null, string>> {
  const ids = rows.filter((r) => r.removed_at && r.removed_by).map((r) => r.removed_by!);
  const found = await store.peopleWithUnits(db, ids);
  return new Map([...found].map(([id, p]) => [id, p.name]));
}

const removalOf = (r: { removed_at: string | null; removed_by: string | null; removed_reason: string | null }, names: Map<string | null, string>): Removal | null =>
  r.removed_at ? { at: r.removed_at, byName: names.get(r.removed_by) ?? 'redaktionen', reason: r.removed_reason ?? '' } : null;

/** Posts as lists and pages show them, in the order given. */
async function postEntries(db: DbOrTx, viewer: Viewer, rows: PostRow[]): Promise<PostEntry[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const audiences = new Map(rows.map((r) => [r.id, parseAudience(r.audience)]));
  const all = [...audiences.values()];
  const [authors, reactions, counts, mentions, names, removedBy] = await Promise.all([
    people(db, rows.map((r) => r.author_id)),
    store.reactionsOf(db, ids),
    store.commentCounts(db, ids),
    store.mentionsInPosts(db, ids),
    store.unitAndGroupNames(db, all.flatMap((a) => a.unitIds), all.flatMap((a) => a.groupIds)),
    removals(db, rows),
  ]);
  return rows.map((r) => {
    const audience = audiences.get(r.id)!;
    const mine = reactions.filter((x) => x.postId === r.id);
    const summaries = REACTION_KINDS.map((kind) => {
      const of = mine.filter((x) => x.kind === kind);
      return { kind, label: REACTION_LABELS[kind], count: of.length, names: of.map((x) => x.name), mine: of.some((x) => x.personId === viewer.personId) };
    });
    const mentioned = mentions.filter((m) => m.sourceType === 'post' && m.sourceId === r.id).map((m) => ({ id: m.personId, name: m.name }));
    return {
      type: 'post' as const,
      id: r.id,
      href: postHref(r.id),
      at: r.created_at,
      editedAt: r.edited_at,
      author: authors.get(r.author_id) ?? unknownPerson(r.author_id),
      // Lists show only the excerpt: the body is rendered (and sanitised) when a page shows it.
      get bodyHtml() {
        return renderBody(r.body, mentioned);
      },
      excerpt: excerptOf(r.body),
      audience,
      audienceLabel: audienceLabel(audience, names),
      commentCount: counts.get(r.id) ?? 0,
      reactions: summaries,
      reactionCount: mine.length,
      myReaction: summaries.find((s) => s.mine)?.kind ?? null,
      removal: removalOf(r, removedBy),
      mine: r.author_id === viewer.personId,
    };
  });
}

function audienceLabel(a: PostAudience, names: Map<string, string>): string {
  if (a.everyone) return 'Alle i kommunen';
  const parts = [...a.unitIds, ...a.groupIds].map((id) => names.get(id)).filter((n): n is string => !!n);
  return parts.sort((x, y) => x.localeCompare(y, 'da')).join(', ') || 'Kun dig';
}

async function newsEntries(db: DbOrTx, found: { id: string; sortAt: string }[]): Promise<Map<string, NewsEntry>> {
  if (!found.length) return new Map();
  const rows = await db
    .selectFrom('items')
    .innerJoin('revisions', (join) => join.onRef('revisions.item_id', '=', 'items.id').onRef('revisions.number', '=', 'items.live_revision'))
    .select(['items.id', 'items.slug', 'revisions.content'])
    .where('items.id', 'in', found.map((f) => f.id))
    .where('items.type', '=', 'news')
    .where('items.live_revision', 'is not', null)
    .execute();
  const at = new Map(found.map((f) => [f.id, f.sortAt]));
  return new Map(
    rows.map((r) => {
      const content = parseContent(r.content);
      return [r.id, { type: 'news' as const, id: r.id, href: `/intranet/nyheder/${r.slug}`, at: at.get(r.id) ?? '', title: content.title, summary: content.summary }];
    }),
  );
}

/**
 * The newest entries of these categories the reader may see, with the reader's own posts whoever they were for,
 * one page at a time. `next` is the cursor for the page after, or null at the end.
 */
async function listFor(db: DbOrTx, viewer: Viewer, categories: ('news' | 'post')[], q: { limit: number; before?: Cursor }): Promise<{ entries: FeedEntry[]; next: Cursor | null }> {
  const limit = Math.max(1, Math.min(q.limit, 100));
  const [visible, own] = await Promise.all([
    visibleObjects(db, viewer, { categories, limit: limit + 1, before: q.before }),
    categories.includes('post') && viewer.keys.length ? store.postsOfAuthor(db, viewer.personId, { limit: limit + 1, before: q.before }) : [],
  ]);
  const found = new Map<string, { type: 'news' | 'post'; id: string; sortAt: string }>();
  for (const v of visible) found.set(v.id, { type: v.category === 'post' ? 'post' : 'news', id: v.id, sortAt: v.sortAt });
  for (const o of own) if (!found.has(o.id)) found.set(o.id, { type: 'post', id: o.id, sortAt: o.created_at });
  const ordered = [...found.values()].sort((a, b) => (a.sortAt < b.sortAt ? 1 : a.sortAt > b.sortAt ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const page = ordered.slice(0, limit);
  const [news, posts] = await Promise.all([
    newsEntries(db, page.filter((p) => p.type === 'news')),
    store.postsByIds(db, page.filter((p) => p.type === 'post').map((p) => p.id)),
  ]);
  const postMap = new Map((await postEntries(db, viewer, posts)).map((p) => [p.id, p]));
  const entries = page.flatMap((p): FeedEntry[] => {
    const entry = p.type === 'news' ? news.get(p.id) : postMap.get(p.id);
    return entry ? [entry] : [];
  });
  const last = page[page.length - 1];
  return { entries, next: ordered.length > limit && last ? { sortAt: last.sortAt, id: last.id } : null };
}

/** The feed on /intranet/opslag: the intranet's news and the posts the reader may see, newest first. */
export function feedFor(db: DbOrTx, viewer: Viewer, q: { limit: number; before?: Cursor }) {
  return listFor(db, viewer, ['news', 'post'], q);
}

/** For the home page: the newest news and posts the reader may see. */
export async function latestFeedFor(db: DbOrTx, viewer: Viewer, limit: number): Promise<FeedEntry[]> {
  return (await listFor(db, viewer, ['news', 'post'], { limit })).entries;
}

/** Posts only (no news), newest first, with the reader's own. */
export async function postsVisibleTo(db: DbOrTx, viewer: Viewer, q: { limit: number; before?: Cursor }): Promise<{ entries: PostEntry[]; next: Cursor | null }> {
  const { entries, next } = await listFor(db, viewer, ['post'], q);
  return { entries: entries.filter((e): e is PostEntry => e.type === 'post'), next };
}

export interface PostPage {
  post: PostEntry;
  comments: CommentEntry[];
  canEdit: boolean;
  canDelete: boolean;
  canModerate: boolean;
  commentsOpen: boolean;
}

/** One post with its comments, for someone who may read it; anyone else gets "not found". */
export async function postPage(db: DbOrTx, actor: Actor, viewer: Viewer, postId: string): Promise<PostPage> {
  const row = await readablePost(db, actor, viewer, postId);
  const moderator = canModerate(actor);
  const [[post], commentRows, mentions] = await Promise.all([postEntries(db, viewer, [row]), store.commentsOf(db, postId), store.mentionsInPosts(db, [postId])]);
  const shown = commentRows.filter((c) => !c.removed_at || moderator || c.author_id === actor.personId);
  const [authors, removedBy] = await Promise.all([people(db, shown.map((c) => c.author_id)), removals(db, shown)]);
  const comments = shown.map((c) => ({
    id: c.id,
    postId,
    href: commentHref(postId, c.id),
    at: c.created_at,
    editedAt: c.edited_at,
    author: authors.get(c.author_id) ?? unknownPerson(c.author_id),
    body: c.body,
    bodyHtml: renderBody(c.body, mentions.filter((m) => m.sourceType === 'comment' && m.sourceId === c.id).map((m) => ({ id: m.personId, name: m.name }))),
    removal: removalOf(c, removedBy),
    mine: c.author_id === actor.personId,
  }));
  return { post: post!, comments, canEdit: post!.mine && !row.removed_at, canDelete: post!.mine, canModerate: moderator && !row.removed_at, commentsOpen: !row.removed_at };
}

/** The post as its author is about to change it: its body and audience for the form. */
export async function postForEditing(db: DbOrTx, actor: Actor, postId: string): Promise<{ id: string; body: string; audience: PostAudience; removed: boolean }> {
  const post = await ownPost(db, actor, postId);
  return { id: post.id, body: post.body, audience: parseAudience(post.audience), removed: !!post.removed_at };
}

/** A comment as its author is about to change or delete it, or an editor to remove it. */
export async function commentForAction(db: DbOrTx, actor: Actor, commentId: string, purpose: 'own' | 'moderate'): Promise<{ id: string; postId: string; body: string; authorName: string; removed: boolean }> {
  if (purpose === 'moderate') requireModerator(actor);
  const { comment } = purpose === 'own' ? await ownComment(db, actor, commentId) : await readableComment(db, actor, commentId);
  const author = (await people(db, [comment.author_id])).get(comment.author_id);
  return { id: comment.id, postId: comment.post_id, body: comment.body, authorName: author?.name ?? '', removed: !!comment.removed_at };
}

/** People the author named in a post or comment who cannot see the post, as stored at the last save. */
export async function unreachableMentions(db: DbOrTx, actor: Actor, source: { type: 'post' | 'comment'; id: string }): Promise<string[]> {
  if (!ID.test(source.id)) return [];
  const row = source.type === 'post' ? await store.findPost(db, source.id) : await store.findComment(db, source.id);
  if (!row || !isAuthor(actor, row)) return [];
  const postId = 'post_id' in row ? row.post_id : row.id;
  return (await store.mentionsInPosts(db, [postId])).filter((m) => m.sourceType === source.type && m.sourceId === source.id && !m.notified).map((m) => m.name);
}

// ---- search ----

export interface PostSearchHit {
  type: 'post' | 'comment';
  id: string;
  postId: string;
  href: string;
  author: PersonRef;
  /** Plain text: escape before output. */
  excerpt: string;
  at: string;
}

/** Standing posts and comments whose text holds every word and which the reader may see; newest first. */
export async function searchPosts(db: DbOrTx, viewer: Viewer, words: string[], limit: number): Promise<PostSearchHit[]> {
  const cleaned = words.map((w) => cleanText(w).trim()).filter(Boolean);
  const hits = await store.searchText(db, viewer, cleaned, limit);
  const authors = await people(db, hits.map((h) => h.authorId));
  return hits.map((h) => ({
    type: h.type,
    id: h.id,
    postId: h.postId,
    href: h.type === 'post' ? postHref(h.postId) : commentHref(h.postId, h.id),
    author: authors.get(h.authorId) ?? unknownPerson(h.authorId),
    excerpt: excerptOf(h.body),
    at: h.createdAt,
  }));
}
