import type { Selectable } from 'kysely';
import type { Flag, Timestamp } from '../platform/tables.ts';

export interface ItemsTable {
  id: string;
  type: string;
  slug: string;
  state: string;
  /** 0 while the item is placed in no channel: such items are open to every editor. */
  placed: Flag;
  owner_unit_id: string;
  /** Title and summary of the latest revision, for lists and search. */
  title: string;
  summary: string;
  search_text: string;
  latest_revision: number;
  /** The first revision of the edition being worked on; its authors may not approve it. */
  edition_start: number;
  live_revision: number | null;
  /** The edition that was live before an unpublish, so an old address can still be answered. */
  last_live_revision: number | null;
  first_published_at: Timestamp | null;
  live_since: Timestamp | null;
  submitted_by: string | null;
  approved_by: string | null;
  review_comment: string | null;
  publish_at: Timestamp | null;
  unpublish_at: Timestamp | null;
  not_reviewed: Flag;
  emergency_by: string | null;
  emergency_reason: string | null;
  unpublish_reason: string | null;
  unpublish_note: string | null;
  replaced_by: string | null;
  review_by: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface RevisionsTable {
  item_id: string;
  number: number;
  author_id: string | null;
  created_at: Timestamp;
  change_note: string;
  major: Flag;
  /** JSON of `Content`. Revisions are never changed once written. */
  content: string;
}

export interface ItemChannelsTable {
  item_id: string;
  channel: string;
}

export interface LivePlacementsTable {
  item_id: string;
  channel: string;
  target: string;
  published_at: Timestamp;
}

export interface LiveAudiencesTable {
  item_id: string;
  kind: string;
  value: string;
}

export interface MediaTable {
  id: string;
  original_name: string;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  alt: string;
  /** JSON list of { width, format, file }. */
  renditions: string;
  uploaded_by: string | null;
  created_at: Timestamp;
}

export type ItemRow = Selectable<ItemsTable>;
export type RevisionRow = Selectable<RevisionsTable>;
export type MediaRow = Selectable<MediaTable>;
