import { createHash } from 'node:crypto';
import { auditActor, type Actor } from '../org/actor.ts';
import { audit } from '../platform/audit/service.ts';
import type { Db, Tx } from '../platform/database.ts';
import { ForbiddenError, NotFoundError } from '../platform/errors.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { bumpSiteGeneration } from '../site/generation.ts';
import { canManageBorgerdk } from './access.ts';
import { BorgerdkFetchError, type BorgerdkClient } from './client.ts';
import { parseContent } from './content-html.ts';
import { type ExportedArticle, parseArticleIds } from './model.ts';
import * as store from './store.ts';
import type { BorgerdkArticleRow } from './tables.ts';

/** How one article fared in one refresh. `error` is Danish, as stored and shown. */
export interface RefreshOutcome {
  articleId: number;
  ok: boolean;
  changed: boolean;
  error: string | null;
}

const BORGERDK_HOME = 'https://www.borger.dk/';

const missing = (articleId: number) =>
  new BorgerdkFetchError('missing', `Artiklen findes ikke på borger.dk, eller den må ikke hentes derfra (artikel-id ${articleId}).`);

/**
 * Asks borger.dk for the articles. Should a fault answer a call for several, each is asked for alone, so one
 * unknown or broken article does not keep the others from being refreshed.
 */
async function fetchArticles(client: BorgerdkClient, ids: number[]): Promise<Map<number, ExportedArticle | BorgerdkFetchError>> {
  const results = new Map<number, ExportedArticle | BorgerdkFetchError>();
  try {
    const found = await client.getArticlesByIds(ids);
    for (const a of found) if (ids.includes(a.articleId)) results.set(a.articleId, a);
    for (const id of ids) if (!results.has(id)) results.set(id, missing(id));
  } catch (error) {
    if (!(error instanceof BorgerdkFetchError)) throw error;
    if (error.kind === 'fault' && ids.length > 1) {
      for (const id of ids) results.set(id, (await fetchArticles(client, [id])).get(id)!);
    } else {
      for (const id of ids) results.set(id, error);
    }
  }
  return results;
}

const httpUrl = (url: string): string => (/^https?:\/\/[^\s]+$/i.test(url) && URL.canParse(url) ? url : '');

/** The article as it will be stored: sanitised, split into its parts, and a fingerprint to see whether it changed. */
function goodCopy(article: ExportedArticle, at: string): store.GoodCopy {
  const url = httpUrl(article.url);
  const { document, parts } = parseContent(article.content, url || BORGERDK_HOME);
  const title = article.title || `borger.dk-artikel ${article.articleId}`;
  const contentHash = createHash('sha256').update(JSON.stringify([title, article.header, url, article.lastUpdatedAt, document])).digest('hex');
  return { title, header: article.header, url, publishedAt: article.publishedAt, lastUpdatedAt: article.lastUpdatedAt, content: document, parts: JSON.stringify(parts), contentHash, at };
}

const logEntry = (tx: Tx, actor: Actor | null, action: string, row: BorgerdkArticleRow, details: Record<string, unknown>) =>
  audit(tx, { ...(actor ? auditActor(actor) : { actorId: null, actorLabel: 'system', ip: null }), action, objectType: 'borgerdk_article', objectId: row.id, details: { articleId: Number(row.article_id), ...details } });

/**
 * Fetches the articles (already imported) and stores what came back. A good answer replaces the stored copy and
 * clears the error; a failed one keeps the last good copy and records why. A changed article refreshes cached pages.
 * `actor` null is the scheduled job: it writes to the audit log only when an article changed.
 */
