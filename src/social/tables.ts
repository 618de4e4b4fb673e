import type { Selectable } from 'kysely';
import type { Flag, Timestamp } from '../platform/tables.ts';

export interface SocialAccountsTable {
  id: string;
  network: string;
  handle: string;
  name: string;
  unit_id: string;
  editor_group_id: string;
  adviser_group_id: string | null;
  requires_approval: Flag;
  api_base: string;
  external_id: string | null;
  /** The tokens as JSON, sealed with the secret key (see platform/secret-box.ts). */
  token_sealed: string | null;
  status: string;
  status_note: string | null;
  connected_at: Timestamp | null;
  connected_by: string | null;
  rate_limited_until: Timestamp | null;
  sending_until: Timestamp | null;
  sending_by: string | null;
  active: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** JSON: [{ weekday, opens, closes }]; null for the usual hours. */
  business_hours: string | null;
}

export interface SocialPostsTable {
  id: string;
  batch_id: string;
  account_id: string;
  item_id: string | null;
  text: string;
  link_url: string | null;
  media_id: string | null;
  image_alt: string | null;
  state: string;
  scheduled_at: Timestamp;
  next_attempt_at: Timestamp | null;
  attempts: number;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  submitted_at: Timestamp | null;
  approved_by: string | null;
  approved_at: Timestamp | null;
  external_id: string | null;
  external_url: string | null;
  sent_at: Timestamp | null;
  error_kind: string | null;
  last_error: string | null;
}

export interface SocialPostAttemptsTable {
  id: string;
  post_id: string;
  number: number;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  outcome: string | null;
  detail: string | null;
}

export type SocialAccountRow = Selectable<SocialAccountsTable>;
export type SocialPostRow = Selectable<SocialPostsTable>;
export type SocialPostAttemptRow = Selectable<SocialPostAttemptsTable>;

export interface SocialDatabase {
  social_accounts: SocialAccountsTable;
  social_posts: SocialPostsTable;
  social_post_attempts: SocialPostAttemptsTable;
}
