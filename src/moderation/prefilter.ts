// Most patterns cannot match most comments, and finding that out with the regular expression costs far more than
// a look for a piece of text the pattern cannot do without: "?" for a question, "@" for an e-mail address, a
// digit for a CPR number. The pieces are read from the pattern itself, cautiously: anything not understood
// requires nothing, so a pattern is never skipped where it could have matched.

/** The text must contain one of these (lower case); DIGIT stands for any digit. */
export type Requirement = string[];
export const DIGIT = '\\d';

const PUNCTUATION_ESCAPE = /^[.?*+^$|()[\]{}\\/\-@%:,;!#&'"=<>~_ ]$/;
const OPTIONAL_QUANTIFIER = /^(?:[?*]|\{0[,}])/;
const QUANTIFIER = /^(?:[?*+]|\{\d+(?:,\d*)?\})\??/;

/** Index just after the group or class that opens at `open`. */
function skipBracketed(source: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) {
      if (c === ']') {
        inClass = false;
        if (depth === 0) return i + 1;
      }
    } else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return source.length;
}

function splitAlternatives(source: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '(' || c === '[') i = skipBracketed(source, i) - 1;
    else if (c === '|') {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

/** The strongest single requirement of a sequence without top-level alternatives, or null. */
function best(requirements: Requirement[]): Requirement | null {
  const literal = requirements.filter((r) => r.length === 1 && r[0] !== DIGIT).sort((a, b) => b[0]!.length - a[0]!.length)[0];
  return literal ?? requirements.find((r) => r.length > 1) ?? requirements[0] ?? null;
}

function alternativesRequirement(alternatives: string[]): Requirement | null {
  const union: string[] = [];
  for (const alternative of alternatives) {
    const one = best(requirementsOf(alternative));
    if (!one) return null;
    union.push(...one);
  }
  return [...new Set(union)];
}

/** What every match of `source` must contain. */
export function requirementsOf(source: string): Requirement[] {
  const alternatives = splitAlternatives(source);
  if (alternatives.length > 1) {
    const one = alternativesRequirement(alternatives);
    return one ? [one] : [];
  }
  const found: Requirement[] = [];
  let run = '';
  const endRun = () => {
    if (run) found.push([run]);
    run = '';
  };
  for (let i = 0; i < source.length; ) {
    const c = source[i]!;
    let atom: string | null = null;
    let next = i + 1;
    let group: Requirement | null = null;
    if (c === '\\') {
      const e = source[i + 1] ?? '';
      next = i + 2;
      if (e === 'd') {
        endRun();
        group = [DIGIT];
      } else if (PUNCTUATION_ESCAPE.test(e)) atom = e;
      else if (e === 'c') next = i + 3; // \cJ: one control character
      else if (e === 'k' && source[next] === '<') next = source.indexOf('>', next) + 1 || source.length; // \k<name>
      else if (e === 'p' || e === 'P' || e === 'u' || e === 'x') {
        // \p{L}, \u00e6, \x41: one character, not known here.
        const close = source[next] === '{' ? source.indexOf('}', next) : e === 'x' ? next + 1 : e === 'u' ? next + 3 : next;
        next = (close === -1 ? source.length : close) + 1;
      }
    } else if (c === '(') {
      next = skipBracketed(source, i);
      const inner = source.slice(i + 1, next - 1);
      if (!/^\?[=!<]/.test(inner) || /^\?<[^=!]/.test(inner)) {
        group = alternativesRequirement(splitAlternatives(inner.replace(/^\?(?::|<[^>]+>)/, '')));
      }
    } else if (c === '[') next = skipBracketed(source, i);
    else if (!'.^$|*+?{}'.includes(c)) atom = c.toLowerCase();
    const quantifier = QUANTIFIER.exec(source.slice(next))?.[0] ?? '';
    const optional = OPTIONAL_QUANTIFIER.test(quantifier);
    if (atom !== null && !optional) {
      run += atom;
      if (quantifier) endRun();
    } else {
      endRun();
      if (group && !optional) found.push(group);
    }
    i = next + quantifier.length;
  }
  endRun();
  return found;
}

/** True when the text holds every requirement, so the pattern is worth running. */
export function mayMatch(requirements: readonly Requirement[], plain: string, hasDigit: boolean): boolean {
  return requirements.every((anyOf) => anyOf.some((piece) => (piece === DIGIT ? hasDigit : plain.includes(piece))));
}
