import type { DbOrTx } from '../platform/database.ts';
import type { BorgerdkArticleRow, NewBorgerdkArticle } from './tables.ts';

export function listArticles(db: DbOrTx): Promise<BorgerdkArticleRow[]> {
  return db.selectFrom('borgerdk_articles').selectAll().orderBy('article_id').execute();
}

export function findArticle(db: DbOrTx, id: string): Promise<BorgerdkArticleRow | undefined> {
  return db.selectFrom('borgerdk_articles').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findByArticleId(db: DbOrTx, articleId: number): Promise<BorgerdkArticleRow | undefined> {
  return db.selectFrom('borgerdk_articles').selectAll().where('article_id', '=', articleId).executeTakeFirst();
}

export async function allArticleIds(db: DbOrTx): Promise<number[]> {
  return (await db.selectFrom('borgerdk_articles').select('article_id').orderBy('article_id').execute()).map((r) => Number(r.article_id));
}

/** Adds the article unless it is already there; true when it was added. */
export async function insertArticle(db: DbOrTx, row: NewBorgerdkArticle): Promise<boolean> {
  const result = await db.insertInto('borgerdk_articles').values(row).onConflict((oc) => oc.column('article_id').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export interface GoodCopy {
  title: string;
  header: string;
  url: string;
  publishedAt: string | null;
  lastUpdatedAt: string | null;
  content: string;
  parts: string;
  contentHash: string;
  at: string;
}

export async function saveGoodCopy(db: DbOrTx, articleId: number, copy: GoodCopy): Promise<void> {
  await db
    .updateTable('borgerdk_articles')
    .set({
      title: copy.title,
      header: copy.header,
      url: copy.url,
      published_at: copy.publishedAt,
      last_updated_at: copy.lastUpdatedAt,
      content: copy.content,
      parts: copy.parts,
      content_hash: copy.contentHash,
      fetched_at: copy.at,
      last_attempt_at: copy.at,
      last_error: null,
    })
    .where('article_id', '=', articleId)
    .execute();
}

/** Records a failed attempt; the last good copy is left as it is. */
export async function saveFailure(db: DbOrTx, articleId: number, error: string, at: string): Promise<void> {
  await db.updateTable('borgerdk_articles').set({ last_error: error.slice(0, 1000), last_attempt_at: at }).where('article_id', '=', articleId).execute();
}
