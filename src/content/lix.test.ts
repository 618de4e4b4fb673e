import { describe, expect, it } from 'vitest';
import { lix, lixLevel, sentencesOf } from './lix.ts';

describe('LIX', () => {
  // Kommunen(8) har åbnet en ny borgerservice(13) | Du kan bestille(8) tid på hjemmesiden(11) |
  // Medbring(8) altid dit sundhedskort(12): 16 words, 3 sentences, 6 long words.
  // 16 / 3 + 100 × 6 / 16 = 5.33 + 37.5 = 42.83, rounded 43.
  it('a known Danish sample scores 16/3 + 100 × 6/16 = 42.83, given as 43 and "Middel"', () => {
    const result = lix('Kommunen har åbnet en ny borgerservice. Du kan bestille tid på hjemmesiden. Medbring altid dit sundhedskort!');
    expect(result).toEqual({ score: 43, words: 16, sentences: 3, longWords: 6, level: 'Middel' });
  });

  it('empty text, or text without a single letter, scores 0 with the level "Ingen tekst"', () => {
    for (const text of ['', '   \n\n ', '42 – 1.000 …']) {
      expect(lix(text)).toEqual({ score: 0, words: 0, sentences: 0, longWords: 0, level: 'Ingen tekst' });
    }
  });

  // 5 words, 1 long (Rådhuset, 8 letters): 5 / 1 + 100 × 1 / 5 = 25.
  it('one sentence without a full stop still counts as one sentence', () => {
    expect(lix('Rådhuset har åbent i dag')).toEqual({ score: 25, words: 5, sentences: 1, longWords: 1, level: 'Let' });
  });

  it('long words are counted by letters, with æ, ø and å as one letter each, also when written decomposed', () => {
    // Ærøskøbing (10) and øjeblik (7) are long; særlig (6), Ærø (3) and på (2) are not.
    const text = 'Ærøskøbing på Ærø er særlig et øjeblik';
    expect(lix(text)).toMatchObject({ words: 7, longWords: 2 });
    expect(lix(text.normalize('NFD'))).toMatchObject({ words: 7, longWords: 2 });
  });

  it('a hyphenated word is one word, and digits are not words', () => {
    expect(lix('Send en e-mail inden 1. maj 2025')).toMatchObject({ words: 5, sentences: 1, longWords: 0 });
  });

  it('sentences end at . ! ? : and at line breaks, but not at abbreviations, ordinals or times', () => {
    expect(sentencesOf('Hej. Kommer du? Ja! Husk: madpakke')).toEqual(['Hej.', 'Kommer du?', 'Ja!', 'Husk:', 'madpakke']);
    expect(sentencesOf('Mødet er f.eks. den 1. marts kl. 10.30 i salen.')).toHaveLength(1);
    expect(sentencesOf('Overskrift\n\nFørste punkt\nAndet punkt')).toEqual(['Overskrift', 'Første punkt', 'Andet punkt']);
    expect(sentencesOf('Han sagde „ja.“ Så gik han.')).toEqual(['Han sagde „ja.“', 'Så gik han.']);
  });

  it('levels follow the usual bands: under 25, 25–34, 35–44, 45–54, 55 and over', () => {
    expect([0, 24, 25, 34, 35, 44, 45, 54, 55, 80].map(lixLevel)).toEqual([
      'Meget let',
      'Meget let',
      'Let',
      'Let',
      'Middel',
      'Middel',
      'Svær',
      'Svær',
      'Meget svær',
      'Meget svær',
    ]);
  });
});
