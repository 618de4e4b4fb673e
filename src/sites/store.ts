import type { DbOrTx } from '../platform/database.ts';
import type { SiteRow, SitesTable } from './tables.ts';

export type SiteKind = 'subsite' | 'independent';

export interface MenuLink {
  text: string;
  href: string;
}

export interface Site {
  id: string;
  kind: SiteKind;
  unitId: string;
  name: string;
  slug: string;
  host: string | null;
  intro: string;
  menu: MenuLink[];
  slotCount: number;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

function parseMenu(json: string): MenuLink[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((l): l is MenuLink => typeof l?.text === 'string' && typeof l?.href === 'string') : [];
  } catch {
    return [];
  }
}

export function toSite(r: SiteRow): Site {
  return {
    id: r.id,
    kind: r.kind as SiteKind,
    unitId: r.unit_id,
    name: r.name,
    slug: r.slug,
    host: r.host,
    intro: r.intro,
    menu: parseMenu(r.menu),
    slotCount: r.slot_count,
    active: r.active === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function findSite(db: DbOrTx, id: string): Promise<Site | undefined> {
  const row = await db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toSite(row);
}

export async function siteOfUnit(db: DbOrTx, unitId: string): Promise<Site | undefined> {
  const row = await db.selectFrom('sites').selectAll().where('unit_id', '=', unitId).executeTakeFirst();
  return row && toSite(row);
}

export async function siteBySlug(db: DbOrTx, slug: string): Promise<Site | undefined> {
  const row = await db.selectFrom('sites').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row && toSite(row);
}

export async function listSites(db: DbOrTx): Promise<Site[]> {
  return (await db.selectFrom('sites').selectAll().orderBy('name').execute()).map(toSite);
}

export async function insertSite(tx: DbOrTx, row: SitesTable): Promise<void> {
  await tx.insertInto('sites').values(row).execute();
}

export async function updateSite(tx: DbOrTx, id: string, changes: Partial<SitesTable>): Promise<void> {
  await tx.updateTable('sites').set(changes).where('id', '=', id).execute();
}
