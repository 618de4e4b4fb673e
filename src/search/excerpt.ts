import { stem, WORD } from './text.ts';

/**
 * A piece of text to show, with the words that match the search marked. The template prints every piece
 * autoescaped and wraps the marked ones in <mark>, so no HTML is ever built from a reader's or editor's text.
 */
export interface Segment {
  text: string;
  mark: boolean;
}

const EXCERPT_LENGTH = 240;
// How much of the text before the first match to keep, so the match is read in its sentence.
const LEAD = 90;

/** Cuts text into marked and unmarked pieces: a word is marked when its stem is one of the query's. */
export function highlight(text: string, stems: ReadonlySet<string>): Segment[] {
  const segments: Segment[] = [];
  const push = (piece: string, mark: boolean) => {
    if (!piece) return;
    const last = segments[segments.length - 1];
    if (last && last.mark === mark && !mark) last.text += piece;
    else segments.push({ text: piece, mark });
  };
  let at = 0;
  for (const m of text.matchAll(WORD)) {
    if (!stems.has(stem(m[0]))) continue;
    push(text.slice(at, m.index), false);
    push(m[0], true);
    at = m.index + m[0].length;
  }
  push(text.slice(at), false);
  return segments;
}

function firstMatch(text: string, stems: ReadonlySet<string>): number {
  for (const m of text.matchAll(WORD)) if (stems.has(stem(m[0]))) return m.index;
  return -1;
}

/** The part of a long text around its first match, cut at word boundaries, with "…" where it was cut. */
function window(text: string, at: number): string {
  let start = Math.max(0, at - LEAD);
  if (start > 0) {
    // Start at the sentence the match is in when it began shortly before; otherwise at a word.
    const sentence = text.lastIndexOf('. ', at);
    const line = text.lastIndexOf('\n', at);
    const boundary = Math.max(sentence === -1 ? -1 : sentence + 2, line + 1);
    if (boundary > 0 && boundary >= start - LEAD) start = boundary;
    else start = text.indexOf(' ', start) + 1 || start;
  }
  let end = Math.min(text.length, start + EXCERPT_LENGTH);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > at) end = space;
  }
  const piece = text.slice(start, end).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '… ' : ''}${piece}${end < text.length ? ' …' : ''}`;
}

/**
 * What to show under a hit: the summary when it holds a match, otherwise the passage of the body around the
 * first match, otherwise the summary alone (the item matched on its title or keywords).
 */
export function excerpt(summary: string, body: string, stems: ReadonlySet<string>): Segment[] {
  if (firstMatch(summary, stems) !== -1) return highlight(summary, stems);
  const at = firstMatch(body, stems);
  if (at !== -1) return highlight(window(body, at), stems);
  return summary ? [{ text: summary, mark: false }] : highlight(window(body, 0), stems);
}
