import type { FastifyInstance } from 'fastify';
import type { Actor } from '../org/actor.ts';
import * as org from '../org/store.ts';
import { indented, unitsInTreeOrder } from '../org/unit-tree.ts';
import type { DbOrTx } from '../platform/database.ts';
import { guard, queryOf, text } from '../platform/forms.ts';
import { localDate } from '../platform/time.ts';
import { canEditItem, canUseEditor, seesAllContent } from './access.ts';
import * as store from './store.ts';
import { ITEM_TYPE_LABELS, type ItemState, type ItemType, STATE_LABELS } from './types.ts';

/**
 * The same rule as the content list: an editor sees what they may edit (and what is placed nowhere yet),
 * the platform owner everything, so a title planned for one channel does not show to another's editors.
 */
async function visibleTo<T extends { id: string }>(db: DbOrTx, actor: Actor, rows: T[]): Promise<T[]> {
  if (seesAllContent(actor) || rows.length === 0) return rows;
  const byItem = await store.channelsOfItems(db, rows.map((r) => r.id));
  return rows.filter((r) => canEditItem(actor, byItem.get(r.id) ?? []));
}

const typeLabel = (type: string) => ITEM_TYPE_LABELS[type as ItemType] ?? type;
const stateLabel = (state: string) => STATE_LABELS[state as ItemState] ?? state;

/** Content past its review-by date, and the plan of what goes live or comes down when; for every editor. */
export async function reviewRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  app.addHook('onRequest', guard(canUseEditor));

  // ASCII paths, so they can never be taken for an item id by the route /admin/indhold/:id.
  app.get('/indhold/foraeldet', async (request, reply) => {
    const actor = request.actor!;
    const owner = seesAllContent(actor);
    const chosen = text(queryOf(request), 'enhed') || (owner ? 'alle' : 'mine');
    const oneUnit = chosen !== 'alle' && chosen !== 'mine' ? chosen : undefined;
    const [rows, units] = await Promise.all([store.outdatedItems(db, localDate(), oneUnit), org.listUnits(db, { includeInactive: true })]);
    const mine = chosen === 'mine' ? rows.filter((r) => actor.unitIds.includes(r.owner_unit_id)) : rows;
    const items = (await visibleTo(db, actor, mine)).map((r) => ({
      id: r.id,
      title: r.title,
      type: typeLabel(r.type),
      ownerName: r.owner_name,
      reviewBy: r.review_by,
    }));
    return reply.view('content/views/outdated.njk', {
      title: 'Forældet indhold',
      items,
      chosen,
      hasOwnUnits: actor.unitIds.length > 0,
      unitOptions: unitsInTreeOrder(units).map((n) => ({ value: n.unit.id, text: indented(n.depth, n.unit.name) + (n.unit.active ? '' : ' (deaktiveret)') })),
      chosenUnitName: oneUnit ? (units.find((u) => u.id === oneUnit)?.name ?? null) : null,
    });
  });

  app.get('/indhold/planlagt', async (request, reply) => {
    const actor = request.actor!;
    const rows = await visibleTo(db, actor, await store.plannedItems(db));
    const now = new Date().toISOString();
    const steps = rows
      .flatMap((r) => {
        const base = { id: r.id, title: r.title, type: typeLabel(r.type), state: stateLabel(r.state), ownerName: r.owner_name };
        return [
          ...(r.publish_at ? [{ ...base, at: r.publish_at, action: 'Udgives' }] : []),
          ...(r.unpublish_at ? [{ ...base, at: r.unpublish_at, action: 'Afpubliceres' }] : []),
        ];
      })
      .map((s) => ({ ...s, overdue: s.at < now }))
      .sort((a, b) => a.at.localeCompare(b.at) || a.title.localeCompare(b.title, 'da'));
    return reply.view('content/views/scheduled.njk', { title: 'Planlagt', steps });
  });
}
