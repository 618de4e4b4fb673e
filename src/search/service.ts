import { ITEM_TYPE_LABELS, type ItemType, WEBSITE_SECTIONS } from '../content/types.ts';
import type { DbOrTx } from '../platform/database.ts';
import { excerpt, highlight, type Segment } from './excerpt.ts';
import { lookupForms, nearest } from './spelling.ts';
import * as store from './store.ts';
import { cleanQuery, normalWord, queryTerms, type Term, WORD } from './text.ts';

/** The types a reader can narrow a search to, in the order the filter shows them. */
export const SEARCH_TYPES = ['selfservice', 'page', 'news', 'event'] as const satisfies readonly ItemType[];

export const PER_PAGE = 10;
// With this many hits or fewer, a nearby spelling that finds more is offered as "Mente du …?".
const FEW_HITS = 2;
// Bounds that keep a broad search as fast as a narrow one (measured on 100,000 items: see CONTEXT.md). A result
// up to RANK_LIMIT is ranked whole by relevance; a larger one tier by tier, newest first within each tier.
// Matches are counted up to COUNT_LIMIT ("Mere end 1.000 resultater").
const RANK_LIMIT = 500;
export const COUNT_LIMIT = 1000;
const TIERS: store.Tier[] = ['selfservice', 'title', 'rest'];

export interface SearchRequest {
  q: string;
  /** Item types to show; empty or left out: every type. Unknown types are ignored. */
  types?: string[];
  /** 'main' for the main website and site ids for subsites; left out: the main website and every active subsite. */
  siteKeys?: string[];
  page?: number;
  perPage?: number;
  /** Bounds for very broad searches (see RANK_LIMIT and COUNT_LIMIT); tests set small ones to reach that path. */
  limits?: { rank: number; count: number };
}

export interface SearchHit {
  id: string;
  type: string;
  typeLabel: string;
  title: Segment[];
  url: string;
  /** Where the hit is: a section of the main website, a subsite, or the host a self-service entry leads to. */
  place: string;
  excerpt: Segment[];
  language: string;
}

export interface SearchResult {
  /** The query as it was searched for: one line, without control characters, cut to length. */
  query: string;
  /** False when the query held no word to search for (empty, or only punctuation or stop words). */
  searched: boolean;
  /** Hits, counted up to COUNT_LIMIT. */
  total: number;
  /** There are more hits than COUNT_LIMIT. */
  moreThanTotal: boolean;
  /** The types the search was narrowed to (known ones only); empty for every type. */
  types: string[];
  page: number;
  totalPages: number;
  hits: SearchHit[];
  /** A corrected query that finds more, for "Mente du …?". */
  suggestion: string | null;
}

function scopeOf(siteKeys: string[] | undefined): store.SiteScope {
  if (!siteKeys) return { main: true, siteIds: null };
  return { main: siteKeys.includes('main'), siteIds: siteKeys.filter((k) => k !== 'main') };
}

/**
 * Searches the live content of the public sites: the main website and its subsites, or the sites named in
 * `siteKeys` (so a subsite can offer a search of its own). Indexed queries only, one page at a time.
 */
export async function searchSites(db: DbOrTx, request: SearchRequest): Promise<SearchResult> {
  // A query string may carry anything; only text is searched for.
  const query = cleanQuery(typeof request.q === 'string' ? request.q : '');
  const types = (request.types ?? []).filter((t): t is (typeof SEARCH_TYPES)[number] => (SEARCH_TYPES as readonly string[]).includes(t));
  const uniqueTypes = [...new Set(types)];
  const perPage = request.perPage ?? PER_PAGE;
  const page = Math.max(1, Math.floor(request.page ?? 1));
  const terms = queryTerms(query);
  const empty: SearchResult = { query, searched: false, total: 0, moreThanTotal: false, types: uniqueTypes, page, totalPages: 1, hits: [], suggestion: null };
  if (!terms.length) return empty;

  const scope = scopeOf(request.siteKeys);
  const match: store.Match = { terms, types: uniqueTypes.length ? uniqueTypes : null, main: scope.main, unitIds: await store.unitsInScope(db, scope) };
  const limits = request.limits ?? { rank: RANK_LIMIT, count: COUNT_LIMIT };
  const counted = await store.countMatches(db, match, 'all', limits.count + 1);
  const total = Math.min(counted, limits.count);
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  const result: SearchResult = { ...empty, searched: true, total, moreThanTotal: counted > limits.count, totalPages };
  if (total > 0 && page <= totalPages) result.hits = await hitsFor(db, match, await pageIds(db, match, total <= limits.rank, perPage, (page - 1) * perPage));
  if (total <= FEW_HITS) result.suggestion = await betterSpelling(db, query, match, total);
  return result;
}

