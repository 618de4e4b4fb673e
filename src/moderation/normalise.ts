// A comment as the rules read it. Patterns see the lower-cased text with its punctuation and digits (a CPR number
// needs its dash, a question its question mark); words see the tokens, with punctuation as word boundaries, in a
// form that is only ever compared, never shown: simple leetspeak undone ("1d10t" is "idiot"), "aa" as "å",
// stretched letters once ("idioooot" is "idiot"). Rule words are compared in the same way (lexicon.ts).

export interface NormalisedText {
  /** NFC, lower case, invisible format characters removed: what patterns run on. */
  plain: string;
  /** The same text with case kept, for showing what matched as it was written. */
  shown: string;
  /** Each word's form (see wordForm). */
  forms: string[];
  /** Each word's lookup key (see lookupKey). */
  keys: string[];
  /** Start and end offset of each token in `plain`. */
  starts: number[];
  ends: number[];
  hasDigit: boolean;
}

// Soft hyphens and zero-width characters are used to slip a word past a filter and carry no meaning.
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:[@$][\p{L}\p{M}\p{N}]+)*/gu;
const LEET_CHARACTER = /[\d@$]/;
const THREE_DIGITS = /\d{3}/;
const LETTERS = /\p{L}/gu;
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };

/** "1d10ter" → "idioter", "l0rt" → "lort"; numbers, dates and codes such as "g01" or "hus2026" stay as they are. */
export function undoLeetspeak(token: string): string {
  // Most tokens hold no digit at all; the letter count is the slow part, so it comes last.
  if (!LEET_CHARACTER.test(token) || THREE_DIGITS.test(token) || (token.match(LETTERS)?.length ?? 0) < 2) return token;
  return token.replace(/[013457@$]/g, (c) => LEET[c] ?? c);
}

const ELONGATED = /(\p{Ll})\1{2,}/gu;
const TWO_LETTER_FORMS = /aa|ae|oe/g;
const DANISH: Record<string, string> = { aa: 'å', ae: 'æ', oe: 'ø' };

/**
 * How a word was written, with what does not matter taken out: "aa", "ae", "oe" read as "å", "æ", "ø" (an old or
 * keyboard-bound habit, never a different word), and a letter stretched to three or more ("idioooot") kept once,
 * as a capital. Doubled letters stay: in Danish "hele" and "Helle" are different words.
 */
export function wordForm(word: string): string {
  return word.replace(ELONGATED, (run) => run[0]!.toUpperCase()).replace(TWO_LETTER_FORMS, (pair) => DANISH[pair] ?? pair);
}

const LOOSE: Record<string, string> = { å: 'a', æ: 'e', ø: 'o' };
const ANY_REPEAT = /(\p{L})\1+/gu;

/** A looser key under which a word is looked up; the form then decides (lexicon.ts). */
export function lookupKey(form: string): string {
  return form
    .toLowerCase()
    .replace(/[åæø]/g, (c) => LOOSE[c] ?? c)
    .replace(ANY_REPEAT, '$1');
}

export function normalise(text: string): NormalisedText {
  const shown = text.normalize('NFC').replace(INVISIBLE, '');
  const plain = shown.toLowerCase();
  const forms: string[] = [];
  const keys: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (const match of plain.matchAll(TOKEN)) {
    starts.push(match.index);
    ends.push(match.index + match[0].length);
    const form = wordForm(undoLeetspeak(match[0]));
    forms.push(form);
    keys.push(lookupKey(form));
  }
  // A few characters change length when lower-cased; offsets into `shown` would then drift, so show the lower case.
  return { plain, shown: plain.length === shown.length ? shown : plain, forms, keys, starts, ends, hasDigit: /\d/.test(plain) };
}

/** Index of the last entry in a sorted list that is ≤ offset (0 when none). */
export function indexAtOrBefore(sorted: number[], offset: number): number {
  let low = 0;
  let high = sorted.length - 1;
  let found = 0;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] as number) <= offset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}
