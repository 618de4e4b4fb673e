import { describe, expect, it } from 'vitest';
import { excerpt, highlight } from './excerpt.ts';
import { deletes, editDistance, lookupForms, nearest } from './spelling.ts';
import { cleanQuery, MAX_QUERY_LENGTH, queryTerms, stem, stemmedText, vocabularyWords } from './text.ts';

describe('words as the search reads them', () => {
  it('"flytning", "flytninger" and "Flytningen" are the same word to the search', () => {
    expect(stem('flytninger')).toBe(stem('flytning'));
    expect(stem('Flytningen')).toBe(stem('flytning'));
    expect(stemmedText('Meld FLYTNINGER i dag')).toBe('meld flytning i dag');
  });

  it('a query keeps its words and loses stop words, search syntax and repeats', () => {
    expect(queryTerms('Hvordan melder jeg "flytning*" og NEAR(flytninger)?').map((t) => t.word)).toEqual(['hvordan', 'melder', 'flytning', 'near']);
    expect(queryTerms("') OR 1=1 --").map((t) => t.word)).toEqual(['or', '1']);
    expect(queryTerms('og i at')).toEqual([]);
    expect(queryTerms(Array.from({ length: 40 }, (_, i) => `ord${i}`).join(' '))).toHaveLength(12);
  });

  it('what a reader typed is cut to one line without control characters and to a sensible length', () => {
    expect(cleanQuery('  flyt\u0000ning\r\n\tpas\u0007 \u202e ')).toBe('flyt ning pas \u202e');
    expect(cleanQuery('\ud800x')).toBe('x');
    expect([...cleanQuery('æ'.repeat(5000))]).toHaveLength(MAX_QUERY_LENGTH);
    expect(cleanQuery('flytning '.repeat(100))).toBe(Array(22).fill('flytning').join(' '));
  });

  it('the vocabulary holds the words of titles and keywords, not numbers, stop words or single letters', () => {
    expect(vocabularyWords('Flytning og ny adresse 2026 – i A')).toEqual(['adresse', 'flytning']);
  });
});

describe('excerpts', () => {
  const stems = new Set([stem('flytning')]);

  it('marks every word with the stem of a query word, in the words as they were written', () => {
    expect(highlight('Flytninger: meld flytning.', stems)).toEqual([
      { text: 'Flytninger', mark: true },
      { text: ': meld ', mark: false },
      { text: 'flytning', mark: true },
      { text: '.', mark: false },
    ]);
  });

  it('shows the summary when it matches, otherwise the body around the first match, otherwise the summary alone', () => {
    const body = `${'Lang indledning uden det ord. '.repeat(20)}Her står det: du skal melde flytning. ${'Mere tekst. '.repeat(40)}`;
    expect(excerpt('Meld flytning', body, stems).some((s) => s.mark && s.text === 'flytning')).toBe(true);
    const fromBody = excerpt('Et resumé', body, stems);
    const text = fromBody.map((s) => s.text).join('');
    expect(text.startsWith('… ')).toBe(true);
    expect(text.endsWith(' …')).toBe(true);
    expect(text.length).toBeLessThan(260);
    expect(fromBody.filter((s) => s.mark).map((s) => s.text)).toEqual(['flytning']);
    expect(excerpt('Et resumé', 'Intet her', stems)).toEqual([{ text: 'Et resumé', mark: false }]);
  });
});

describe('"Mente du …?"', () => {
  it('counts insertions, deletions, substitutions and swapped neighbours as one edit each', () => {
    expect(editDistance('flytnig', 'flytning')).toBe(1);
    expect(editDistance('flyting', 'flytning')).toBe(1);
    expect(editDistance('fyltning', 'flytning')).toBe(1);
    expect(editDistance('flytnnig', 'flytning')).toBe(1);
    expect(editDistance('flitnimg', 'flytning')).toBe(2);
    expect(editDistance('æble', 'æbler')).toBe(1);
  });

  it('a typed word within one edit of a known word, or two when one is a letter too many, shares a form with it', () => {
    const shared = (typed: string, known: string) => lookupForms(typed).some((f) => deletes(known).includes(f));
    expect(shared('flytnig', 'flytning')).toBe(true);
    expect(shared('flytninng', 'flytning')).toBe(true);
    expect(shared('flyttnimg', 'flytning')).toBe(true);
    expect(shared('affaldskalnder', 'affaldskalender')).toBe(true);
  });

  it('picks the closest word, then the most used, and never a known word or one too far off', () => {
    expect(nearest('flytnig', [{ word: 'flytning', uses: 2 }, { word: 'flytte', uses: 9 }])).toBe('flytning');
    expect(nearest('bibliotk', [{ word: 'bibliotek', uses: 1 }, { word: 'biblioteket', uses: 5 }])).toBe('bibliotek');
    expect(nearest('flytning', [{ word: 'flytning', uses: 2 }])).toBeNull();
    expect(nearest('pas', [{ word: 'hus', uses: 9 }])).toBeNull();
  });
});
