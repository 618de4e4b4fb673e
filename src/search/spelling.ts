// "Mente du …?": the nearest known word within two edits. Known words are stored with every form that lacks
// one letter (their "deletes", as in SymSpell), so the candidates for a typed word are found by an indexed
// look-up of its own deletes instead of comparing it with every word there is.

/** A word and every form of it with one letter left out. */
export function deletes(word: string): string[] {
  const letters = [...word];
  const found = new Set<string>([word]);
  if (letters.length > 3) for (let i = 0; i < letters.length; i++) found.add([...letters.slice(0, i), ...letters.slice(i + 1)].join(''));
  return [...found];
}

/** What to look up for a typed word: its forms with up to two letters left out (for words long enough to bear it). */
export function lookupForms(word: string): string[] {
  const found = new Set(deletes(word));
  if ([...word].length >= 6) for (const once of deletes(word)) for (const twice of deletes(once)) found.add(twice);
  return [...found];
}

/** Edits between two words: insertions, deletions, substitutions and swaps of neighbouring letters. */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  const rows: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[s.length]![t.length]!;
}

/** Short words allow one edit, longer ones two: "pas" must not become "hus". */
export function allowedEdits(word: string): number {
  return [...word].length <= 5 ? 1 : 2;
}

/** The best of the candidates: fewest edits, then the word used most, then the same first letter, then A–Å. */
export function nearest(word: string, candidates: { word: string; uses: number }[]): string | null {
  const limit = allowedEdits(word);
  let best: { word: string; uses: number; distance: number } | null = null;
  for (const c of candidates) {
    if (c.word === word) return null;
    const distance = editDistance(word, c.word);
    if (distance > limit) continue;
    const better =
      !best ||
      distance < best.distance ||
      (distance === best.distance && c.uses > best.uses) ||
      (distance === best.distance && c.uses === best.uses && (c.word[0] === word[0]) > (best.word[0] === word[0])) ||
      (distance === best.distance && c.uses === best.uses && (c.word[0] === word[0]) === (best.word[0] === word[0]) && c.word.localeCompare(best.word, 'da') < 0);
    if (better) best = { ...c, distance };
  }
  return best?.word ?? null;
}