export async function refreshArticles(db: Db, client: BorgerdkClient, articleIds: number[], actor: Actor | null): Promise<RefreshOutcome[]> {
  const ids = [...new Set(articleIds)];
  if (ids.length === 0) return [];
  const fetched = await fetchArticles(client, ids);
  const outcomes: RefreshOutcome[] = [];
  for (const articleId of ids) {
    const result = fetched.get(articleId)!;
    const at = nowIso();
    const outcome = await db.transaction().execute(async (tx): Promise<RefreshOutcome | null> => {
      const row = await store.findByArticleId(tx, articleId);
      // Removed meanwhile: nothing to keep up to date.
      if (!row) return null;
      if (result instanceof BorgerdkFetchError) {
        await store.saveFailure(tx, articleId, result.message, at);
        if (actor) await logEntry(tx, actor, 'borgerdk.article_refresh_failed', row, { error: result.message });
        return { articleId, ok: false, changed: false, error: result.message };
      }
      const copy = goodCopy(result, at);
      const changed = copy.contentHash !== row.content_hash;
      await store.saveGoodCopy(tx, articleId, copy);
      if (changed) await bumpSiteGeneration(tx);
      if (actor || changed) await logEntry(tx, actor, actor ? 'borgerdk.article_refreshed' : 'borgerdk.article_updated', row, { changed });
      return { articleId, ok: true, changed, error: null };
    });
    if (outcome) outcomes.push(outcome);
  }
  return outcomes;
}

/**
 * Imports articles by the ids an editor typed: refuses the whole list if one id is not a number, otherwise
 * records each new article (so the daily refresh keeps trying even if borger.dk is away now) and fetches them.
 */
export async function importArticles(db: Db, actor: Actor, client: BorgerdkClient, text: string): Promise<RefreshOutcome[]> {
  if (!canManageBorgerdk(actor)) throw new ForbiddenError('Artikler fra borger.dk importeres af hjemmesidens redaktører.');
  const ids = parseArticleIds(text);
  await db.transaction().execute(async (tx) => {
    for (const articleId of ids) {
      const row = { id: newId(), article_id: articleId, title: null, header: null, url: null, published_at: null, last_updated_at: null, content: null, parts: null, content_hash: null, fetched_at: null, last_attempt_at: null, last_error: null, imported_by: actor.personId || null, imported_at: nowIso() };
      if (await store.insertArticle(tx, row)) await logEntry(tx, actor, 'borgerdk.article_imported', row, {});
    }
  });
  return refreshArticles(db, client, ids, actor);
}

/** "Opdater nu" on one article. */
export async function refreshNow(db: Db, actor: Actor, client: BorgerdkClient, id: string): Promise<RefreshOutcome> {
  if (!canManageBorgerdk(actor)) throw new ForbiddenError('Artikler fra borger.dk opdateres af hjemmesidens redaktører.');
  const row = await store.findArticle(db, id);
  if (!row) throw new NotFoundError('Artiklen fra borger.dk findes ikke her.');
  const [outcome] = await refreshArticles(db, client, [Number(row.article_id)], actor);
  if (!outcome) throw new NotFoundError('Artiklen fra borger.dk findes ikke her.');
  return outcome;
}

export interface ArticleSummary {
  id: string;
  articleId: number;
  title: string | null;
  url: string | null;
  lastUpdatedAt: string | null;
  fetchedAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
}

const danish = new Intl.Collator('da');

/** The imported articles for the editors: named ones alphabetically, then those never fetched. */
export async function listImported(db: Db, actor: Actor): Promise<ArticleSummary[]> {
  if (!canManageBorgerdk(actor)) throw new ForbiddenError();
  const rows = await store.listArticles(db);
  return rows
    .map((r) => ({
      id: r.id,
      articleId: Number(r.article_id),
      title: r.title,
      url: r.url,
      lastUpdatedAt: r.last_updated_at,
      fetchedAt: r.fetched_at,
      lastAttemptAt: r.last_attempt_at,
      lastError: r.last_error,
    }))
    .sort((a, b) => (a.title === null) !== (b.title === null) ? (a.title === null ? 1 : -1) : danish.compare(a.title ?? '', b.title ?? '') || a.articleId - b.articleId);
}
