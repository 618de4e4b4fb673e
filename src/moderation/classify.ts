import { CATEGORY_IDS, type Category } from './categories.ts';
import { compileRules, type CompiledRule } from './compile.ts';
import { maskCpr } from './cpr.ts';
import type { TokenSpan } from './lexicon.ts';
import { indexAtOrBefore, normalise, type NormalisedText } from './normalise.ts';
import { mayMatch } from './prefilter.ts';
import { DEFAULT_RULES, type Rule } from './rules.ts';

export interface Reason {
  category: Exclude<Category, 'ok'>;
  ruleId: string;
  label: string;
  /** What matched, as the citizen wrote it (CPR numbers masked). */
  matches: string[];
}

export interface Classification {
  /** In the order of CATEGORY_IDS; `['ok']` when no rule matched, and `ok` never with another category. */
  categories: Category[];
  reasons: Reason[];
}

/** Comments longer than this are classified by their beginning; no network allows more in one comment. */
export const MAX_CLASSIFIED_LENGTH = 20_000;
const MAX_SHOWN_MATCHES = 5;
const MAX_SHOWN_LENGTH = 120;
const LEADING_PUNCTUATION = /^[\s.,;:!?—–-]+/;

/** Where a match lies: its first and last word, and its characters in the text. */
interface Span extends TokenSpan {
  start: number;
  end: number;
}

function withOffsets(spans: readonly TokenSpan[], text: NormalisedText): Span[] {
  return spans.map(({ first, last }) => ({ first, last, start: text.starts[first] ?? 0, end: text.ends[last] ?? 0 }));
}

function patternSpans(expression: RegExp, text: NormalisedText, into: Span[]): void {
  const lastToken = Math.max(text.starts.length - 1, 0);
  for (const match of text.plain.matchAll(expression)) {
    // A pattern that can match nothing at all ("a*") would otherwise flag every comment.
    if (!match[0]) continue;
    const start = match.index;
    const end = start + match[0].length;
    let first = indexAtOrBefore(text.starts, start);
    if ((text.ends[first] ?? 0) <= start) first = Math.min(first + 1, lastToken);
    const last = Math.max(first, indexAtOrBefore(text.starts, Math.max(end - 1, start)));
    into.push({ first, last, start, end });
  }
}

/** Words between two matches; 0 when they overlap. */
function distance(a: TokenSpan, b: TokenSpan): number {
  if (b.first > a.last) return b.first - a.last;
  if (a.first > b.last) return a.first - b.last;
  return 0;
}

function shown(text: NormalisedText, span: Span): string {
  // A pattern may begin at the punctuation before a clause; the editor is shown the words.
  let value = text.shown.slice(span.start, span.end).replace(LEADING_PUNCTUATION, '').trimEnd().replace(/\s+/g, ' ');
  if (value.length > MAX_SHOWN_LENGTH) value = `${value.slice(0, MAX_SHOWN_LENGTH - 1)}…`;
  return maskCpr(value);
}

function matchRule(compiled: CompiledRule, text: NormalisedText, words: TokenSpan[][]): Span[] {
  let spans = compiled.words === null ? [] : withOffsets(words[compiled.words]!, text);
  for (const { expression, requirements } of compiled.patterns) {
    if (mayMatch(requirements, text.plain, text.hasDigit)) patternSpans(expression, text, spans);
  }
  if (!spans.length) return spans;
  if (compiled.near !== null) {
    const near = words[compiled.near]!;
    spans = spans.filter((span) => near.some((other) => distance(span, other) <= compiled.within));
  }
  if (compiled.unless !== null) {
    const unless = words[compiled.unless]!;
    spans = spans.filter((span) => !unless.some((other) => distance(span, other) <= compiled.unlessWithin));
  }
  return spans;
}

/**
 * Sorts a comment into the guidelines' categories by rules, with the matched rule and words as the reason.
 * Pure and fast; a person always makes the decision. Throws RuleError when `rules` holds a rule that cannot be used.
 */
export function classify(text: string, rules: readonly Rule[] = DEFAULT_RULES): Classification {
  const { rules: compiled, lexicon } = compileRules(rules);
  const normalised = normalise(typeof text === 'string' ? text.slice(0, MAX_CLASSIFIED_LENGTH) : '');
  const words = lexicon.find(normalised.keys, normalised.forms);
  const reasons: Reason[] = [];
  for (const rule of compiled) {
    const spans = matchRule(rule, normalised, words);
    if (!spans.length) continue;
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    const matches = [...new Set(spans.map((span) => shown(normalised, span)))].filter(Boolean).slice(0, MAX_SHOWN_MATCHES);
    reasons.push({ category: rule.rule.category, ruleId: rule.rule.id, label: rule.rule.label, matches });
  }
  const found = new Set<Category>(reasons.map((reason) => reason.category));
  const categories = found.size ? CATEGORY_IDS.filter((id) => found.has(id)) : (['ok'] as Category[]);
  return { categories, reasons };
}
