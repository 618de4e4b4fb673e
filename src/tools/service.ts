import { audienceKeys, mayView, removeAudience, writeAudience, type Viewer } from '../intranet/audience.ts';
import { auditActor, type Actor } from '../org/actor.ts';
import { fieldErrors } from '../org/model.ts';
import { audit } from '../platform/audit/service.ts';
import type { Db, Tx } from '../platform/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { canEditTools } from './access.ts';
import { nameSortKey, toolInput, type Tool, type ToolInput } from './model.ts';
import * as store from './store.ts';

// Every write: check the right, validate, change in one transaction with its audit entry and its audience.

const log = (tx: Tx, actor: Actor, action: string, toolId: string, details: Record<string, unknown> = {}) =>
  audit(tx, { ...auditActor(actor), action, objectType: 'tool', objectId: toolId, details });

function require(allowed: boolean): void {
  if (!allowed) throw new ForbiddenError();
}

/** The form's rules and the check that every chosen unit exists, so every problem is shown in one go. */
async function validate(tx: Tx, raw: unknown): Promise<ToolInput> {
  const result = toolInput.safeParse(raw);
  const problems = result.success ? {} : fieldErrors(result.error);
  const typed = (raw ?? {}) as { unitIds?: unknown };
  const unitIds = Array.isArray(typed.unitIds) ? typed.unitIds.filter((u): u is string => typeof u === 'string' && u.trim() !== '') : [];
  if (unitIds.length && !problems.unitIds) {
    const found = await tx.selectFrom('units').select('id').where('id', 'in', unitIds).where('active', '=', 1).execute();
    if (found.length !== new Set(unitIds).size) problems.unitIds = 'En af de valgte enheder findes ikke længere. Vælg enhederne igen.';
  }
  if (Object.keys(problems).length) throw new ValidationError(problems);
  return result.data!;
}

/** Who sees the tool, rewritten with every change. A deactivated tool is seen by nobody. */
async function writeToolAudience(tx: Tx, id: string, tool: Pick<Tool, 'name' | 'audience' | 'active'>): Promise<void> {
  const ref = { type: 'tool' as const, id };
  if (!tool.active) return removeAudience(tx, ref);
  await writeAudience(tx, ref, audienceKeys({ ...tool.audience, groupIds: [] }), [{ category: 'tool', sortAt: nameSortKey(tool.name) }]);
}

export async function createTool(db: Db, actor: Actor, raw: unknown): Promise<string> {
  require(canEditTools(actor));
  return db.transaction().execute(async (tx) => {
    const input = await validate(tx, raw);
    const id = await store.insertTool(tx, input);
    await writeToolAudience(tx, id, { ...input, active: true });
    await log(tx, actor, 'tool.created', id, { name: input.name, url: input.url, audience: input.audience });
    return id;
  });
}

export async function updateTool(db: Db, actor: Actor, id: string, raw: unknown): Promise<void> {
  require(canEditTools(actor));
  await db.transaction().execute(async (tx) => {
    const before = await store.findTool(tx, id);
    if (!before) throw new NotFoundError('Værktøjet findes ikke.');
    const input = await validate(tx, raw);
    await store.updateTool(tx, id, input);
    await writeToolAudience(tx, id, { ...input, active: before.active });
    const changed = (['name', 'url', 'description', 'topic', 'audience'] as const).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(input[k]));
    await log(tx, actor, 'tool.updated', id, { changed });
  });
}

export async function setToolActive(db: Db, actor: Actor, id: string, active: boolean): Promise<void> {
  require(canEditTools(actor));
  await db.transaction().execute(async (tx) => {
    const tool = await store.findTool(tx, id);
    if (!tool) throw new NotFoundError('Værktøjet findes ikke.');
    await store.setToolActive(tx, id, active);
    await writeToolAudience(tx, id, { ...tool, active });
    await log(tx, actor, active ? 'tool.enabled' : 'tool.disabled', id, { name: tool.name });
  });
}

/** A reader may pin only a tool they can see; any other is the same 404 as one that does not exist. */
async function visibleTool(tx: Tx, viewer: Viewer, id: string): Promise<Tool> {
  const tool = await store.findTool(tx, id);
  if (!tool || !tool.active || !(await mayView(tx, viewer, { type: 'tool', id }))) throw new NotFoundError('Værktøjet findes ikke.');
  return tool;
}

export async function pinTool(db: Db, actor: Actor, viewer: Viewer, id: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const tool = await visibleTool(tx, viewer, id);
    if (await store.pin(tx, viewer.personId, id)) await log(tx, actor, 'tool.pinned', id, { name: tool.name });
  });
}

export async function unpinTool(db: Db, actor: Actor, viewer: Viewer, id: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const tool = await visibleTool(tx, viewer, id);
    if (await store.unpin(tx, viewer.personId, id)) await log(tx, actor, 'tool.unpinned', id, { name: tool.name });
  });
}
