import type { FastifyInstance } from 'fastify';
import { canAdministerOrg, canManageGroups, canReadAudit } from '../org/access.ts';
import * as store from '../org/store.ts';
import { itemTitles, mediaNames } from '../content/store.ts';
import { auditObjectTypes, auditPage } from '../platform/audit/queries.ts';
import type { DbOrTx } from '../platform/database.ts';
import { guard, pageNumber, pagination, queryOf, queryString, text } from '../platform/forms.ts';
import type { AuditRow } from '../platform/tables.ts';
import { describeEntry, OBJECT_TYPE_LABELS } from '../platform/audit/entries.ts';

const ADMIN_PATHS: Record<string, string> = { unit: '/admin/enheder/', person: '/admin/personer/', group: '/admin/grupper/', item: '/admin/indhold/', media: '/admin/medier/' };

/** Names for the objects on one page of the log, looked up once per page. */
async function objectNames(db: DbOrTx, entries: AuditRow[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const ids = (type: string) => [...new Set(entries.filter((e) => e.object_type === type && e.object_id).map((e) => e.object_id!))];
  const [units, groups, people, items, media] = await Promise.all([
    ids('unit').length ? store.listUnits(db, { includeInactive: true }) : [],
    ids('group').length ? store.listGroups(db, { includeInactive: true }) : [],
    Promise.all(ids('person').map((id) => store.findPersonRow(db, id))),
    itemTitles(db, ids('item')),
    mediaNames(db, ids('media')),
  ]);
  for (const [id, title] of items) names.set(`item:${id}`, title);
  for (const [id, name] of media) names.set(`media:${id}`, name);
  for (const u of units) names.set(`unit:${u.id}`, u.name);
  for (const g of groups) names.set(`group:${g.id}`, g.name);
  for (const p of people) if (p) names.set(`person:${p.id}`, p.name);
  return names;
}

const LOG_PAGE_SIZE = 50;

/** The audit log screen, for those who may read the whole log. */
export async function auditLogRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  app.addHook('onRequest', guard(canReadAudit));

  app.get('/log', async (request, reply) => {
    const q = queryOf(request);
    const types = await auditObjectTypes(db);
    const type = types.includes(text(q, 'type')) ? text(q, 'type') : '';
    const page = pageNumber(q);
    const { entries, total } = await auditPage(db, { objectType: type || undefined, limit: LOG_PAGE_SIZE, offset: (page - 1) * LOG_PAGE_SIZE });
    const names = await objectNames(db, entries);
    const actor = request.actor!;
    const mayOpen: Record<string, boolean> = { unit: canAdministerOrg(actor), person: canAdministerOrg(actor), group: canManageGroups(actor) };
    return reply.view('org/views/log.njk', {
      title: 'Revisionslog',
      entries: entries.map((e) => ({
        ...describeEntry(e),
        objectName: e.object_id ? names.get(`${e.object_type}:${e.object_id}`) : undefined,
        href: e.object_id && ADMIN_PATHS[e.object_type] && mayOpen[e.object_type] ? ADMIN_PATHS[e.object_type] + e.object_id : null,
      })),
      total,
      type,
      typeOptions: types.map((t) => ({ value: t, text: OBJECT_TYPE_LABELS[t] ?? t })),
      pagination: pagination(page, Math.ceil(total / LOG_PAGE_SIZE), (n) => `/admin/log${queryString({ type, side: n === 1 ? undefined : n })}`),
    });
  });
}
