// X's weighted length (twitter-text, configuration v3): the text is NFC-normalised; every link counts as 23;
// every emoji, including sequences joined with ZWJ, skin tones, flags and keycaps, counts as 2; a code point in
// the light ranges (Latin, Greek, Cyrillic, Hebrew, Arabic, … up to U+10FF, and some general punctuation) counts
// as 1; everything else (CJK, for instance) as 2. A post may weigh at most 280.

export const X_MAX_WEIGHTED_LENGTH = 280;
const URL_WEIGHT = 23;

const LIGHT_RANGES: [number, number][] = [
  [0x0000, 0x10ff],
  [0x2000, 0x200d],
  [0x2010, 0x201f],
  [0x2032, 0x2037],
];

/**
 * Links as twitter-text finds them: with a scheme, starting with www., or a bare domain ending in a common
 * top-level domain (the full IANA list is left out; these cover what a Danish municipality links to).
 */
const TLDS = 'dk|com|org|net|eu|info|io|gov|edu|de|se|no|nu|fo|gl|is|fi|uk|co|me|tv|app|dev|nl|fr|be';
const URL_PATTERN = new RegExp(
  String.raw`(?:https?:\/\/[^\s]+|\bwww\.[^\s]+|(?<![@\p{L}\p{N}_.\/-])(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+(?:${TLDS})(?![\p{L}\p{N}-])(?:[\/?#][^\s]*)?)`,
  'giu',
);
/** Trailing punctuation ends a sentence, not the link. */
const TRAILING = /[.,:;!?'")\]}»”’]+$/u;

const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u;
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

function weightOfText(text: string): number {
  let weight = 0;
  for (const { segment } of segmenter.segment(text)) {
    if (EMOJI.test(segment)) {
      weight += 2;
      continue;
    }
    for (const char of segment) {
      const code = char.codePointAt(0)!;
      weight += LIGHT_RANGES.some(([start, end]) => code >= start && code <= end) ? 1 : 2;
    }
  }
  return weight;
}

/** The text's length as X counts it against 280. */
export function xWeightedLength(text: string): number {
  const normal = text.normalize('NFC');
  let weight = 0;
  let last = 0;
  for (const match of normal.matchAll(URL_PATTERN)) {
    const url = match[0].replace(TRAILING, '');
    if (!url) continue;
    weight += weightOfText(normal.slice(last, match.index)) + URL_WEIGHT;
    last = match.index + url.length;
  }
  return weight + weightOfText(normal.slice(last));
}
