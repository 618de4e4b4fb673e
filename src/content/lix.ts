/**
 * LIX (læsbarhedsindeks): average sentence length plus the share of long words, in per cent.
 * Works on plain text; for a Markdown body use `markdownToPlainText` first, which joins wrapped lines
 * so that every remaining line break is the end of a paragraph, heading or list item.
 */

export type LixLevel = 'Ingen tekst' | 'Meget let' | 'Let' | 'Middel' | 'Svær' | 'Meget svær';

export interface LixResult {
  /** Rounded to a whole number, as LIX is usually given; `level` follows the rounded score. */
  score: number;
  words: number;
  sentences: number;
  longWords: number;
  level: LixLevel;
}

/** A word is a run of letters (any alphabet, so æ, ø and å too); a hyphen inside joins parts into one word. */
const WORD = /[\p{L}\p{M}]+(?:[-‐‑][\p{L}\p{M}]+)*/gu;
const LETTER = /[\p{L}]/gu;

/** Long word: more than six letters. */
export const LONG_WORD_LETTERS = 7;

export function wordsOf(text: string): string[] {
  // Decomposed letters (a + combining ring) would otherwise count as two.
  return text.normalize('NFC').match(WORD) ?? [];
}

export function letterCount(word: string): number {
  return word.normalize('NFC').match(LETTER)?.length ?? 0;
}

/**
 * Splits text into sentences. A sentence ends at `.`, `!`, `?` or `:` followed by a space or the end
 * (closing quotes and brackets may come in between), and at every line break. A full stop followed by a
 * lower-case letter or a digit is taken to end an abbreviation or an ordinal ("f.eks. her", "kl. 10",
 * "den 1. marts"), not a sentence. Pieces without a word (a lone "…", a list of numbers) are dropped.
 */
export function sentencesOf(text: string): string[] {
  const normalised = text.normalize('NFC');
  const sentences: string[] = [];
  const boundary = /([.!?:]+)["'”“’‘»)\]]*(?=\s|$)|\r?\n/gu;
  let start = 0;
  for (let match = boundary.exec(normalised); match !== null; match = boundary.exec(normalised)) {
    const end = match.index + match[0].length;
    if (match[1] === '.') {
      const next = /\S/u.exec(normalised.slice(end));
      if (next && /[\p{Ll}\p{N}]/u.test(next[0])) continue;
    }
    sentences.push(normalised.slice(start, end));
    start = end;
  }
  sentences.push(normalised.slice(start));
  return sentences.map((s) => s.trim()).filter((s) => wordsOf(s).length > 0);
}

/** The usual Danish bands for LIX. */
export function lixLevel(score: number): Exclude<LixLevel, 'Ingen tekst'> {
  if (score < 25) return 'Meget let';
  if (score < 35) return 'Let';
  if (score < 45) return 'Middel';
  if (score < 55) return 'Svær';
  return 'Meget svær';
}

export function lix(text: string): LixResult {
  const words = wordsOf(text);
  if (words.length === 0) return { score: 0, words: 0, sentences: 0, longWords: 0, level: 'Ingen tekst' };
  const sentences = Math.max(1, sentencesOf(text).length);
  const longWords = words.filter((w) => letterCount(w) >= LONG_WORD_LETTERS).length;
  const score = Math.round(words.length / sentences + (100 * longWords) / words.length);
  return { score, words: words.length, sentences, longWords, level: lixLevel(score) };
}
