import { isCategory } from './categories.ts';
import { Lexicon } from './lexicon.ts';
import { requirementsOf, type Requirement } from './prefilter.ts';
import type { Rule } from './rules.ts';

// Rules are data that editors may change, so each is checked and turned into a lookup once, and the compiled set
// is kept for as long as the rule list itself lives.

export interface CompiledRule {
  rule: Rule;
  /** Numbers of the rule's word lists in the lexicon, or null when the rule has none. */
  words: number | null;
  near: number | null;
  unless: number | null;
  /** Each pattern over `NormalisedText.plain`, with what a comment must contain for it to be worth running. */
  patterns: { expression: RegExp; requirements: Requirement[] }[];
  within: number;
  unlessWithin: number;
}

export interface CompiledRules {
  rules: CompiledRule[];
  lexicon: Lexicon;
}

export const DEFAULT_WITHIN = 5;
const MAX_WITHIN = 50;

/** A rule that cannot be used; the message is Danish because editors see it when they change a rule. */
export class RuleError extends Error {
  constructor(
    readonly ruleId: string,
    message: string,
  ) {
    super(`Reglen "${ruleId}": ${message}`);
    this.name = 'RuleError';
  }
}

// JavaScript's \b knows only ASCII letters, so "\bpå\b" would fail; in a rule pattern \b means a Danish word
// boundary. A look-behind at the very start of a pattern is tried at every character and makes it ten times
// slower, so where a letter follows, the letter is matched first and the look-behind checks what came before it.
// Written as alternatives, not as one class: V8 compiles the merged Unicode class about twice as slowly.
const WORD_CHAR = '(?:\\p{L}|\\p{M}|\\p{N})';
const BOUNDARY = `(?:(?<=${WORD_CHAR})(?!${WORD_CHAR})|(?<!${WORD_CHAR})(?=${WORD_CHAR}))`;
const PLAIN_LETTER = /^\p{L}$/u;
const QUANTIFIER = /^[*+?{]$/;

/** Index of the ")" closing the group that opens at `open`, or -1. */
function closingParenthesis(pattern: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

function topLevelAlternatives(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

const startsWithLetter = (source: string) => PLAIN_LETTER.test(source[0] ?? '') && !QUANTIFIER.test(source[1] ?? '');
const endsWithLetter = (source: string) => PLAIN_LETTER.test(source.at(-1) ?? '') && source.at(-2) !== '\\';

export function patternSource(pattern: string): string {
  let out = '';
  let inClass = false;
  let afterLetter = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && pattern[i + 1] === 'b' && !inClass) {
      const rest = pattern.slice(i + 2);
      if (startsWithLetter(rest)) {
        const letter = rest[0] as string;
        out += `${letter}(?<!${WORD_CHAR}${letter})`;
        i += 2;
        afterLetter = true;
        continue;
      }
      if (rest.startsWith('(?:')) {
        const close = closingParenthesis(rest, 0);
        const alternatives = close > 0 ? topLevelAlternatives(rest.slice(3, close)) : [];
        if (close > 0 && !QUANTIFIER.test(rest[close + 1] ?? '') && alternatives.every(startsWithLetter)) {
          out += `(?:${alternatives.map((alternative) => patternSource(`\\b${alternative}`)).join('|')})`;
          i += 2 + close;
          afterLetter = false;
          continue;
        }
      }
      out += afterLetter ? `(?!${WORD_CHAR})` : BOUNDARY;
      i++;
      afterLetter = false;
      continue;
    }
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
      afterLetter = false;
      continue;
    }
    if (c === '(' && !inClass) {
      // A group whose every alternative ends in a letter, as in "(?:hvornår|hvad)\b": the boundary after it
      // only needs to look ahead.
      const close = closingParenthesis(pattern, i);
      if (close > 0) {
        const inner = pattern.slice(i + 1, close);
        const opening = /^\?(?::|<[^=!>][^>]*>)/.exec(inner)?.[0] ?? (inner.startsWith('?') ? null : '');
        if (opening !== null) {
          const alternatives = topLevelAlternatives(inner.slice(opening.length));
          out += `(${opening}${alternatives.map(patternSource).join('|')})`;
          i = close;
          afterLetter = !QUANTIFIER.test(pattern[close + 1] ?? '') && alternatives.every(endsWithLetter);
          continue;
        }
      }
    }
    if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    out += c;
    afterLetter = !inClass && c !== ']' && PLAIN_LETTER.test(c);
  }
  return out;
}

