import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Viewer } from '../intranet/audience.ts';
import { groupsOf, listUnits } from '../org/store.ts';
import { indented, unitsInTreeOrder } from '../org/unit-tree.ts';
import type { DbOrTx } from '../platform/database.ts';
import { type Errors, fieldsOf, flagged, type Form, formOf, list, noticeFor, paramsOf, queryOf, text, type Values } from '../platform/forms.ts';
import { COMMENT_MAX, POST_MAX, REASON_MAX, timeAgo, type PostAudience } from './model.ts';
import * as service from './service.ts';
import { unitAndGroupNames } from './store.ts';

const FEED_SIZE = 20;

const NOTICES = {
  oprettet: 'Dit opslag er delt.',
  gemt: 'Ændringerne er gemt.',
  slettet: 'Opslaget er slettet.',
  kommenteret: 'Din kommentar er tilføjet.',
  'kommentar-gemt': 'Kommentaren er gemt.',
  'kommentar-slettet': 'Kommentaren er slettet.',
  fjernet: 'Opslaget er fjernet. Forfatteren har fået besked med begrundelsen.',
  'kommentar-fjernet': 'Kommentaren er fjernet. Forfatteren har fået besked med begrundelsen.',
};

// ---- the form ----

const postValues = (form: Form): Values => ({
  body: text(form, 'body'),
  everyone: flagged(text(form, 'everyone')) ? '1' : '',
  unitIds: list(form, 'unitIds'),
  otherUnitId: text(form, 'otherUnitId').trim(),
  groupIds: list(form, 'groupIds'),
});

/** What the service gets: the unit picked in "another unit" is one more unit. */
const postRaw = (v: Values) => ({
  body: text(v, 'body'),
  everyone: v.everyone === '1',
  unitIds: [...list(v, 'unitIds'), ...(text(v, 'otherUnitId') ? [text(v, 'otherUnitId')] : [])],
  groupIds: list(v, 'groupIds'),
});

const valuesOf = (body: string, a: PostAudience): Values => ({ body, everyone: a.everyone ? '1' : '', unitIds: a.unitIds, otherUnitId: '', groupIds: a.groupIds });

/**
 * The audiences a writer can pick: everyone; their own units ("dine kolleger") and the units above them ("dit
 * område"); any other unit or institution, which reaches its sub-units; and the groups they are in.
 */
async function audienceChoices(db: DbOrTx, viewer: Viewer, values: Values) {
  const selectedUnits = list(values, 'unitIds');
  const selectedGroups = list(values, 'groupIds');
  const [units, groups] = await Promise.all([listUnits(db), groupsOf(db, viewer.personId)]);
  const byId = new Map(units.map((u) => [u.id, u]));
  const near: { value: string; text: string; checked: boolean }[] = [];
  const listed = new Set<string>();
  const add = (id: string, label: string) => {
    const u = byId.get(id);
    // The municipality itself is "Alle i kommunen".
    if (!u || listed.has(id) || u.kind === 'municipality') return;
    listed.add(id);
    near.push({ value: id, text: label.replace('%s', u.name), checked: selectedUnits.includes(id) });
  };
  for (const id of viewer.unitIds) add(id, '%s – dine kolleger');
  for (const id of viewer.unitIds) for (let p = byId.get(id)?.parentId; p; p = byId.get(p)?.parentId) add(p, '%s – dit område');
  for (const id of selectedUnits) add(id, '%s');
  const missingGroups = selectedGroups.filter((g) => !groups.some((m) => m.id === g));
  const names = await unitAndGroupNames(db, [], missingGroups);
  const memberGroups = groups.filter((g) => viewer.groupIds.includes(g.id));
  return {
    everyoneChecked: values.everyone === '1',
    nearUnits: near,
    otherUnits: unitsInTreeOrder(units)
      .filter((n) => n.unit.kind !== 'municipality' && !listed.has(n.unit.id))
      .map((n) => ({ value: n.unit.id, text: indented(Math.max(0, n.depth - 1), n.unit.name) })),
    groups: [
      ...memberGroups.map((g) => ({ value: g.id, text: g.name, checked: selectedGroups.includes(g.id) })),
      ...missingGroups.filter((g) => names.has(g)).map((g) => ({ value: g, text: names.get(g)!, checked: true })),
    ],
  };
}