/**
 * The ids of one page. A small result is ranked whole; a larger one is read tier by tier, each only as far as
 * the page reaches into it (a tier is counted only to see whether the page starts beyond it).
 */
async function pageIds(db: DbOrTx, match: store.Match, rankWhole: boolean, limit: number, offset: number): Promise<string[]> {
  if (rankWhole) return store.rankedIds(db, match, limit, offset);
  const ids: string[] = [];
  let skip = offset;
  for (const tier of TIERS) {
    const need = limit - ids.length;
    if (need <= 0) break;
    if (skip > 0) {
      const size = await store.countMatches(db, match, tier, skip + need);
      if (size <= skip) {
        skip -= size;
        continue;
      }
    }
    ids.push(...(await store.tierIds(db, match, tier, need, skip)));
    skip = 0;
  }
  return ids;
}

async function hitsFor(db: DbOrTx, match: store.Match, ids: string[]): Promise<SearchHit[]> {
  const [entries, sites] = await Promise.all([store.entriesByIds(db, ids), store.sitesOfItems(db, ids)]);
  const byId = new Map(entries.map((e) => [e.item_id, e]));
  const stems = new Set(match.terms.map((t) => t.stem));
  const wantedSite = (s: store.SitePlacement) => match.unitIds.includes(s.unitId);
  const hits: SearchHit[] = [];
  for (const id of ids) {
    const e = byId.get(id);
    if (!e) continue;
    const site = sites.find((s) => s.itemId === id && wantedSite(s));
    const onMain = match.main && e.section !== null;
    const pageUrl = onMain ? `/${e.section}/${e.slug}` : site ? siteUrl(site, e.slug) : null;
    // Unpublished between the two queries: nothing to link to.
    if (!pageUrl) continue;
    hits.push({
      id,
      type: e.type,
      typeLabel: ITEM_TYPE_LABELS[e.type as ItemType] ?? e.type,
      title: highlight(e.title, stems),
      // A self-service entry leads straight to its solution, as in the catalogue.
      url: e.target_url || pageUrl,
      place: e.target_url ? hostOf(e.target_url) : onMain ? (WEBSITE_SECTIONS[e.section as keyof typeof WEBSITE_SECTIONS] ?? '') : (site?.name ?? ''),
      excerpt: excerpt(e.summary, e.body, stems),
      language: e.language,
    });
  }
  return hits;
}

/** Where a self-service entry leads, so the reader knows they leave the site. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** A subsite is read at /<site slug>/<item slug>; an independent website on its own host name. */
function siteUrl(site: store.SitePlacement, slug: string): string {
  if (site.kind === 'subsite') return `/${site.slug}/${slug}`;
  return site.host ? `https://${site.host}/${slug}` : `/${slug}`;
}

/**
 * The query with each unknown word replaced by the nearest known word of live titles and keywords, when
 * that finds more than the query did; otherwise null.
 */
async function betterSpelling(db: DbOrTx, query: string, match: store.Match, total: number): Promise<string | null> {
  const checkable = match.terms.filter((t) => [...t.word].length >= 4 && !/^\p{N}+$/u.test(t.word));
  if (!checkable.length) return null;
  const known = await store.knownWords(db, checkable.map((t) => t.word));
  const replacements = new Map<string, string>();
  for (const t of checkable) {
    if (known.has(t.word)) continue;
    const best = nearest(t.word, await store.wordsWithForms(db, lookupForms(t.word)));
    if (best) replacements.set(t.word, best);
  }
  if (!replacements.size) return null;
  const corrected = query.replace(WORD, (w) => replacements.get(normalWord(w)) ?? w);
  const correctedTerms: Term[] = queryTerms(corrected);
  if (!correctedTerms.length) return null;
  const found = await store.countMatches(db, { ...match, terms: correctedTerms }, 'all', total + 1);
  return found > total ? corrected : null;
}
