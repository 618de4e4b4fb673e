import { ValidationError } from '../platform/errors.ts';

/** A link to a self-service solution on borger.dk, from the article's `#selvbetjeningslinks`. */
export interface SelfServiceLink {
  /** borger.dk's id of the link (the last part of the `li`'s id), or its place in the list. */
  id: string;
  url: string;
  label: string;
  title: string;
}

/** One micro-article of `#kernetekst`: a heading and a short text that can be shown on its own. */
export interface MicroArticle {
  /** borger.dk's id (from `microArticle_<id>`); the municipality chooses micro-articles by it. */
  id: string;
  heading: string;
  /** Sanitised HTML. */
  html: string;
}

/** A box of the article such as `#lovgivning` or `#anbefaler`. */
export interface ArticleBox {
  heading: string;
  /** Sanitised HTML. */
  html: string;
}

/** An article's content HTML, split into the parts borger.dk marks with ids. */
export interface ArticleParts {
  selfServiceLinks: SelfServiceLink[];
  microArticles: MicroArticle[];
  legislation: ArticleBox | null;
  recommendation: ArticleBox | null;
  byline: string | null;
}

/** An article as borger.dk's export sends it (`Article`, namespace …/WSArticleExport/v1/types). */
export interface ExportedArticle {
  articleId: number;
  title: string;
  header: string;
  url: string;
  publishedAt: string | null;
  lastUpdatedAt: string | null;
  /** The content HTML as received: not yet sanitised. */
  content: string;
}

/** borger.dk's ArticleID is a .NET int. */
const MAX_ARTICLE_ID = 2_147_483_647;
/** One import asks borger.dk once; a list longer than this is more likely a mistake than a plan. */
export const MAX_IMPORT_IDS = 50;

/**
 * The article ids an editor typed, comma separated (spaces and line breaks also separate them).
 * Anything that is not a whole positive number is refused by name, so nothing is imported by half.
 */
export function parseArticleIds(text: string): number[] {
  const tokens = text
    .split(/[\s,;]+/)
    .map((t) => t.trim())
    .filter(Boolean);
  const field = 'articleIds';
  if (tokens.length === 0) throw new ValidationError({ [field]: 'Skriv et eller flere artikel-id’er fra borger.dk, adskilt af komma, fx 1234, 5678.' });
  const bad = tokens.filter((t) => !/^\d{1,10}$/.test(t) || Number(t) < 1 || Number(t) > MAX_ARTICLE_ID);
  if (bad.length) {
    const shown = bad.slice(0, 3).map((t) => `„${t.slice(0, 20)}“`).join(', ');
    throw new ValidationError({ [field]: `Artikel-id’er skal være hele tal adskilt af komma, fx 1234, 5678. Det er ${shown} ikke.` });
  }
  const ids = [...new Set(tokens.map(Number))];
  if (ids.length > MAX_IMPORT_IDS) throw new ValidationError({ [field]: `Du kan højst importere ${MAX_IMPORT_IDS} artikel-id’er ad gangen.` });
  return ids;
}

export const emptyParts = (): ArticleParts => ({ selfServiceLinks: [], microArticles: [], legislation: null, recommendation: null, byline: null });

/** Reads stored parts defensively: an older or damaged value shows as an article without parts rather than an error page. */
export function readParts(json: string | null): ArticleParts {
  if (!json) return emptyParts();
  try {
    const p = JSON.parse(json) as Partial<ArticleParts>;
    return {
      selfServiceLinks: Array.isArray(p.selfServiceLinks) ? p.selfServiceLinks : [],
      microArticles: Array.isArray(p.microArticles) ? p.microArticles : [],
      legislation: p.legislation ?? null,
      recommendation: p.recommendation ?? null,
      byline: typeof p.byline === 'string' ? p.byline : null,
    };
  } catch {
    return emptyParts();
  }
}

/**
 * The micro-articles a page shows: the chosen ones in the article's own order, or all when none are chosen.
 * Should borger.dk have removed every chosen one, the page shows all rather than none.
 */
export function chosenMicroArticles(all: MicroArticle[], chosen: readonly string[]): MicroArticle[] {
  if (chosen.length === 0) return all;
  const picked = all.filter((m) => chosen.includes(m.id));
  return picked.length ? picked : all;
}
