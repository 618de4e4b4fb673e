import { renderMarkdown } from '../content/markdown.ts';
import type { Content } from '../content/types.ts';
import type { DbOrTx } from '../platform/database.ts';
import { chosenMicroArticles, readParts } from './model.ts';
import * as store from './store.ts';

// A page tied to a borger.dk article: the page's own body is the municipality's text before the article; this
// is what follows it on the public page (see views/article.njk) and what the edit form offers to choose from.

/** The page fields that tie a page to an article, read defensively from a stored revision. */
export function pageTie(content: Content): { articleId: number | null; microArticles: string[]; textAfter: string } {
  const f = content.fields ?? {};
  const id = f.borgerdkArticleId;
  return {
    articleId: typeof id === 'number' && Number.isInteger(id) && id > 0 ? id : null,
    microArticles: Array.isArray(f.borgerdkMicroArticles) ? f.borgerdkMicroArticles.filter((m): m is string => typeof m === 'string') : [],
    textAfter: typeof f.textAfter === 'string' ? f.textAfter : '',
  };
}

/**
 * What the public page shows after the page's own text: the chosen micro-articles, self-service links,
 * legislation, recommendation and byline of the last good copy, then the local text after. An article
 * that has never been fetched shows nothing of borger.dk, only the local text. Null when the page has neither.
 */
export async function borgerdkForItem(db: DbOrTx, content: Content) {
  const tie = pageTie(content);
  const textAfterHtml = tie.textAfter.trim() ? renderMarkdown(tie.textAfter) : '';
  const row = tie.articleId === null ? undefined : await store.findByArticleId(db, tie.articleId);
  if (!row?.fetched_at && !textAfterHtml) return null;
  if (!row?.fetched_at) return { article: null, textAfterHtml };
  const parts = readParts(row.parts);
  return {
    article: {
      title: row.title ?? '',
      url: row.url || 'https://www.borger.dk/',
      updatedAt: row.last_updated_at ?? row.fetched_at,
      selfServiceLinks: parts.selfServiceLinks,
      microArticles: chosenMicroArticles(parts.microArticles, tie.microArticles),
      legislation: parts.legislation,
      recommendation: parts.recommendation,
      byline: parts.byline,
    },
    textAfterHtml,
  };
}

/** The edit form's choices: every imported article, and the micro-articles of the one chosen (if it has been fetched). */
export async function borgerdkEditorChoices(db: DbOrTx, chosenArticleId: string | string[] | undefined) {
  const chosen = Number(Array.isArray(chosenArticleId) ? chosenArticleId[0] : chosenArticleId);
  const rows = await store.listArticles(db);
  const danish = new Intl.Collator('da');
  const articles = rows
    .map((r) => ({ value: String(r.article_id), text: r.title ? `${r.title} (${r.article_id})` : `Artikel ${r.article_id} (ikke hentet endnu)` }))
    .sort((a, b) => danish.compare(a.text, b.text));
  const row = rows.find((r) => Number(r.article_id) === chosen);
  return {
    articles,
    chosen: row ? { articleId: Number(row.article_id), fetched: !!row.fetched_at, url: row.url } : null,
    microArticles: row ? readParts(row.parts).microArticles.map((m) => ({ value: m.id, text: m.heading })) : [],
  };
}
