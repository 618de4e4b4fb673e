import type { ExpressionBuilder } from 'kysely';
import type { Database, DbOrTx } from '../platform/database.ts';

// Reads for the content list, the task list and the history screens that store.ts does not have.

type ItemsEb = ExpressionBuilder<Database, 'items'>;

/** The same rule as `listItems`' visibleChannels: in one of these channels, or placed nowhere yet. */
function inChannelsOrNowhere(eb: ItemsEb, channels: string[]) {
  return eb.or([
    eb.exists(eb.selectFrom('item_channels').select('item_channels.item_id').whereRef('item_channels.item_id', '=', 'items.id').where('item_channels.channel', 'in', channels.length ? channels : [''])),
    eb.not(eb.exists(eb.selectFrom('item_channels').select('item_channels.item_id').whereRef('item_channels.item_id', '=', 'items.id'))),
  ]);
}

/**
 * Placed somewhere, and only in these channels: the prefilter for steps that need the publish right
 * in every channel. The caller still applies canPublishItem to what comes back.
 */
function onlyInChannels(eb: ItemsEb, channels: string[]) {
  return eb.and([
    eb.exists(eb.selectFrom('item_channels').select('item_channels.item_id').whereRef('item_channels.item_id', '=', 'items.id')),
    eb.not(
      eb.exists(eb.selectFrom('item_channels').select('item_channels.item_id').whereRef('item_channels.item_id', '=', 'items.id').where('item_channels.channel', 'not in', channels.length ? channels : [''])),
    ),
  ]);
}

function taskQuery(db: DbOrTx) {
  return db
    .selectFrom('items')
    .innerJoin('units', 'units.id', 'items.owner_unit_id')
    .leftJoin('people as updater', 'updater.id', 'items.updated_by')
    .select([
      'items.id',
      'items.type',
      'items.state',
      'items.title',
      'items.edition_start',
      'items.latest_revision',
      'items.live_revision',
      'items.updated_at',
      'items.publish_at',
      'items.unpublish_at',
      'items.review_by',
      'items.emergency_by',
      'items.emergency_reason',
      'items.live_since',
      'units.name as owner_name',
      'updater.name as updated_by_name',
    ]);
}

export type TaskRow = Awaited<ReturnType<ReturnType<typeof taskQuery>['execute']>>[number];

/** Drafts whose latest revision the person wrote, or which they created. */
export async function draftsOf(db: DbOrTx, personId: string): Promise<TaskRow[]> {
  return taskQuery(db)
    .where('items.state', '=', 'draft')
    .where((eb) =>
      eb.or([
        eb('items.created_by', '=', personId),
        eb.exists(
          eb
            .selectFrom('revisions')
            .select('revisions.item_id')
            .whereRef('revisions.item_id', '=', 'items.id')
            .whereRef('revisions.number', '=', 'items.latest_revision')
            .where('revisions.author_id', '=', personId),
        ),
      ]),
    )
    .orderBy('items.updated_at', 'desc')
    .orderBy('items.id', 'desc')
    .execute();
}

/** Items in review placed only in channels the person may publish in. */
export async function inReviewWithin(db: DbOrTx, publishChannels: string[]): Promise<TaskRow[]> {
  if (!publishChannels.length) return [];
  return taskQuery(db)
    .where('items.state', '=', 'in_review')
    .where((eb) => onlyInChannels(eb, publishChannels))
    .orderBy('items.updated_at', 'asc')
    .orderBy('items.id', 'asc')
    .execute();
}

/** Live items still marked "not reviewed" after an emergency publish, placed only in these channels. */
export async function notReviewedWithin(db: DbOrTx, publishChannels: string[]): Promise<TaskRow[]> {
  if (!publishChannels.length) return [];
  return taskQuery(db)
    .where('items.not_reviewed', '=', 1)
    .where('items.live_revision', 'is not', null)
    .where((eb) => onlyInChannels(eb, publishChannels))
    .orderBy('items.live_since', 'asc')
    .orderBy('items.id', 'asc')
    .execute();
}

/** Planned publications and unpublications; `visibleChannels` undefined means every item. */
export async function scheduledItems(db: DbOrTx, visibleChannels: string[] | undefined): Promise<TaskRow[]> {
  let q = taskQuery(db).where((eb) => eb.or([eb('items.publish_at', 'is not', null), eb('items.unpublish_at', 'is not', null)]));
  if (visibleChannels) q = q.where((eb) => inChannelsOrNowhere(eb, visibleChannels));
  return q.orderBy('items.updated_at', 'desc').orderBy('items.id', 'desc').execute();
}

/** Items past their review-by date that are in one of the channels, or owned by one of the units. */
export async function outdatedFor(db: DbOrTx, today: string, channels: string[], unitIds: string[]): Promise<TaskRow[]> {
  if (!channels.length && !unitIds.length) return [];
  return taskQuery(db)
    .where('items.review_by', '<', today)
    .where('items.state', '!=', 'archived')
    .where((eb) =>
      eb.or([
        eb('items.owner_unit_id', 'in', unitIds.length ? unitIds : ['']),
        eb.exists(eb.selectFrom('item_channels').select('item_channels.item_id').whereRef('item_channels.item_id', '=', 'items.id').where('item_channels.channel', 'in', channels.length ? channels : [''])),
      ]),
    )
    .orderBy('items.review_by', 'asc')
    .orderBy('items.id', 'asc')
    .execute();
}

/** The latest revision number of each listed item: the list marks a live item with unpublished changes. */
export async function latestRevisions(db: DbOrTx, ids: string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('items').select(['id', 'latest_revision']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.latest_revision]));
}

/** Names of media, for describing a revision's images. */
export async function mediaNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('media').select(['id', 'original_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.original_name]));
}

/** Names of groups, for describing intranet audiences. */
export async function groupNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('groups').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
