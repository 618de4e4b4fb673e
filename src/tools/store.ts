import type { DbOrTx } from '../platform/database.ts';
import { newId, nowIso } from '../platform/ids.ts';
import type { JobRole } from '../org/model.ts';
import type { Tool, ToolAudience } from './model.ts';
import type { ToolRow } from './tables.ts';

function parseAudience(json: string): ToolAudience {
  const a = JSON.parse(json) as Partial<ToolAudience>;
  return { everyone: a.everyone === true, roles: (a.roles ?? []) as JobRole[], unitIds: a.unitIds ?? [] };
}

export const toTool = (r: ToolRow): Tool => ({
  id: r.id,
  name: r.name,
  url: r.url,
  description: r.description,
  topic: r.topic,
  audience: parseAudience(r.audience),
  active: r.active === 1,
  updatedAt: r.updated_at,
});

export interface ToolFields {
  name: string;
  url: string;
  description: string;
  topic: string;
  audience: ToolAudience;
}

export async function insertTool(tx: DbOrTx, f: ToolFields): Promise<string> {
  const id = newId();
  const now = nowIso();
  await tx
    .insertInto('tools')
    .values({ id, name: f.name, url: f.url, description: f.description, topic: f.topic, audience: JSON.stringify(f.audience), active: 1, created_at: now, updated_at: now })
    .execute();
  return id;
}

export async function updateTool(tx: DbOrTx, id: string, f: ToolFields): Promise<void> {
  await tx
    .updateTable('tools')
    .set({ name: f.name, url: f.url, description: f.description, topic: f.topic, audience: JSON.stringify(f.audience), updated_at: nowIso() })
    .where('id', '=', id)
    .execute();
}

export async function setToolActive(tx: DbOrTx, id: string, active: boolean): Promise<void> {
  await tx.updateTable('tools').set({ active: active ? 1 : 0, updated_at: nowIso() }).where('id', '=', id).execute();
}

export async function findTool(db: DbOrTx, id: string): Promise<Tool | undefined> {
  const row = await db.selectFrom('tools').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toTool(row);
}

/** Every tool, active or not, for the editors' list. A municipality has tens of tools, not thousands. */
export async function allTools(db: DbOrTx): Promise<Tool[]> {
  return (await db.selectFrom('tools').selectAll().orderBy('name').execute()).map(toTool);
}

/** The active tools among these ids, in no particular order. */
export async function activeTools(db: DbOrTx, ids: string[]): Promise<Tool[]> {
  if (!ids.length) return [];
  return (await db.selectFrom('tools').selectAll().where('id', 'in', [...new Set(ids)]).where('active', '=', 1).execute()).map(toTool);
}

// ---- pins ----

/** The tools a person has pinned, in their order. */
export async function pinnedToolIds(db: DbOrTx, personId: string): Promise<string[]> {
  const rows = await db.selectFrom('tool_pins').select('tool_id').where('person_id', '=', personId).orderBy('position').orderBy('created_at').execute();
  return rows.map((r) => r.tool_id);
}

/** Pins a tool last in the person's order; pinning it again changes nothing. */
export async function pin(tx: DbOrTx, personId: string, toolId: string): Promise<boolean> {
  const last = await tx.selectFrom('tool_pins').select((eb) => eb.fn.max('position').as('n')).where('person_id', '=', personId).executeTakeFirst();
  const result = await tx
    .insertInto('tool_pins')
    .values({ person_id: personId, tool_id: toolId, position: Number(last?.n ?? 0) + 1, created_at: nowIso() })
    .onConflict((oc) => oc.columns(['person_id', 'tool_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function unpin(tx: DbOrTx, personId: string, toolId: string): Promise<boolean> {
  const result = await tx.deleteFrom('tool_pins').where('person_id', '=', personId).where('tool_id', '=', toolId).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0) > 0;
}
