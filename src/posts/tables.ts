import type { Selectable } from 'kysely';
import type { Flag, Timestamp } from '../platform/tables.ts';

export interface PostsTable {
  id: string;
  author_id: string;
  /** Markdown, at most 5000 characters. */
  body: string;
  /** JSON of the Audience the author chose; who actually sees the post is in audience_entries. */
  audience: string;
  created_at: Timestamp;
  edited_at: Timestamp | null;
  removed_at: Timestamp | null;
  removed_by: string | null;
  removed_reason: string | null;
}

export interface PostCommentsTable {
  id: string;
  post_id: string;
  author_id: string;
  body: string;
  created_at: Timestamp;
  edited_at: Timestamp | null;
  removed_at: Timestamp | null;
  removed_by: string | null;
  removed_reason: string | null;
}

export interface PostReactionsTable {
  post_id: string;
  person_id: string;
  /** One of REACTION_KINDS. */
  kind: string;
  created_at: Timestamp;
}

export interface PostMentionsTable {
  /** 'post' or 'comment'. */
  source_type: string;
  source_id: string;
  post_id: string;
  person_id: string;
  /** 1 when the person could see the post and was told. */
  notified: Flag;
}

/** The tables of this part, added to the Database interface in src/platform/database.ts. */
export interface PostsDatabase {
  posts: PostsTable;
  post_comments: PostCommentsTable;
  post_reactions: PostReactionsTable;
  post_mentions: PostMentionsTable;
}

export type PostRow = Selectable<PostsTable>;
export type CommentRow = Selectable<PostCommentsTable>;
