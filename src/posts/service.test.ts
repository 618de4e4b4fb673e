import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../test/support/app.ts';
import { actorByEmail, unitId } from '../../test/support/content.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/support/databases.ts';
import { seedDemo } from '../demo/seed.ts';
import { viewerOf } from '../intranet/audience.ts';
import type { Actor } from '../org/actor.ts';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import * as posts from './service.ts';

/** The error a call fails with, to look at its kind and its field messages. */
async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe.each(dialects)('posts and comments (%s)', (dialect) => {
  let t: TestDatabase;
  let anne: Actor; // Dagplejen
  let peter: Actor; // Kultur og Fritid
  let line: Actor; // intranet editor
  let hans: Actor; // Byrådet
  let karen: Actor; // Tønder Distriktsskole, under Børn og Skole
  const units: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedDemo(t.db);
    [anne, peter, line, hans, karen] = await Promise.all([
      actorByEmail(t.db, DEMO.employee),
      actorByEmail(t.db, DEMO.manager),
      actorByEmail(t.db, DEMO.intranet),
      actorByEmail(t.db, DEMO.politician),
      actorByEmail(t.db, DEMO.school),
    ]);
    for (const slug of ['dagplejen', 'boern-og-skole', 'biblioteket', 'kultur-og-fritid', 'byraadet']) units[slug] = await unitId(t.db, slug);
  });
  afterAll(async () => t?.destroy());

  const viewer = (a: Actor) => viewerOf(t.db, a.personId);
  const page = async (a: Actor, id: string) => posts.postPage(t.db, a, await viewer(a), id);
  const write = (a: Actor, body: string, audience: { everyone?: boolean; unitIds?: string[]; groupIds?: string[] }) =>
    posts.createPost(t.db, a, { body, everyone: !!audience.everyone, unitIds: audience.unitIds ?? [], groupIds: audience.groupIds ?? [] });
  const feedIds = async (a: Actor) => (await posts.feedFor(t.db, await viewer(a), { limit: 100 })).entries.map((e) => e.id);
  const notificationsOf = (a: Actor, sourceKey: string) => t.db.selectFrom('notifications').selectAll().where('person_id', '=', a.personId).where('source_key', '=', sourceKey).execute();

  it('a post for a unit reaches the people in it and its sub-units, and nobody else finds it', async () => {
    const { id } = await write(anne, 'Fællesmøde for Børn og Skole på tirsdag.', { unitIds: [units['boern-og-skole']!] });
    expect(await feedIds(karen)).toContain(id);
    expect((await page(karen, id)).post.audienceLabel).toBe('Børn og Skole');
    expect(await feedIds(peter)).not.toContain(id);
    expect(await failure(page(peter, id))).toBeInstanceOf(NotFoundError);
  });

  it('the author always sees their own post, even one for a unit they are not in', async () => {
    const { id } = await write(anne, 'Til biblioteket: tak for lån af salen.', { unitIds: [units.biblioteket!] });
    expect(await feedIds(anne)).toContain(id);
    expect((await page(anne, id)).post.mine).toBe(true);
    // A unit reaches down, not up: Kultur og Fritid sits above Biblioteket.
    expect(await failure(page(peter, id))).toBeInstanceOf(NotFoundError);
  });

  it('a post nobody may see is refused with a Danish message on the audience, and nothing is saved', async () => {
    const before = await t.db.selectFrom('posts').select('id').execute();
    const error = await failure(write(anne, 'Hemmeligt', {}));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fields).toEqual({ audience: 'Vælg hvem der kan se opslaget, fx din enhed eller alle i kommunen.' });
    expect(await t.db.selectFrom('posts').select('id').execute()).toHaveLength(before.length);
  });

  it('an empty body and an audience problem are reported together', async () => {
    const group = await t.db.selectFrom('groups').select('id').where('name', '=', 'Ad hoc-gruppe: Ny app til borgere').executeTakeFirstOrThrow();
    const error = await failure(write(anne, '   ', { groupIds: [group.id] }));
    expect(error.fields.body).toBe('Skriv dit opslag.');
    // Anne is not in the app group, so she cannot write to it.
    const onlyGroup = await failure(write(anne, 'Hej', { groupIds: [group.id] }));
    expect(onlyGroup.fields).toEqual({ audience: 'Du kan kun skrive til grupper, du selv er med i.' });
  });

  it('only the author edits or deletes a post: readers are refused, and people outside the audience find nothing', async () => {
    const { id } = await write(anne, 'Første udgave', { everyone: true });
    expect(await failure(posts.editPost(t.db, peter, id, { body: 'Overtaget', everyone: true, unitIds: [], groupIds: [] }))).toBeInstanceOf(ForbiddenError);
    expect(await failure(posts.deletePost(t.db, peter, id))).toBeInstanceOf(ForbiddenError);

    await posts.editPost(t.db, anne, id, { body: 'Anden udgave', everyone: false, unitIds: [units.dagplejen!], groupIds: [] });
    const edited = await page(anne, id);
    expect(edited.post.bodyHtml).toContain('Anden udgave');
    expect(edited.post.editedAt).not.toBeNull();
    expect(await failure(posts.editPost(t.db, peter, id, { body: 'x', everyone: true, unitIds: [], groupIds: [] }))).toBeInstanceOf(NotFoundError);

    await posts.deletePost(t.db, anne, id);
    expect(await failure(page(anne, id))).toBeInstanceOf(NotFoundError);
    expect(await t.db.selectFrom('audience_entries').select('object_id').where('object_id', '=', id).execute()).toEqual([]);
    const actions = await t.db.selectFrom('audit_log').select(['action', 'object_type']).where('object_id', '=', id).orderBy('seq').execute();
    expect(actions).toEqual([
      { action: 'post.created', object_type: 'post' },
      { action: 'post.edited', object_type: 'post' },
      { action: 'post.deleted', object_type: 'post' },
    ]);
  });

  it('only intranet editors remove a post, with a reason that the author sees and is told; it leaves everyone else', async () => {
    const { id } = await posts.createPost(t.db, anne, { body: 'Køb billige billetter her!', everyone: true, unitIds: [], groupIds: [] });
    expect(await feedIds(hans)).toContain(id);
    expect(await failure(posts.removePost(t.db, peter, id, { reason: 'Reklame' }))).toBeInstanceOf(ForbiddenError);
    expect((await failure(posts.removePost(t.db, line, id, { reason: ' ' }))).fields).toEqual({ reason: 'Skriv en begrundelse. Forfatteren får den at se.' });

    await posts.removePost(t.db, line, id, { reason: 'Reklame hører ikke hjemme på intranettet.' });
    expect(await feedIds(hans)).not.toContain(id);
    expect(await failure(page(hans, id))).toBeInstanceOf(NotFoundError);
    const own = await page(anne, id);
    expect(own.post.removal).toMatchObject({ byName: 'Line Kjær', reason: 'Reklame hører ikke hjemme på intranettet.' });
    expect(own.canEdit).toBe(false);
    expect((await page(line, id)).post.removal?.reason).toBe('Reklame hører ikke hjemme på intranettet.');
    expect(await notificationsOf(anne, `removed:${id}`)).toMatchObject([{ title: 'Redaktionen har fjernet dit opslag', text: 'Begrundelse: Reklame hører ikke hjemme på intranettet.' }]);
    const entry = await t.db.selectFrom('audit_log').select(['details', 'actor_id']).where('object_id', '=', id).where('action', '=', 'post.removed').executeTakeFirstOrThrow();
    expect(entry.actor_id).toBe(line.personId);
    expect(JSON.parse(entry.details)).toMatchObject({ reason: 'Reklame hører ikke hjemme på intranettet.' });
    // Nothing more happens on a removed post.
    expect(await failure(posts.addComment(t.db, anne, id, { body: 'Hvorfor?' }))).toBeInstanceOf(ValidationError);
    expect(await failure(posts.editPost(t.db, anne, id, { body: 'Ny tekst', everyone: true, unitIds: [], groupIds: [] }))).toBeInstanceOf(ValidationError);
  });

  it('a mention tells the named person only when they may see the post, and the author learns who was not told', async () => {
    const saved = await write(anne, 'Legestue torsdag. @peter hansen, må vi låne salen? Og @Hans Christensen, kommer du forbi?', { unitIds: [units.dagplejen!, units['kultur-og-fritid']!] });
    expect(saved.unreachable.map((p) => p.name)).toEqual(['Hans Christensen']);
    expect(await notificationsOf(peter, `mention:${saved.id}`)).toMatchObject([{ kind: 'mention', title: 'Anne Jensen har nævnt dig i et opslag', url: `/intranet/opslag/${saved.id}` }]);
    expect(await notificationsOf(hans, `mention:${saved.id}`)).toEqual([]);
    expect(await posts.unreachableMentions(t.db, anne, { type: 'post', id: saved.id })).toEqual(['Hans Christensen']);
    expect((await page(peter, saved.id)).post.bodyHtml).toContain(`<a href="/intranet/personer/${peter.personId}">@Peter Hansen</a>`);
  });

  it("a comment tells the post's author, and a mention in it follows the post's audience", async () => {
    const { id } = await write(anne, 'Hvem har en god opskrift på æbleskiver?', { unitIds: [units.dagplejen!, units['kultur-og-fritid']!] });
    const comment = await posts.addComment(t.db, peter, id, { body: 'Spørg @Line Kjær – eller @Anne Jensen selv!' });
    // Line cannot see the post; Anne is named, so she is told once, by the mention.
    expect(comment.unreachable.map((p) => p.name)).toEqual(['Line Kjær']);
    expect(await notificationsOf(anne, `mention:${comment.id}`)).toHaveLength(1);
    expect(await notificationsOf(anne, `comment:${comment.id}`)).toEqual([]);
    const plain = await posts.addComment(t.db, peter, id, { body: 'Jeg tager gløgg med.' });
    expect(await notificationsOf(anne, `comment:${plain.id}`)).toMatchObject([{ title: 'Peter Hansen har kommenteret dit opslag', url: `/intranet/opslag/${id}#kommentar-${plain.id}` }]);
    expect((await page(anne, id)).comments.map((c) => c.author.name)).toEqual(['Peter Hansen', 'Peter Hansen']);
  });

  it('nobody comments on or reacts to a post they cannot see', async () => {
    const { id } = await write(hans, 'Kun for Byrådet', { unitIds: [units.byraadet!] });
    expect(await failure(posts.addComment(t.db, anne, id, { body: 'Hej' }))).toBeInstanceOf(NotFoundError);
    expect(await failure(posts.toggleReaction(t.db, anne, id, { kind: 'like' }))).toBeInstanceOf(NotFoundError);
    expect(await t.db.selectFrom('post_comments').select('id').where('post_id', '=', id).execute()).toEqual([]);
  });

  it('a person has one reaction per post: the same kind again takes it back, another replaces it', async () => {
    const { id } = await write(line, 'Ny version af TønderPortalen', { everyone: true });
    expect(await posts.toggleReaction(t.db, anne, id, { kind: 'like' })).toBe('like');
    expect(await posts.toggleReaction(t.db, peter, id, { kind: 'like' })).toBe('like');
    expect(await posts.toggleReaction(t.db, anne, id, { kind: 'celebrate' })).toBe('celebrate');
    let post = (await page(anne, id)).post;
    expect(post.reactions.filter((r) => r.count).map((r) => [r.label, r.names])).toEqual([
      ['Synes godt om', ['Peter Hansen']],
      ['Fejrer', ['Anne Jensen']],
    ]);
    expect(post.myReaction).toBe('celebrate');
    expect(await posts.toggleReaction(t.db, anne, id, { kind: 'celebrate' })).toBeNull();
    post = (await page(anne, id)).post;
    expect(post.reactionCount).toBe(1);
    expect((await failure(posts.toggleReaction(t.db, anne, id, { kind: 'love' }))).fields).toEqual({ kind: 'Vælg en reaktion.' });
  });

  it('only the author edits or deletes a comment, and editors remove one with a reason', async () => {
    const { id } = await write(line, 'Spørgsmål til redaktionen?', { everyone: true });
    const c = await posts.addComment(t.db, anne, id, { body: 'Hvornår kommer appen?' });
    expect(await failure(posts.editComment(t.db, peter, c.id, { body: 'Nej' }))).toBeInstanceOf(ForbiddenError);
    expect(await failure(posts.deleteComment(t.db, peter, c.id))).toBeInstanceOf(ForbiddenError);
    await posts.editComment(t.db, anne, c.id, { body: 'Hvornår kommer borger-appen?' });
    expect((await page(peter, id)).comments[0]!.body).toBe('Hvornår kommer borger-appen?');

    expect(await failure(posts.removeComment(t.db, peter, c.id, { reason: 'x' }))).toBeInstanceOf(ForbiddenError);
    await posts.removeComment(t.db, line, c.id, { reason: 'Spørgsmålet er besvaret i en nyhed.' });
    expect((await page(peter, id)).comments).toEqual([]);
    expect((await page(peter, id)).post.commentCount).toBe(0);
    expect((await page(anne, id)).comments[0]!.removal?.reason).toBe('Spørgsmålet er besvaret i en nyhed.');
    expect(await notificationsOf(anne, `removed:${c.id}`)).toHaveLength(1);

    const other = await posts.addComment(t.db, anne, id, { body: 'Tak!' });
    await posts.deleteComment(t.db, anne, other.id);
    const actions = await t.db.selectFrom('audit_log').select('action').where('object_type', '=', 'comment').where('object_id', 'in', [c.id, other.id]).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['comment.created', 'comment.edited', 'comment.removed', 'comment.created', 'comment.deleted']);
  });

  it('the feed holds news and posts newest first, and pages on with a cursor without repeats', async () => {
    const all = (await posts.feedFor(t.db, await viewer(anne), { limit: 1000 })).entries;
    expect(all.some((e) => e.type === 'news')).toBe(true);
    expect(all.some((e) => e.type === 'post')).toBe(true);
    expect([...all].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).map((e) => e.at)).toEqual(all.map((e) => e.at));
    const seen: string[] = [];
    let before: posts.Cursor | undefined;
    for (let i = 0; i < 100; i++) {
      const next = await posts.feedFor(t.db, await viewer(anne), { limit: 3, before });
      seen.push(...next.entries.map((e) => e.id));
      if (!next.next) break;
      before = next.next;
    }
    expect(seen).toEqual(all.map((e) => e.id));
    const home = await posts.latestFeedFor(t.db, await viewer(anne), 4);
    expect(home.map((e) => e.id)).toEqual(all.slice(0, 4).map((e) => e.id));
  });

  it('search finds standing posts and comments with every word that the reader may see', async () => {
    const open = await write(peter, 'Julefrokost for hele Kultur og Fritid fredag', { everyone: true });
    const closed = await write(hans, 'Julefrokost for Byrådet i Tinghuset', { unitIds: [units.byraadet!] });
    const comment = await posts.addComment(t.db, anne, open.id, { body: 'Kommer der også julefrokost i Dagplejen?' });
    const gone = await write(peter, 'Julefrokost med reklame', { everyone: true });
    await posts.removePost(t.db, line, gone.id, { reason: 'Reklame' });

    const anneHits = await posts.searchPosts(t.db, await viewer(anne), ['julefrokost'], 20);
    expect(anneHits.map((h) => h.id).sort()).toEqual([open.id, comment.id].sort());
    expect(anneHits.find((h) => h.type === 'comment')).toMatchObject({ postId: open.id, href: `/intranet/opslag/${open.id}#kommentar-${comment.id}` });
    expect((await posts.searchPosts(t.db, await viewer(hans), ['JULEFROKOST', 'byrådet'], 20)).map((h) => h.id)).toEqual([closed.id]);
    expect(await posts.searchPosts(t.db, await viewer(anne), ['julefrokost', 'tinghuset'], 20)).toEqual([]);
    expect(await posts.searchPosts(t.db, await viewer(anne), ['100%'], 20)).toEqual([]);
  });
});
