import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DbOrTx } from '../platform/database.ts';
import { NotFoundError } from '../platform/errors.ts';
import { COMMON_NOTICES, type Errors, fieldsOf, flagged, formOf, guard, noticeFor, options, paramsOf, pick, queryOf, text, type Values } from '../platform/forms.ts';
import { localDate } from '../platform/time.ts';
import { canManageGroups } from './access.ts';
import { CHANNEL_LABELS, CHANNELS, GROUP_KIND_LABELS, GROUP_KINDS, type Group, MEMBER_ROLE_LABELS, MEMBER_ROLES } from './model.ts';
import * as service from './service.ts';
import * as store from './store.ts';

const NOTICES = {
  ...COMMON_NOTICES,
  medlem: 'Medlemmet er gemt.',
  'medlem-fjernet': 'Medlemmet er fjernet fra gruppen.',
};

const GROUP_FIELDS = ['name', 'kind', 'channel', 'subsiteUnitId', 'purpose', 'endsOn'] as const;

const groupValues = (g: Group): Values => ({
  name: g.name,
  kind: g.kind,
  channel: g.channel ?? '',
  subsiteUnitId: g.subsiteUnitId ?? '',
  purpose: g.purpose ?? '',
  endsOn: g.endsOn ?? '',
});

const isExpired = (g: Group, today: string): boolean => g.kind === 'ad_hoc' && !!g.endsOn && g.endsOn < today;

async function groupFormChoices(db: DbOrTx) {
  const units = await store.listUnits(db, { includeInactive: true });
  return {
    kindOptions: options(GROUP_KINDS, GROUP_KIND_LABELS),
    channelOptions: options(CHANNELS, CHANNEL_LABELS),
    institutionOptions: units.filter((u) => u.kind === 'institution').map((u) => ({ value: u.id, text: u.name + (u.active ? '' : ' (deaktiveret)') })),
  };
}

interface GroupPageState {
  values?: Values;
  errors?: Errors;
  member?: Values;
  memberErrors?: Errors;
}

async function showGroupPage(request: FastifyRequest, reply: FastifyReply, id: string, state: GroupPageState = {}) {
  const db = request.server.ctx.db;
  const group = await store.findGroup(db, id);
  if (!group) throw new NotFoundError('Gruppen findes ikke.');
  const [choices, members] = await Promise.all([groupFormChoices(db), store.groupMembers(db, id)]);
  const errors = { ...state.errors, ...state.memberErrors };
  return reply.view('org/views/group.njk', {
    title: group.name,
    notice: Object.keys(errors).length ? null : noticeFor(request, NOTICES),
    group,
    expired: isExpired(group, localDate()),
    kindLabel: GROUP_KIND_LABELS[group.kind],
    ...choices,
    values: state.values ?? groupValues(group),
    groupErrors: state.errors ?? {},
    errors,
    members,
    memberRoleOptions: options(MEMBER_ROLES, MEMBER_ROLE_LABELS),
    member: state.member ?? { email: '', role: 'member' },
    memberErrors: state.memberErrors ?? {},
  });
}

async function showNewGroup(request: FastifyRequest, reply: FastifyReply, values: Values, errors: Errors) {
  return reply.view('org/views/group.njk', { title: 'Ny gruppe', group: null, values, groupErrors: errors, errors, ...(await groupFormChoices(request.server.ctx.db)) });
}

/** Editor groups and ad hoc groups, for those who manage groups. */
export async function groupRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  app.addHook('onRequest', guard(canManageGroups));

  app.get('/grupper', async (request, reply) => {
    const includeInactive = flagged(text(queryOf(request), 'deaktiverede'));
    const [groups, units] = await Promise.all([store.listGroups(db, { includeInactive }), store.listUnits(db, { includeInactive: true })]);
    const unitNames = Object.fromEntries(units.map((u) => [u.id, u.name]));
    const today = localDate();
    return reply.view('org/views/groups.njk', {
      title: 'Grupper',
      notice: noticeFor(request, NOTICES),
      includeInactive,
      sections: GROUP_KINDS.map((kind) => ({
        kind,
        label: GROUP_KIND_LABELS[kind],
        groups: groups
          .filter((g) => g.kind === kind)
          .map((g) => ({ ...g, expired: isExpired(g, today), subsiteName: g.subsiteUnitId ? unitNames[g.subsiteUnitId] : null })),
      })),
      channelLabels: CHANNEL_LABELS,
    });
  });

  app.get('/grupper/ny', async (request, reply) => {
    const kind = text(queryOf(request), 'type');
    return showNewGroup(request, reply, { kind: (GROUP_KINDS as readonly string[]).includes(kind) ? kind : 'ad_hoc' }, {});
  });

  app.post('/grupper/ny', async (request, reply) => {
    const values = pick(formOf(request), GROUP_FIELDS);
    try {
      const id = await service.createGroup(db, request.actor!, values);
      return reply.redirect(`/admin/grupper/${id}?oprettet=1`, 303);
    } catch (error) {
      return showNewGroup(request, reply.code(422), values, fieldsOf(error));
    }
  });

  app.get('/grupper/:id', async (request, reply) => showGroupPage(request, reply, paramsOf(request).id!));

  app.post('/grupper/:id', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const values = pick(formOf(request), GROUP_FIELDS);
    try {
      await service.updateGroup(db, request.actor!, id, values);
      return reply.redirect(`/admin/grupper/${id}?gemt=1`, 303);
    } catch (error) {
      return showGroupPage(request, reply.code(422), id, { values, errors: fieldsOf(error) });
    }
  });

  for (const [path, active] of [['deaktiver', false], ['aktiver', true]] as const) {
    app.post(`/grupper/:id/${path}`, async (request, reply) => {
      const { id } = paramsOf(request) as { id: string };
      await service.setGroupActive(db, request.actor!, id, active);
      return reply.redirect(`/admin/grupper/${id}?${active ? 'aktiveret' : 'deaktiveret'}=1`, 303);
    });
  }

  // Adding someone who is already a member changes their role, so one route serves both.
  app.post('/grupper/:id/medlemmer', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const member = pick(formOf(request), ['email', 'role']);
    try {
      await service.setGroupMember(db, request.actor!, id, member.email!, member.role!);
      return reply.redirect(`/admin/grupper/${id}?medlem=1`, 303);
    } catch (error) {
      return showGroupPage(request, reply.code(422), id, { member, memberErrors: fieldsOf(error) });
    }
  });

  app.post('/grupper/:id/medlemmer/:personId/slet', async (request, reply) => {
    const { id, personId } = paramsOf(request) as { id: string; personId: string };
    await service.removeGroupMember(db, request.actor!, id, personId);
    return reply.redirect(`/admin/grupper/${id}?medlem-fjernet=1`, 303);
  });
}
