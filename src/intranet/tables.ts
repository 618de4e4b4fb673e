import type { Timestamp } from '../platform/tables.ts';

export interface AudienceEntriesTable {
  /** 'item' for a content item, 'post' for an employee's post. */
  object_type: string;
  object_id: string;
  /** The item type ('news', 'event', 'knowledge' …), 'post', or 'must_read' for an item that must be acknowledged. */
  category: string;
  /** 'everyone', 'role', 'unit' or 'group'. */
  kind: string;
  value: string;
  /** When it went live; for an event, when it starts. */
  sort_at: Timestamp;
}

export interface IntranetTextsTable {
  object_type: string;
  object_id: string;
  /** " stem stem … ": the live text's words, stemmed, with a space before and after each. */
  stems: string;
  sort_at: Timestamp;
}

export interface IntranetDatabase {
  audience_entries: AudienceEntriesTable;
  intranet_texts: IntranetTextsTable;
}