function wordList(lexicon: Lexicon, rule: Rule, field: 'words' | 'near' | 'unless'): number | null {
  const list = rule[field];
  if (list === undefined) return null;
  if (!Array.isArray(list) || !list.every((word) => typeof word === 'string')) throw new RuleError(rule.id, `"${field}" skal være en liste af ord.`);
  if (!list.length) return null;
  try {
    return lexicon.add(list);
  } catch (error) {
    throw new RuleError(rule.id, `${(error as Error).message.replace(/\.$/, '')} (i "${field}").`);
  }
}

function distanceSetting(rule: Rule, field: 'within' | 'unlessWithin', fallback: number): number {
  const value = rule[field] ?? fallback;
  if (!Number.isInteger(value) || value < 0 || value > MAX_WITHIN) throw new RuleError(rule.id, `"${field}" skal være et helt tal fra 0 til ${MAX_WITHIN}.`);
  return value;
}

function compileRule(rule: Rule, lexicon: Lexicon): CompiledRule {
  if (typeof rule.id !== 'string' || !rule.id.trim()) throw new RuleError(String(rule.id ?? ''), 'reglen mangler et id.');
  if (!isCategory(rule.category) || (rule.category as string) === 'ok') throw new RuleError(rule.id, `ukendt kategori "${String(rule.category)}".`);
  if (typeof rule.label !== 'string' || !rule.label.trim()) throw new RuleError(rule.id, 'reglen mangler en forklaring (label).');
  if (rule.patterns !== undefined && (!Array.isArray(rule.patterns) || !rule.patterns.every((p) => typeof p === 'string'))) {
    throw new RuleError(rule.id, '"patterns" skal være en liste af regulære udtryk.');
  }
  const patterns = (rule.patterns ?? []).map((pattern) => {
    let expression: RegExp;
    try {
      // The text is already in lower case; case-insensitive matching is slower, so only where the pattern needs it.
      const flags = /\p{Lu}/u.test(pattern.replace(/\\./g, '')) ? 'giu' : 'gu';
      expression = new RegExp(patternSource(pattern), flags);
    } catch (error) {
      throw new RuleError(rule.id, `mønsteret "${pattern}" er ikke et gyldigt regulært udtryk (${(error as Error).message}).`);
    }
    return { expression, requirements: requirementsOf(pattern) };
  });
  const words = wordList(lexicon, rule, 'words');
  if (words === null && !patterns.length) throw new RuleError(rule.id, 'reglen skal have mindst ét ord eller mønster.');
  const within = distanceSetting(rule, 'within', DEFAULT_WITHIN);
  return {
    rule,
    words,
    near: wordList(lexicon, rule, 'near'),
    unless: wordList(lexicon, rule, 'unless'),
    patterns,
    within,
    unlessWithin: distanceSetting(rule, 'unlessWithin', within),
  };
}

const compiled = new WeakMap<readonly Rule[], CompiledRules>();

/** Checks and compiles a rule list; the same list object is compiled only once. Throws RuleError. */
export function compileRules(rules: readonly Rule[]): CompiledRules {
  const cached = compiled.get(rules);
  if (cached) return cached;
  const lexicon = new Lexicon();
  const seen = new Set<string>();
  const result = rules.map((rule) => {
    const one = compileRule(rule, lexicon);
    if (seen.has(rule.id)) throw new RuleError(rule.id, 'id bruges af mere end én regel.');
    seen.add(rule.id);
    return one;
  });
  const set = { rules: result, lexicon };
  compiled.set(rules, set);
  return set;
}
