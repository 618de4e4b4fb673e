import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeAudiences } from '../intranet/items.ts';
import { audienceKeys } from '../intranet/audience.ts';
import { knowledgeRoutes } from '../knowledge/routes.ts';
import { JOB_ROLE_LABELS, JOB_ROLES } from '../org/model.ts';
import { listUnits } from '../org/store.ts';
import { unitsInTreeOrder } from '../org/unit-tree.ts';
import type { DbOrTx } from '../platform/database.ts';
import { NotFoundError } from '../platform/errors.ts';
import { type Errors, fieldsOf, formOf, guard, list, noticeFor, options, paramsOf, pick, type Values } from '../platform/forms.ts';
import { canEditTools } from './access.ts';
import { OTHER_TOPIC, TOOL_TOPICS, type Tool } from './model.ts';
import { groupByTopic, pinnedTools, visibleTools } from './queries.ts';
import * as service from './service.ts';
import * as store from './store.ts';

const NOTICES = {
  fastgjort: 'Værktøjet er fastgjort øverst på din liste.',
  frigjort: 'Værktøjet er ikke længere fastgjort.',
};
const ADMIN_NOTICES = {
  oprettet: 'Værktøjet er oprettet.',
  gemt: 'Ændringerne er gemt.',
  deaktiveret: 'Værktøjet er deaktiveret. Ingen ser det længere.',
  aktiveret: 'Værktøjet er aktivt igen.',
};

const TOOL_FIELDS = ['name', 'url', 'description', 'topic', 'otherTopic', 'everyone'] as const;
const EMPTY_TOOL: Values = { name: '', url: 'https://', description: '', topic: '', otherTopic: '', everyone: '', roles: [], unitIds: [] };

const toolForm = (request: FastifyRequest): Values => {
  const form = formOf(request);
  return { ...pick(form, TOOL_FIELDS), roles: list(form, 'roles'), unitIds: list(form, 'unitIds') };
};

const toolValues = (t: Tool): Values => {
  const listed = (TOOL_TOPICS as readonly string[]).includes(t.topic);
  return {
    name: t.name,
    url: t.url,
    description: t.description,
    topic: listed ? t.topic : OTHER_TOPIC,
    otherTopic: listed ? '' : t.topic,
    everyone: t.audience.everyone ? '1' : '',
    roles: t.audience.roles,
    unitIds: t.audience.unitIds,
  };
};

async function formChoices(db: DbOrTx) {
  return {
    topicOptions: [...TOOL_TOPICS.map((t) => ({ value: t, text: t })), { value: OTHER_TOPIC, text: 'Andet emne (skriv det nedenfor)' }],
    roleOptions: options(JOB_ROLES, JOB_ROLE_LABELS),
    unitOptions: unitsInTreeOrder(await listUnits(db)).map((n) => ({ value: n.unit.id, text: n.unit.name, depth: n.depth })),
  };
}

async function showAdminList(request: FastifyRequest, reply: FastifyReply, values: Values = EMPTY_TOOL, errors: Errors = {}) {
  const db = request.server.ctx.db;
  const tools = await store.allTools(db);
  const audiences = await describeAudiences(db, new Map(tools.map((t) => [t.id, audienceKeys({ ...t.audience, groupIds: [] })])));
  return reply.view('tools/views/admin-list.njk', {
    title: 'Rediger værktøjer',
    notice: Object.keys(errors).length ? null : noticeFor(request, ADMIN_NOTICES),
    tools: tools.map((t) => ({ ...t, audienceText: audiences.get(t.id) ?? '' })),
    values,
    errors,
    ...(await formChoices(db)),
  });
}

async function showAdminEdit(request: FastifyRequest, reply: FastifyReply, id: string, state: { values?: Values; errors?: Errors } = {}) {
  const db = request.server.ctx.db;
  const tool = await store.findTool(db, id);
  if (!tool) throw new NotFoundError('Værktøjet findes ikke.');
  const errors = state.errors ?? {};
  return reply.view('tools/views/admin-edit.njk', {
    title: `Rediger ${tool.name}`,
    notice: Object.keys(errors).length ? null : noticeFor(request, ADMIN_NOTICES),
    tool,
    values: state.values ?? toolValues(tool),
    errors,
    ...(await formChoices(db)),
  });
}

/** The tool directory's editors, behind the intranet editors' right, checked before anything is looked up. */
async function toolAdminRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  app.addHook('onRequest', guard(canEditTools));

  app.get('/vaerktoejer/admin', async (request, reply) => showAdminList(request, reply));

  app.post('/vaerktoejer/admin', async (request, reply) => {
    const values = toolForm(request);
    try {
      const id = await service.createTool(db, request.actor!, values);
      return reply.redirect(`/intranet/vaerktoejer/admin/${id}?oprettet=1`, 303);
    } catch (error) {
      return showAdminList(request, reply.code(422), values, fieldsOf(error));
    }
  });

  app.get('/vaerktoejer/admin/:id', async (request, reply) => showAdminEdit(request, reply, paramsOf(request).id!));

  app.post('/vaerktoejer/admin/:id', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const values = toolForm(request);
    try {
      await service.updateTool(db, request.actor!, id, values);
      return reply.redirect(`/intranet/vaerktoejer/admin/${id}?gemt=1`, 303);
    } catch (error) {
      return showAdminEdit(request, reply.code(422), id, { values, errors: fieldsOf(error) });
    }
  });

  for (const [path, active] of [['deaktiver', false], ['aktiver', true]] as const) {
    app.post(`/vaerktoejer/admin/:id/${path}`, async (request, reply) => {
      const { id } = paramsOf(request) as { id: string };
      await service.setToolActive(db, request.actor!, id, active);
      return reply.redirect(`/intranet/vaerktoejer/admin/${id}?${active ? 'aktiveret' : 'deaktiveret'}=1`, 303);
    });
  }
}

/** "Dine værktøjer" (I5): links to the work systems for the reader's role and units, with their own pins first. */
export async function toolRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  // Knowledge and competence development belong to the same part of TønderPortalen as the tools.
  await app.register(knowledgeRoutes);
  await app.register(toolAdminRoutes);

  app.get('/vaerktoejer', async (request, reply) => {
    const viewer = request.viewer!;
    const [pinned, visible] = await Promise.all([pinnedTools(db, viewer), visibleTools(db, viewer)]);
    const pinnedIds = new Set(pinned.map((t) => t.id));
    return reply.view('tools/views/list.njk', {
      title: 'Dine værktøjer',
      notice: noticeFor(request, NOTICES),
      pinned,
      groups: groupByTopic(visible.filter((t) => !pinnedIds.has(t.id))),
      canEdit: canEditTools(request.actor),
    });
  });

  for (const [path, pin] of [['fastgoer', true], ['frigoer', false]] as const) {
    app.post(`/vaerktoejer/:id/${path}`, async (request, reply) => {
      const { id } = paramsOf(request) as { id: string };
      if (pin) await service.pinTool(db, request.actor!, request.viewer!, id);
      else await service.unpinTool(db, request.actor!, request.viewer!, id);
      return reply.redirect(`/intranet/vaerktoejer?${pin ? 'fastgjort' : 'frigjort'}=1`, 303);
    });
  }
}
