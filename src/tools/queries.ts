import { keysOfMany } from '../intranet/items.ts';
import { visibleAmong, visibleObjects, type AudienceKey, type Viewer } from '../intranet/audience.ts';
import type { DbOrTx } from '../platform/database.ts';
import { byDanishName, TOOL_TOPICS, type Tool } from './model.ts';
import * as store from './store.ts';

// Far more than a municipality's tool directory holds; the audience index stops each key's scan there.
const MAX_TOOLS = 1000;

/** The active tools this reader may see, by name. */
export async function visibleTools(db: DbOrTx, viewer: Viewer): Promise<Tool[]> {
  const visible = await visibleObjects(db, viewer, { categories: ['tool'], order: 'asc', limit: MAX_TOOLS });
  return (await store.activeTools(db, visible.map((v) => v.id))).sort(byDanishName);
}

/** The reader's pinned tools that they may still see, in their own order. */
export async function pinnedTools(db: DbOrTx, viewer: Viewer): Promise<Tool[]> {
  const ids = await store.pinnedToolIds(db, viewer.personId);
  const [tools, visible] = await Promise.all([store.activeTools(db, ids), visibleAmong(db, viewer, 'tool', ids)]);
  const byId = new Map(tools.filter((t) => visible.has(t.id)).map((t) => [t.id, t]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export interface TopicGroup {
  topic: string;
  tools: Tool[];
}

/** Tools by topic: the fixed topics in their order, then the editors' own topics alphabetically. */
export function groupByTopic(tools: Tool[]): TopicGroup[] {
  const groups = new Map<string, Tool[]>();
  for (const t of tools) groups.set(t.topic, [...(groups.get(t.topic) ?? []), t]);
  const rank = (topic: string) => {
    const i = (TOOL_TOPICS as readonly string[]).indexOf(topic);
    return i === -1 ? TOOL_TOPICS.length : i;
  };
  return [...groups]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b, 'da'))
    .map(([topic, list]) => ({ topic, tools: list.sort(byDanishName) }));
}

/** How closely a tool's audience fits the reader: their own unit first, then their role, then everyone. */
function closeness(keys: AudienceKey[], viewer: Viewer): number {
  const mine = (k: AudienceKey) => viewer.keys.some((v) => v.kind === k.kind && v.value === k.value);
  if (keys.some((k) => k.kind === 'unit' && mine(k))) return 0;
  if (keys.some((k) => k.kind === 'role' && mine(k))) return 1;
  return 2;
}

/**
 * The tools for the personal home page: the reader's pins in their order, then the tools meant for their unit,
 * then for their role, then for everyone — alphabetically within each.
 */
export async function toolsForHome(db: DbOrTx, viewer: Viewer, limit: number): Promise<Tool[]> {
  if (limit <= 0) return [];
  const [pinned, visible] = await Promise.all([pinnedTools(db, viewer), visibleTools(db, viewer)]);
  const pinnedIds = new Set(pinned.map((t) => t.id));
  const rest = visible.filter((t) => !pinnedIds.has(t.id));
  const keys = await keysOfMany(db, 'tool', rest.map((t) => t.id));
  const ranked = rest
    .map((tool) => ({ tool, rank: closeness(keys.get(tool.id) ?? [], viewer) }))
    .sort((a, b) => a.rank - b.rank || byDanishName(a.tool, b.tool))
    .map((r) => r.tool);
  return [...pinned, ...ranked].slice(0, limit);
}
