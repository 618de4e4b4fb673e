import { letterCount, sentencesOf, wordsOf } from './lix.ts';

/**
 * Klarsprog hints for editors: long sentences, long words and public-sector words with a plainer
 * alternative. Works on plain text; for a Markdown body use `markdownToPlainText` first.
 */

export interface JargonEntry {
  /** Dictionary form; several words are matched with any whitespace between them. */
  word: string;
  instead: string;
}

export type PlainLanguageHintKind = 'long-sentence' | 'long-word' | 'jargon';

export interface PlainLanguageHint {
  kind: PlainLanguageHintKind;
  /** The hint shown to the editor, in Danish. */
  message: string;
  /** What the hint is about as it appears in the text: the start of the sentence, the word, or the jargon as written. */
  excerpt: string;
}

export const MAX_SENTENCE_WORDS = 25;
export const MAX_WORD_LETTERS = 15;
const SENTENCE_START_WORDS = 6;

export const DEFAULT_JARGON: readonly JargonEntry[] = Object.freeze([
  { word: 'henvendelse', instead: 'spørgsmål' },
  { word: 'henvende sig', instead: 'kontakte' },
  { word: 'foranstaltning', instead: 'tiltag' },
  { word: 'bevilling', instead: 'tilladelse eller støtte' },
  { word: 'bevilge', instead: 'give' },
  { word: 'jf.', instead: 'se' },
  { word: 'i henhold til', instead: 'efter' },
  { word: 'i medfør af', instead: 'efter' },
  { word: 'påhviler', instead: 'er dit ansvar' },
  { word: 'fremsende', instead: 'sende' },
  { word: 'foretage', instead: 'gøre' },
  { word: 'vedrørende', instead: 'om' },
  { word: 'endvidere', instead: 'også' },
  { word: 'ligeledes', instead: 'også' },
  { word: 'tillige', instead: 'også' },
  { word: 'såfremt', instead: 'hvis' },
  { word: 'idet', instead: 'fordi' },
  { word: 'eventuelt', instead: 'måske' },
  { word: 'forinden', instead: 'før' },
  { word: 'hermed', instead: 'nu' },
  { word: 'nærværende', instead: 'denne' },
  { word: 'pågældende', instead: 'den eller det' },
  { word: 'tilkendegive', instead: 'sige' },
  { word: 'iværksætte', instead: 'starte' },
  { word: 'anmode om', instead: 'bede om' },
  { word: 'underrette', instead: 'give besked' },
  { word: 'hvorvidt', instead: 'om' },
  { word: 'grundet', instead: 'på grund af' },
  { word: 'desuagtet', instead: 'alligevel' },
  { word: 'fremadrettet', instead: 'fremover' },
  { word: 'dags dato', instead: 'i dag' },
  { word: 'med henblik på', instead: 'for at' },
  { word: 'i forbindelse med', instead: 'når' },
  { word: 'bopæl', instead: 'adresse' },
  { word: 'ydelse', instead: 'hjælp eller penge' },
  { word: 'ophøre', instead: 'stoppe' },
  { word: 'borger', instead: 'du' },
]);

/**
 * Endings that Danish nouns and verbs take on their dictionary form: henvendelse-n, -r, -rne;
 * foranstaltning-en, -er, -erne; fremsende-r, -s, fremsend-t, -te; underrette-de, -t.
 */
const ENDINGS = ['e', 'en', 'ene', 'ens', 'er', 'erne', 'ernes', 'ers', 'es', 'et', 'ets', 'r', 'rne', 'rnes', 's', 't', 'te', 'de', 'ede', 'n', 'ne', 'ns'];
// Short function words ("til", "om", "idet") would turn into other words with an ending added.
const MIN_INFLECTED_LETTERS = 5;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function wordPattern(word: string): string {
  if (word.length < MIN_INFLECTED_LETTERS || !/^\p{L}+$/u.test(word)) return escapeRegExp(word);
  // A final -e falls away before some endings: fremsende → fremsendt, fremsendte.
  const stems = word.endsWith('e') ? [word, word.slice(0, -1)] : [word];
  return `(?:${stems.map(escapeRegExp).join('|')})(?:${ENDINGS.join('|')})?`;
}

export function jargonPattern(entry: JargonEntry): RegExp {
  const words = entry.word.normalize('NFC').trim().split(/\s+/).map(wordPattern);
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.join('\\s+')}(?![\\p{L}\\p{N}])`, 'iu');
}

function longSentenceHints(text: string): PlainLanguageHint[] {
  const hints: PlainLanguageHint[] = [];
  for (const sentence of sentencesOf(text)) {
    const count = wordsOf(sentence).length;
    if (count <= MAX_SENTENCE_WORDS) continue;
    const excerpt = `${sentence.split(/\s+/).slice(0, SENTENCE_START_WORDS).join(' ')} …`;
    hints.push({ kind: 'long-sentence', excerpt, message: `Sætningen „${excerpt}“ har ${count} ord. Prøv at dele den op.` });
  }
  return hints;
}

function longWordHints(text: string): PlainLanguageHint[] {
  const seen = new Set<string>();
  const hints: PlainLanguageHint[] = [];
  // A hyphenated compound is already split up for the reader, so each part is judged on its own.
  for (const word of wordsOf(text).flatMap((w) => w.split(/[-‐‑]/))) {
    const letters = letterCount(word);
    const key = word.toLocaleLowerCase('da');
    if (letters <= MAX_WORD_LETTERS || seen.has(key)) continue;
    seen.add(key);
    hints.push({
      kind: 'long-word',
      excerpt: word,
      message: `Ordet „${word}“ er langt (${letters} bogstaver). Kan du dele det op eller skrive det med flere, kortere ord?`,
    });
  }
  return hints;
}

function jargonHints(text: string, jargon: readonly JargonEntry[]): PlainLanguageHint[] {
  const found: { index: number; hint: PlainLanguageHint }[] = [];
  for (const entry of jargon) {
    const match = jargonPattern(entry).exec(text);
    if (!match) continue;
    found.push({
      index: match.index,
      hint: { kind: 'jargon', excerpt: match[0], message: `Skriv hellere „${entry.instead}“ end „${entry.word}“.` },
    });
  }
  return found.sort((a, b) => a.index - b.index).map((f) => f.hint);
}

/**
 * Hints in a fixed order: long sentences, long words, then jargon, each in the order it first appears
 * in the text. Jargon gives one hint per entry however often it is used.
 */
export function plainLanguageHints(text: string, jargon: readonly JargonEntry[] = DEFAULT_JARGON): PlainLanguageHint[] {
  const normalised = text.normalize('NFC');
  return [...longSentenceHints(normalised), ...longWordHints(normalised), ...jargonHints(normalised, jargon)];
}
