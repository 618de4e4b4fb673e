import { visibleObjects, type Viewer } from '../intranet/audience.ts';
import { liveItems, type LiveIntranetItem } from '../intranet/items.ts';
import { LEADERSHIP_LEVELS, type LeadershipLevel } from '../org/model.ts';
import type { DbOrTx } from '../platform/database.ts';

// Knowledge articles and Leder-GPS modules are tens or hundreds, never tens of thousands, so the reader's whole
// list is read through the audience index (a few range scans) and filtered here.
const MAX_ITEMS = 1000;

/** The topic that marks a knowledge article as competence development. */
export const COMPETENCE_TOPIC = 'Kompetenceudvikling';

const folded = (s: string): string => s.toLocaleLowerCase('da').trim();

/** The live knowledge articles this reader may see, newest first. */
export async function visibleKnowledge(db: DbOrTx, viewer: Viewer): Promise<LiveIntranetItem[]> {
  const visible = await visibleObjects(db, viewer, { categories: ['knowledge'], limit: MAX_ITEMS });
  return liveItems(db, visible.map((v) => v.id));
}

export const hasTopic = (item: LiveIntranetItem, topic: string): boolean => item.content.topics.some((t) => folded(t) === folded(topic));

/** Every word of the filter appears in the title, the summary or a topic. */
export function matchesText(item: LiveIntranetItem, q: string): boolean {
  const words = folded(q).split(/\s+/).filter(Boolean);
  const haystack = folded([item.content.title, item.content.summary, ...item.content.topics].join(' '));
  return words.every((w) => haystack.includes(w));
}

/** The topics of these articles with how many each has, alphabetically; spelt as most articles spell them. */
export function topicsOf(items: LiveIntranetItem[]): { topic: string; count: number }[] {
  const byKey = new Map<string, { topic: string; count: number }>();
  for (const item of items) {
    for (const t of new Set(item.content.topics.map((x) => x.trim()).filter(Boolean))) {
      const entry = byKey.get(folded(t)) ?? { topic: t, count: 0 };
      entry.count++;
      byKey.set(folded(t), entry);
    }
  }
  return [...byKey.values()].sort((a, b) => a.topic.localeCompare(b.topic, 'da'));
}

export interface LevelGroup {
  level: LeadershipLevel;
  own: boolean;
  modules: LiveIntranetItem[];
}

/** The Leder-GPS modules this reader may see, by leadership level: their own level first, then the others in pipeline order. */
export async function leaderModulesByLevel(db: DbOrTx, viewer: Viewer, ownLevel: LeadershipLevel | null): Promise<LevelGroup[]> {
  const visible = await visibleObjects(db, viewer, { categories: ['leader_module'], limit: MAX_ITEMS });
  const modules = await liveItems(db, visible.map((v) => v.id));
  const levels = ownLevel ? [ownLevel, ...LEADERSHIP_LEVELS.filter((l) => l !== ownLevel)] : [...LEADERSHIP_LEVELS];
  return levels
    .map((level) => ({
      level,
      own: level === ownLevel,
      modules: modules.filter((m) => m.content.fields.leadershipLevel === level).sort((a, b) => a.content.title.localeCompare(b.content.title, 'da')),
    }))
    .filter((g) => g.own || g.modules.length > 0);
}
