import { describe, expect, it } from 'vitest';
import { DEFAULT_JARGON, plainLanguageHints, type JargonEntry } from './plain-language.ts';

const kinds = (text: string, jargon?: readonly JargonEntry[]) => plainLanguageHints(text, jargon).map((h) => h.kind);

describe('plain-language hints', () => {
  it('a sentence of more than 25 words is quoted by its start with its word count', () => {
    const sentence =
      'Når du har modtaget brevet fra os og har læst det hele igennem, skal du huske at sende os dine papirer, så vi kan se på din sag og svare dig hurtigt.';
    const hints = plainLanguageHints(sentence, []);
    expect(hints).toEqual([
      {
        kind: 'long-sentence',
        excerpt: 'Når du har modtaget brevet fra …',
        message: 'Sætningen „Når du har modtaget brevet fra …“ har 32 ord. Prøv at dele den op.',
      },
    ]);
  });

  it('a sentence of exactly 25 words gets no hint', () => {
    const words = Array.from({ length: 25 }, () => 'ord').join(' ');
    expect(kinds(`${words}.`, [])).toEqual([]);
  });

  it('a word of more than 15 letters is named once, with its length', () => {
    const hints = plainLanguageHints('Alle ansøgningsskemaerne ligger her. Ansøgningsskemaerne er nye. Sundhedsplejen er fin.', []);
    expect(hints).toEqual([
      {
        kind: 'long-word',
        excerpt: 'ansøgningsskemaerne',
        message: 'Ordet „ansøgningsskemaerne“ er langt (19 bogstaver). Kan du dele det op eller skrive det med flere, kortere ord?',
      },
    ]);
  });

  it('jargon is found case-insensitively and suggests the plainer word', () => {
    const hints = plainLanguageHints('Såfremt du er i tvivl, så ring.');
    expect(hints).toEqual([{ kind: 'jargon', excerpt: 'Såfremt', message: 'Skriv hellere „hvis“ end „såfremt“.' }]);
  });

  it('inflected jargon is found: -en, -er, -erne, -s, and a dropped final e', () => {
    const jargon: JargonEntry[] = [
      { word: 'boligenhed', instead: 'bolig' },
      { word: 'henvendelse', instead: 'spørgsmål' },
      { word: 'fremsende', instead: 'sende' },
    ];
    for (const text of ['Boligenheden er ledig.', 'Alle boligenhederne er udlejet.', 'Boligenhedens køkken er nyt.']) {
      expect(plainLanguageHints(text, jargon)).toEqual([{ kind: 'jargon', excerpt: expect.stringMatching(/^boligenhed/i), message: 'Skriv hellere „bolig“ end „boligenhed“.' }]);
    }
    expect(plainLanguageHints('Vi svarer på henvendelser inden fem dage.', jargon).map((h) => h.excerpt)).toEqual(['henvendelser']);
    expect(plainLanguageHints('Brevet blev fremsendt i går.', jargon).map((h) => h.excerpt)).toEqual(['fremsendt']);
  });

  it('jargon matches whole words only', () => {
    expect(kinds('Borgerservice har åbent, og vi foretrækker mail.')).toEqual([]);
    expect(kinds('Kirsebær er gode.', [{ word: 'bær', instead: 'frugt' }])).toEqual([]);
  });

  it('multi-word jargon is found, also across a line break and when inflected', () => {
    expect(plainLanguageHints('Du får hjælp i henhold til loven.').map((h) => h.message)).toEqual(['Skriv hellere „efter“ end „i henhold til“.']);
    expect(plainLanguageHints('Det sker i\nforbindelse med flytningen.').map((h) => h.excerpt)).toEqual(['i\nforbindelse med']);
    const jargon: JargonEntry[] = [{ word: 'henvende sig', instead: 'kontakte' }];
    expect(plainLanguageHints('Du kan henvende dig her. Mange henvender sig i dag.', jargon).map((h) => h.excerpt)).toEqual(['henvender sig']);
  });

  it('abbreviations with a full stop are found, e.g. jf.', () => {
    expect(plainLanguageHints('Du har ret til hjælp, jf. serviceloven.').map((h) => h.message)).toEqual(['Skriv hellere „se“ end „jf.“.']);
  });

  it('each jargon entry gives one hint, in the order the words first appear', () => {
    const hints = plainLanguageHints('Endvidere skal du, såfremt du flytter, endvidere fremsende papirerne.');
    expect(hints.map((h) => h.excerpt)).toEqual(['Endvidere', 'såfremt', 'fremsende']);
  });

  it('a short text in plain language gets no hints', () => {
    expect(plainLanguageHints('Du kan ringe til os på 74 92 92 92. Vi har åbent hver dag fra kl. 9 til 15.')).toEqual([]);
  });

  it('the default list has about thirty entries, each with a different, non-empty alternative', () => {
    expect(DEFAULT_JARGON.length).toBeGreaterThanOrEqual(30);
    for (const entry of DEFAULT_JARGON) {
      expect(entry.instead.trim()).not.toBe('');
      expect(entry.instead).not.toBe(entry.word);
    }
    expect(new Set(DEFAULT_JARGON.map((e) => e.word)).size).toBe(DEFAULT_JARGON.length);
  });
});