// ---- the feed's cursor: "<sort time>_<id>" ----

const formatCursor = (c: service.Cursor): string => `${c.sortAt}_${c.id}`;

function parseCursor(raw: string): service.Cursor | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z?)_([0-9A-Za-z-]{1,64})$/.exec(raw);
  return m ? { sortAt: m[1]!, id: m[2]! } : undefined;
}

/** Employees' posts and the intranet's news in one feed, with comments, reactions and mentions (I3). */
export async function postRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const ago = (iso: string) => timeAgo(iso);
  const limits = { postMax: POST_MAX, commentMax: COMMENT_MAX, reasonMax: REASON_MAX };

  /** A new post is for the writer's own units until they choose otherwise. */
  const defaultValues = (viewer: Viewer): Values => ({ body: '', everyone: '', unitIds: viewer.unitIds, otherUnitId: '', groupIds: [] });

  async function showFeed(request: FastifyRequest, reply: FastifyReply, state: { values?: Values; errors?: Errors } = {}) {
    const viewer = request.viewer!;
    const before = parseCursor(text(queryOf(request), 'foer'));
    const values = state.values ?? defaultValues(viewer);
    const [{ entries, next }, choices] = await Promise.all([service.feedFor(db, viewer, { limit: FEED_SIZE, before }), audienceChoices(db, viewer, values)]);
    const errors = state.errors ?? {};
    return reply.code(Object.keys(errors).length ? 422 : 200).view('posts/views/feed.njk', {
      title: before ? 'Nyheder og opslag, ældre' : 'Nyheder og opslag',
      notice: Object.keys(errors).length ? null : noticeFor(request, NOTICES),
      entries,
      older: next ? `/intranet/opslag?foer=${encodeURIComponent(formatCursor(next))}` : null,
      isFirstPage: !before,
      values,
      errors,
      choices,
      ago,
      limits,
    });
  }

  async function showCompose(request: FastifyRequest, reply: FastifyReply, values: Values, errors: Errors) {
    const choices = await audienceChoices(db, request.viewer!, values);
    return reply.code(Object.keys(errors).length ? 422 : 200).view('posts/views/new.njk', { title: 'Nyt opslag', values, errors, choices, limits });
  }

  async function showPost(request: FastifyRequest, reply: FastifyReply, id: string, state: { values?: Values; errors?: Errors } = {}) {
    const page = await service.postPage(db, request.actor!, request.viewer!, id);
    const q = queryOf(request);
    const errors = state.errors ?? {};
    // After a save, the author hears who was named but cannot see the post.
    const savedComment = text(q, 'kommentar');
    const unreachable =
      q.oprettet !== undefined || q.gemt !== undefined
        ? await service.unreachableMentions(db, request.actor!, { type: 'post', id })
        : savedComment && (q.kommenteret !== undefined || q['kommentar-gemt'] !== undefined)
          ? await service.unreachableMentions(db, request.actor!, { type: 'comment', id: savedComment })
          : [];
    return reply.code(Object.keys(errors).length ? 422 : 200).view('posts/views/post.njk', {
      title: `Opslag fra ${page.post.author.name}`,
      notice: Object.keys(errors).length ? null : noticeFor(request, NOTICES),
      unreachable,
      ...page,
      values: state.values ?? { body: '' },
      errors,
      ago,
      limits,
    });
  }

  async function showEdit(request: FastifyRequest, reply: FastifyReply, id: string, state: { values?: Values; errors?: Errors } = {}) {
    const post = await service.postForEditing(db, request.actor!, id);
    const values = state.values ?? valuesOf(post.body, post.audience);
    const errors = state.errors ?? {};
    const choices = await audienceChoices(db, request.viewer!, values);
    return reply.code(Object.keys(errors).length ? 422 : 200).view('posts/views/edit.njk', { title: 'Ret dit opslag', post, values, errors, choices, limits });
  }

  // ---- the feed and writing ----

  app.get('/opslag', async (request, reply) => showFeed(request, reply));

  app.get('/opslag/nyt', async (request, reply) => showCompose(request, reply, defaultValues(request.viewer!), {}));

  app.post('/opslag', async (request, reply) => {
    const values = postValues(formOf(request));
    try {
      const { id } = await service.createPost(db, request.actor!, postRaw(values));
      return reply.redirect(`/intranet/opslag/${id}?oprettet=1`, 303);
    } catch (error) {
      return showCompose(request, reply, values, fieldsOf(error));
    }
  });

  app.get('/opslag/:id', async (request, reply) => showPost(request, reply, paramsOf(request).id!));

  app.get('/opslag/:id/rediger', async (request, reply) => showEdit(request, reply, paramsOf(request).id!));

  app.post('/opslag/:id/rediger', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const values = postValues(formOf(request));
    try {
      await service.editPost(db, request.actor!, id, postRaw(values));
      return reply.redirect(`/intranet/opslag/${id}?gemt=1`, 303);
    } catch (error) {
      return showEdit(request, reply, id, { values, errors: fieldsOf(error) });
    }
  });

  app.get('/opslag/:id/slet', async (request, reply) => {
    const post = await service.postForEditing(db, request.actor!, paramsOf(request).id!);
    return reply.view('posts/views/confirm-delete.njk', { title: 'Slet dit opslag', what: 'post', action: `/intranet/opslag/${post.id}/slet`, back: `/intranet/opslag/${post.id}`, body: post.body });
  });

  app.post('/opslag/:id/slet', async (request, reply) => {
    await service.deletePost(db, request.actor!, paramsOf(request).id!);
    return reply.redirect('/intranet/opslag?slettet=1', 303);
  });

  // ---- reactions and comments ----

  app.post('/opslag/:id/reaktion', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const form = formOf(request);
    try {
      await service.toggleReaction(db, request.actor!, id, { kind: text(form, 'kind') });
      // Only two places to go back to, so the address cannot be steered elsewhere.
      return reply.redirect(text(form, 'fra') === 'feed' ? `/intranet/opslag#opslag-${id}` : `/intranet/opslag/${id}#reaktioner`, 303);
    } catch (error) {
      const problem = Object.values(fieldsOf(error))[0] ?? 'Reaktionen kunne ikke gemmes.';
      return showPost(request, reply, id, { errors: { _form: problem } });
    }
  });

  app.post('/opslag/:id/kommentarer', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const values = { body: text(formOf(request), 'body') };
    try {
      const saved = await service.addComment(db, request.actor!, id, values);
      return reply.redirect(`/intranet/opslag/${id}?kommenteret=1&kommentar=${saved.id}#kommentar-${saved.id}`, 303);
    } catch (error) {
      return showPost(request, reply, id, { values, errors: fieldsOf(error) });
    }
  });

  async function showCommentEdit(request: FastifyRequest, reply: FastifyReply, id: string, state: { values?: Values; errors?: Errors } = {}) {
    const comment = await service.commentForAction(db, request.actor!, id, 'own');
    const errors = state.errors ?? {};
    return reply.code(Object.keys(errors).length ? 422 : 200).view('posts/views/comment-edit.njk', { title: 'Ret din kommentar', comment, values: state.values ?? { body: comment.body }, errors, limits });
  }

  app.get('/kommentarer/:id/rediger', async (request, reply) => showCommentEdit(request, reply, paramsOf(request).id!));

  app.post('/kommentarer/:id/rediger', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const values = { body: text(formOf(request), 'body') };
    try {
      const saved = await service.editComment(db, request.actor!, id, values);
      return reply.redirect(`/intranet/opslag/${saved.postId}?kommentar-gemt=1&kommentar=${id}#kommentar-${id}`, 303);
    } catch (error) {
      return showCommentEdit(request, reply, id, { values, errors: fieldsOf(error) });
    }
  });

  app.get('/kommentarer/:id/slet', async (request, reply) => {
    const comment = await service.commentForAction(db, request.actor!, paramsOf(request).id!, 'own');
    return reply.view('posts/views/confirm-delete.njk', {
      title: 'Slet din kommentar',
      what: 'comment',
      action: `/intranet/kommentarer/${comment.id}/slet`,
      back: `/intranet/opslag/${comment.postId}#kommentar-${comment.id}`,
      body: comment.body,
    });
  });

  app.post('/kommentarer/:id/slet', async (request, reply) => {
    const postId = await service.deleteComment(db, request.actor!, paramsOf(request).id!);
    return reply.redirect(`/intranet/opslag/${postId}?kommentar-slettet=1#kommentarer`, 303);
  });

  // ---- removal by the intranet's editors ----

  async function showRemovePost(request: FastifyRequest, reply: FastifyReply, id: string, state: { values?: Values; errors?: Errors } = {}) {
    const page = await service.postPage(db, request.actor!, request.viewer!, id);
    const errors = state.errors ?? {};
    return reply.code(Object.keys(errors).length ? 422 : 200).view('posts/views/remove.njk', {
      title: `Fjern opslag fra ${page.post.author.name}`,
      what: 'post',
      action: `/intranet/opslag/${id}/fjern`,
      back: `/intranet/opslag/${id}`,
      authorName: page.post.author.name,
      bodyHtml: page.post.bodyHtml,
      values: state.values ?? { reason: '' },
      errors,
      limits,
    });
  }

  async function showRemoveComment(request: FastifyRequest, reply: FastifyReply, id: string, state: { values?: Values; errors?: Errors } = {}) {
    const comment = await service.commentForAction(db, request.actor!, id, 'moderate');
    const errors = state.errors ?? {};
    return reply.code(Object.keys(errors).length ? 422 : 200).view('posts/views/remove.njk', {
      title: `Fjern kommentar fra ${comment.authorName}`,
      what: 'comment',
      action: `/intranet/kommentarer/${id}/fjern`,
      back: `/intranet/opslag/${comment.postId}#kommentar-${id}`,
      authorName: comment.authorName,
      body: comment.body,
      values: state.values ?? { reason: '' },
      errors,
      limits,
    });
  }

  app.get('/opslag/:id/fjern', async (request, reply) => {
    service.requireModerator(request.actor);
    return showRemovePost(request, reply, paramsOf(request).id!);
  });

  app.post('/opslag/:id/fjern', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const values = { reason: text(formOf(request), 'reason') };
    try {
      await service.removePost(db, request.actor!, id, values);
      return reply.redirect(`/intranet/opslag/${id}?fjernet=1`, 303);
    } catch (error) {
      return showRemovePost(request, reply, id, { values, errors: fieldsOf(error) });
    }
  });

  app.get('/kommentarer/:id/fjern', async (request, reply) => showRemoveComment(request, reply, paramsOf(request).id!));

  app.post('/kommentarer/:id/fjern', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const values = { reason: text(formOf(request), 'reason') };
    try {
      const postId = await service.removeComment(db, request.actor!, id, values);
      return reply.redirect(`/intranet/opslag/${postId}?kommentar-fjernet=1#kommentar-${id}`, 303);
    } catch (error) {
      return showRemoveComment(request, reply, id, { values, errors: fieldsOf(error) });
    }
  });
}
