import type { Selectable } from 'kysely';
import type { Flag, Timestamp } from '../platform/tables.ts';

export interface InboxItemsTable {
  id: string;
  account_id: string;
  external_id: string;
  /** 'comment', 'reply' or 'mention'. */
  kind: string;
  parent_external_id: string | null;
  root_external_id: string | null;
  social_post_id: string | null;
  author_name: string;
  author_handle: string | null;
  text: string;
  url: string | null;
  written_at: Timestamp;
  received_at: Timestamp;
  /** JSON list of category ids. */
  categories: string;
  /** JSON list of { category, ruleId, label, matches }. */
  reasons: string;
  /** 'open' or 'done'. */
  state: string;
  assigned_to: string | null;
  done_by: string | null;
  done_at: Timestamp | null;
  answered_at: Timestamp | null;
  answer_due_at: Timestamp | null;
  hidden: Flag;
  deleted: Flag;
  escalated_to: string | null;
  escalated_at: Timestamp | null;
}

export interface InboxItemCategoriesTable {
  item_id: string;
  category: string;
  account_id: string;
  state: string;
  received_at: Timestamp;
}

export interface InboxCursorsTable {
  account_id: string;
  cursor: string | null;
  polled_at: Timestamp | null;
  last_error: string | null;
}

export interface InboxRepliesTable {
  id: string;
  item_id: string;
  text: string;
  saved_reply_id: string | null;
  sent_by: string;
  sent_at: Timestamp;
  external_id: string | null;
}

export interface ModerationRulesTable {
  id: string;
  category: string;
  label: string;
  /** JSON: { words, patterns, near, unless, within }. */
  definition: string;
  active: Flag;
  position: number;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface SavedRepliesTable {
  id: string;
  title: string;
  text: string;
  category: string | null;
  active: Flag;
  position: number;
  updated_at: Timestamp;
}

export interface RemovalRecordsTable {
  id: string;
  item_id: string;
  account_id: string;
  /** 'hide' or 'delete'. */
  action: string;
  item_text: string;
  author_name: string;
  author_handle: string | null;
  written_at: Timestamp;
  network_url: string | null;
  /** JSON: the post and the comments around it, as they stood. */
  thread: string;
  categories: string;
  /** The guideline point applied, in words. */
  guideline: string;
  reason: string;
  decided_by: string;
  decided_at: Timestamp;
  carried_out_at: Timestamp | null;
  undone_at: Timestamp | null;
  undone_by: string | null;
  keep_until: Timestamp;
}

export interface InboxBlocksTable {
  id: string;
  account_id: string;
  author_handle: string;
  author_name: string;
  reason: string;
  review_on: string;
  decided_by: string;
  decided_at: Timestamp;
  lifted_at: Timestamp | null;
  /** When the network itself last blocked the author (Mastodon, Bluesky); null when it did not or the block was lifted there. */
  network_blocked_at: Timestamp | null;
  /** Why the network did not carry out the last block or lift, in Danish; null when it did or was not asked. */
  network_note: string | null;
}

export type InboxItemRow = Selectable<InboxItemsTable>;
export type RemovalRecordRow = Selectable<RemovalRecordsTable>;

export interface InboxDatabase {
  inbox_items: InboxItemsTable;
  inbox_item_categories: InboxItemCategoriesTable;
  inbox_cursors: InboxCursorsTable;
  inbox_replies: InboxRepliesTable;
  moderation_rules: ModerationRulesTable;
  saved_replies: SavedRepliesTable;
  removal_records: RemovalRecordsTable;
  inbox_blocks: InboxBlocksTable;
}
