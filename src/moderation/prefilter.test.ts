import { describe, expect, it } from 'vitest';
import { compileRules } from './compile.ts';
import { loadCorpus } from './corpus.ts';
import { normalise } from './normalise.ts';
import { DIGIT, mayMatch, requirementsOf } from './prefilter.ts';
import { DEFAULT_RULES } from './rules.ts';

describe('skipping patterns that cannot match', () => {
  it('a pattern needs the literal text it cannot do without, and nothing that is optional', () => {
    expect(requirementsOf(String.raw`\bsag\s+(?:nr\.?\s*)?\d{2,4}`)).toEqual([['sag'], [DIGIT]]);
    expect(requirementsOf(String.raw`(?:https?://|www\.)\S+`)).toEqual([['http', 'www.']]);
    expect(requirementsOf(String.raw`hvad\s+koster[^?]*\?`)).toEqual([['hvad'], ['koster'], ['?']]);
    expect(requirementsOf('Kr(?:oner)?')).toEqual([['kr']]);
    expect(requirementsOf('ab?c')).toEqual([['a'], ['c']]);
  });

  it('what cannot be read safely requires nothing', () => {
    expect(requirementsOf('a|[bc]')).toEqual([]);
    expect(requirementsOf('(?:^|x)y*')).toEqual([]);
    expect(requirementsOf(String.raw`(?<=x)\p{L}+`)).toEqual([]);
    expect(requirementsOf('(?:ab){0,2}')).toEqual([]);
    expect(requirementsOf(String.raw`\cJ(?<ord>x)\k<ord>`)).toEqual([['x']]);
  });

  it('a comment without the required text skips the pattern; with it, the pattern runs', () => {
    const requirements = requirementsOf(String.raw`\d+\s?%\s+rabat`);
    expect(mayMatch(requirements, '50 % rabat', true)).toBe(true);
    expect(mayMatch(requirements, 'halv pris', false)).toBe(false);
    expect(mayMatch(requirements, '50 kr rabat', true)).toBe(false);
  });

  it('no default pattern is ever skipped on a corpus comment it matches', () => {
    const { rules } = compileRules(DEFAULT_RULES);
    const texts = loadCorpus().map((c) => normalise(c.text));
    let matched = 0;
    for (const rule of rules) {
      for (const { expression, requirements } of rule.patterns) {
        for (const text of texts) {
          expression.lastIndex = 0;
          if (!expression.test(text.plain)) continue;
          matched++;
          expect([rule.rule.id, expression.source.slice(0, 40), text.plain, mayMatch(requirements, text.plain, text.hasDigit)]).toEqual([rule.rule.id, expression.source.slice(0, 40), text.plain, true]);
        }
        expression.lastIndex = 0;
      }
    }
    expect(matched).toBeGreaterThan(100);
  });
});
