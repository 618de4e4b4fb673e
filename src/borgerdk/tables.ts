import type { Insertable, Selectable } from 'kysely';
import type { Timestamp } from '../platform/tables.ts';

export interface BorgerdkArticlesTable {
  id: string;
  /** borger.dk's own ArticleID. */
  article_id: number;
  /** The fields below are null until the first good fetch, and then keep the last good copy. */
  title: string | null;
  header: string | null;
  url: string | null;
  published_at: Timestamp | null;
  /** borger.dk's LastUpdated: when the article itself last changed. */
  last_updated_at: Timestamp | null;
  /** The article's content HTML, sanitised. */
  content: string | null;
  /** JSON of `ArticleParts` (model.ts). */
  parts: string | null;
  /** Tells a changed article from an unchanged one, so only a change refreshes cached pages. */
  content_hash: string | null;
  /** The last good fetch. */
  fetched_at: Timestamp | null;
  last_attempt_at: Timestamp | null;
  /** Danish, shown to the editors; null after a good fetch. */
  last_error: string | null;
  imported_by: string | null;
  imported_at: Timestamp;
}

export type BorgerdkArticleRow = Selectable<BorgerdkArticlesTable>;
export type NewBorgerdkArticle = Insertable<BorgerdkArticlesTable>;
