import { parseContent } from '../content/service.ts';
import type { Content, ItemType } from '../content/types.ts';
import { JOB_ROLE_LABELS, type JobRole } from '../org/model.ts';
import type { DbOrTx } from '../platform/database.ts';
import type { AudienceKey } from './audience.ts';

/** Where each type of item lives on the intranet: /intranet/<section>/<slug>. */
export const INTRANET_SECTIONS: Record<ItemType, { path: string; label: string }> = {
  news: { path: 'nyheder', label: 'Nyhed' },
  event: { path: 'arrangementer', label: 'Arrangement' },
  knowledge: { path: 'viden', label: 'Viden' },
  leader_module: { path: 'leder-gps', label: 'Leder-GPS' },
  page: { path: 'sider', label: 'Side' },
  campaign: { path: 'kampagner', label: 'Kampagne' },
  alert: { path: 'varsler', label: 'Varsel' },
  selfservice: { path: 'selvbetjening', label: 'Selvbetjening' },
};

export const intranetHref = (type: string, slug: string): string => `/intranet/${INTRANET_SECTIONS[type as ItemType]?.path ?? 'sider'}/${slug}`;

export interface LiveIntranetItem {
  id: string;
  type: ItemType;
  slug: string;
  href: string;
  firstPublishedAt: string | null;
  liveSince: string | null;
  content: Content;
}

/** The live editions of these items, in the order asked for; items no longer live are left out. */
export async function liveItems(db: DbOrTx, ids: string[]): Promise<LiveIntranetItem[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('items')
    .innerJoin('revisions', (join) => join.onRef('revisions.item_id', '=', 'items.id').onRef('revisions.number', '=', 'items.live_revision'))
    .select(['items.id', 'items.type', 'items.slug', 'items.first_published_at', 'items.live_since', 'revisions.content'])
    .where('items.id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r
      ? [{ id: r.id, type: r.type as ItemType, slug: r.slug, href: intranetHref(r.type, r.slug), firstPublishedAt: r.first_published_at, liveSince: r.live_since, content: parseContent(r.content) }]
      : [];
  });
}

/** "Alle", "Ledere, Dagplejen" …: who an object is meant for, as its readers see it. */
export async function describeAudience(db: DbOrTx, keys: AudienceKey[]): Promise<string> {
  return (await describeAudiences(db, new Map([['', keys]]))).get('') ?? '';
}

/** The same for several objects at once, with one lookup of the units' and groups' names. */
export async function describeAudiences(db: DbOrTx, keysById: Map<string, AudienceKey[]>): Promise<Map<string, string>> {
  const all = [...keysById.values()].flat();
  const unitIds = [...new Set(all.filter((k) => k.kind === 'unit').map((k) => k.value))];
  const groupIds = [...new Set(all.filter((k) => k.kind === 'group').map((k) => k.value))];
  const [units, groups] = await Promise.all([
    unitIds.length ? db.selectFrom('units').select(['id', 'name']).where('id', 'in', unitIds).execute() : [],
    groupIds.length ? db.selectFrom('groups').select(['id', 'name']).where('id', 'in', groupIds).execute() : [],
  ]);
  const names = new Map([...units, ...groups].map((r) => [r.id, r.name]));
  const byName = (a: string, b: string) => a.localeCompare(b, 'da');
  const out = new Map<string, string>();
  for (const [id, keys] of keysById) {
    if (keys.some((k) => k.kind === 'everyone')) {
      out.set(id, 'Alle');
      continue;
    }
    const roles = keys.filter((k) => k.kind === 'role').map((k) => ROLE_PLURALS[k.value as JobRole] ?? JOB_ROLE_LABELS[k.value as JobRole] ?? k.value);
    const units = keys.filter((k) => k.kind === 'unit').map((k) => names.get(k.value) ?? '').filter(Boolean).sort(byName);
    const groups = keys.filter((k) => k.kind === 'group').map((k) => names.get(k.value) ?? '').filter(Boolean).sort(byName);
    out.set(id, [...roles, ...units, ...groups].join(', '));
  }
  return out;
}

/** The audience keys of several objects of one type. */
export async function keysOfMany(db: DbOrTx, type: string, ids: string[]): Promise<Map<string, AudienceKey[]>> {
  const out = new Map<string, AudienceKey[]>(ids.map((id) => [id, []]));
  if (!ids.length) return out;
  const rows = await db.selectFrom('audience_entries').select(['object_id', 'kind', 'value']).distinct().where('object_type', '=', type).where('object_id', 'in', ids).execute();
  for (const r of rows) out.get(r.object_id)?.push({ kind: r.kind as AudienceKey['kind'], value: r.value });
  return out;
}

const ROLE_PLURALS: Record<JobRole, string> = { employee: 'Medarbejdere', manager: 'Ledere', politician: 'Politikere' };
