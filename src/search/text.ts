import { createRequire } from 'node:module';
import type { Stemmer } from 'snowball-stemmers';

// Words as search sees them: the same rules cut a text into words when it is indexed, when a reader's
// query is read, and when an excerpt is highlighted, so the three always agree.

// The stemmers of every language are one large file: it is loaded on the first word stemmed, not by every
// command-line start that merely imports the content store.
let stemmer: Stemmer | undefined;
function danish(): Stemmer {
  stemmer ??= (createRequire(import.meta.url)('snowball-stemmers') as typeof import('snowball-stemmers')).newStemmer('danish');
  return stemmer;
}

/** PostgreSQL's `danish` stop words (Snowball's list), so a query means the same on both databases. */
export const DANISH_STOP_WORDS: ReadonlySet<string> = new Set(
  ('og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har om vi min havde ham hun nu over da fra du ud sin ' +
    'dem os op man hans hvor eller hvad skal selv her alle vil blev kunne ind når være dog noget ville jo deres efter ned skulle denne end dette ' +
    'mit også under have dig anden hende mine alt meget sit sine vor mod disse hvis din nogle hos blive mange ad bliver hendes været thi jer sådan').split(' '),
);

/** Letters (with their accents) and digits; everything else separates words. */
export const WORD = /[\p{L}\p{M}\p{N}]+/gu;

// A reader's query is cut down to this before anything else happens: longer gives no better answer.
export const MAX_QUERY_LENGTH = 200;
const MAX_TERMS = 12;
const MAX_WORD_LENGTH = 60;

/** The comparable form of one word: NFKC, lower case. */
export function normalWord(word: string): string {
  return word.normalize('NFKC').toLowerCase();
}

// Texts repeat their words; indexing many items at once stems each word once. Emptied when full.
const stems = new Map<string, string>();
const MAX_REMEMBERED = 100_000;

function stemOf(normal: string): string {
  let s = stems.get(normal);
  if (s === undefined) {
    if (stems.size >= MAX_REMEMBERED) stems.clear();
    s = danish().stem(normal);
    stems.set(normal, s);
  }
  return s;
}

export function stem(word: string): string {
  return stemOf(normalWord(word));
}

export function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** The text given to the index: every word stemmed, separated by spaces. */
export function stemmedText(text: string): string {
  return words(text)
    .map((w) => stem(w.slice(0, MAX_WORD_LENGTH)))
    .join(' ');
}

/**
 * Control characters, unpaired surrogates and NUL never reach a database or a page: PostgreSQL refuses NUL
 * outright, and the others are never part of a word anyway. Line breaks and tabs stay, as text structure.
 */
export function withoutControlCharacters(text: string): string {
  return text.replace(/[\p{Cc}\p{Cs}\p{Co}\uFFFE\uFFFF]/gu, (c) => (c === '\n' || c === '\t' ? c : ' '));
}

/** What a reader typed, made safe to show again and to search for: one line, no control characters, not too long. */
export function cleanQuery(raw: string): string {
  const chars = [...withoutControlCharacters(raw.normalize('NFC')).replace(/\s+/gu, ' ').trim()];
  if (chars.length <= MAX_QUERY_LENGTH) return chars.join('');
  const cut = chars.slice(0, MAX_QUERY_LENGTH).join('');
  // A word cut in two would search for something nobody typed.
  const lastSpace = cut.lastIndexOf(' ');
  return (chars[MAX_QUERY_LENGTH] !== ' ' && lastSpace > 0 ? cut.slice(0, lastSpace) : cut).trim();
}

export interface Term {
  /** The word as typed, in lower case. */
  word: string;
  stem: string;
}

/** The words of a query that search for something: no stop words, each once, at most a dozen. */
export function queryTerms(query: string): Term[] {
  const seen = new Set<string>();
  const terms: Term[] = [];
  for (const raw of words(query)) {
    const word = normalWord(raw).slice(0, MAX_WORD_LENGTH);
    if (DANISH_STOP_WORDS.has(word)) continue;
    const s = stemOf(word);
    if (!s || seen.has(s)) continue;
    seen.add(s);
    terms.push({ word, stem: s });
    if (terms.length === MAX_TERMS) break;
  }
  return terms;
}

/** Words worth suggesting in "Mente du …?": from titles and keywords, not stop words, not numbers, not too short. */
export function vocabularyWords(text: string): string[] {
  const found = new Set<string>();
  for (const raw of words(text)) {
    const word = normalWord(raw);
    if (word.length < 3 || word.length > 30 || /^\p{N}+$/u.test(word) || DANISH_STOP_WORDS.has(word)) continue;
    found.add(word);
  }
  return [...found].sort();
}
