import type { Selectable } from 'kysely';
import type { Flag, Timestamp } from '../platform/tables.ts';

export interface SitesTable {
  id: string;
  /** 'subsite' (an institution's, at /<slug>) or 'independent' (own host name only). */
  kind: string;
  unit_id: string;
  name: string;
  slug: string;
  host: string | null;
  intro: string;
  /** JSON list of { text, href }. */
  menu: string;
  slot_count: number;
  active: Flag;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FrontSlotsTable {
  /** 'main' for the main website, otherwise a site's id. */
  site_key: string;
  position: number;
  item_id: string;
  placed_by: string | null;
  placed_at: Timestamp;
}

export interface SelfserviceUsesTable {
  item_id: string;
  /** Copenhagen date, YYYY-MM-DD. */
  day: string;
  uses: number;
}

export type SiteRow = Selectable<SitesTable>;
