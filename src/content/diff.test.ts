import { describe, expect, it } from 'vitest';
import { blocksChanged, lineDiff, segmentsChanged, wordDiff } from './diff.ts';

describe('comparing two revisions', () => {
  it('a word diff names the removed and the added word and keeps the rest, Danish letters included', () => {
    expect(wordDiff('Ny genbrugsplads åbner i Toftlund', 'Ny genbrugsplads lukker i Toftlund')).toEqual([
      { kind: 'same', text: 'Ny genbrugsplads ' },
      { kind: 'removed', text: 'åbner' },
      { kind: 'added', text: 'lukker' },
      { kind: 'same', text: ' i Toftlund' },
    ]);
  });

  it('identical text has no change', () => {
    expect(segmentsChanged(wordDiff('Samme tekst', 'Samme tekst'))).toBe(false);
    expect(blocksChanged(lineDiff('Første linje\nAnden linje', 'Første linje\nAnden linje'))).toBe(false);
    expect(lineDiff('', '')).toEqual([]);
  });

  it('a replaced line is compared word by word, and a line added at the end is not mistaken for a change to the one before', () => {
    expect(lineDiff('Åbent mandag.\nLukket søndag.', 'Åbent tirsdag.\nLukket søndag.\nRing før du kommer.')).toEqual([
      { kind: 'changed', segments: [{ kind: 'same', text: 'Åbent ' }, { kind: 'removed', text: 'mandag' }, { kind: 'added', text: 'tirsdag' }, { kind: 'same', text: '.' }] },
      { kind: 'same', lines: ['Lukket søndag.'] },
      { kind: 'added', lines: ['Ring før du kommer.'] },
    ]);
  });

  it('long unchanged stretches are counted, keeping two lines of context around a change', () => {
    const before = Array.from({ length: 20 }, (_, i) => `Linje ${i + 1}`);
    const after = [...before];
    after[10] = 'Ny linje';
    expect(lineDiff(before.join('\n'), after.join('\n'))).toEqual([
      { kind: 'skipped', count: 8 },
      { kind: 'same', lines: ['Linje 9', 'Linje 10'] },
      { kind: 'changed', segments: [{ kind: 'removed', text: 'Linje 11' }, { kind: 'added', text: 'Ny linje' }] },
      { kind: 'same', lines: ['Linje 12', 'Linje 13'] },
      { kind: 'skipped', count: 7 },
    ]);
  });

  it('Windows line endings do not count as changes', () => {
    expect(blocksChanged(lineDiff('a\r\nb', 'a\nb'))).toBe(false);
  });
});
