import { sql } from 'kysely';

/** A LIKE pattern for free text, with the person's own % and _ taken literally. */
export const likePattern = (q: string): string => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * `column LIKE '%q%'`, case-insensitive. The escape clause is needed on SQLite, which has no default escape
 * character; PostgreSQL's default is the same backslash. Set `lower` false for columns already kept in lower case.
 */
export const containsText = (column: string, q: string, lower = true) =>
  lower ? sql<boolean>`lower(${sql.ref(column)}) like ${likePattern(q)} escape '\\'` : sql<boolean>`${sql.ref(column)} like ${likePattern(q)} escape '\\'`;
