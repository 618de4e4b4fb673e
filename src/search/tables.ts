import type { Selectable } from 'kysely';
import type { Timestamp } from '../platform/tables.ts';

/**
 * One live item that readers can find on a public site, as the search shows it. The stemmed index beside it
 * differs by database (an FTS5 table and a `doc` number on SQLite; tsvector columns and `subsite_units` on
 * PostgreSQL) and is reached through raw SQL in store.ts only.
 */
export interface SearchEntriesTable {
  item_id: string;
  type: string;
  title: string;
  summary: string;
  /** The live body as plain text, for excerpts. */
  body: string;
  /** A self-service entry's keywords, one a line. */
  keywords: string;
  /** Where a self-service entry leads; '' for other types. */
  target_url: string;
  language: string;
  /** The first main-website section it is placed in; null when it is on subsites only. */
  section: string | null;
  live_since: Timestamp;
}

/** The words of live titles and keywords, with how many entries use each: the vocabulary of "Mente du …?". */
export interface SearchWordsTable {
  word: string;
  uses: number;
}

/** Each known word under itself and under every form of it with one letter left out (see spelling.ts). */
export interface SearchWordFormsTable {
  form: string;
  word: string;
}

export type SearchEntryRow = Selectable<SearchEntriesTable>;
