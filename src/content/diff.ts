import { diffLines, diffWords } from 'diff';

/** A run of text that is the same in both revisions, only in the newer one, or only in the older one. */
export interface Segment {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** A piece of a line-by-line comparison, as the compare screen shows it. */
export type Block =
  | { kind: 'same'; lines: string[] }
  | { kind: 'skipped'; count: number }
  | { kind: 'added' | 'removed'; lines: string[] }
  /** Lines replaced by others, compared word by word so the actual change stands out. */
  | { kind: 'changed'; segments: Segment[] };

// Word diffs are quadratic in the worst case; a replaced stretch longer than this is shown as removed and added lines.
const MAX_WORD_DIFF = 6000;

const normalise = (s: string) => s.replace(/\r\n?/g, '\n');

/** Word by word, for short text such as a title or a summary. */
export function wordDiff(before: string, after: string): Segment[] {
  return diffWords(normalise(before), normalise(after)).map((c) => ({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value }));
}

const linesOf = (value: string) => value.replace(/\n$/, '').split('\n');

/**
 * Line by line, for a body or a list; unchanged stretches keep `context` lines on each side of a change
 * and the rest is counted, so a long page shows where it changed rather than all of itself.
 */
export function lineDiff(before: string, after: string, context = 2): Block[] {
  // Without a final newline on both, a change to the last line also shows its unchanged neighbour as changed.
  const end = (s: string) => (s === '' || s.endsWith('\n') ? s : `${s}\n`);
  const changes = diffLines(end(normalise(before)), end(normalise(after)));
  const raw: Block[] = [];
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    const next = changes[i + 1];
    if (c.removed && next?.added && c.value.length + next.value.length <= MAX_WORD_DIFF) {
      raw.push({ kind: 'changed', segments: wordDiff(c.value.replace(/\n$/, ''), next.value.replace(/\n$/, '')) });
      i++;
    } else {
      raw.push({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', lines: linesOf(c.value) });
    }
  }
  if (!raw.some((b) => b.kind !== 'same')) return raw;
  const blocks: Block[] = [];
  raw.forEach((b, i) => {
    if (b.kind !== 'same') return blocks.push(b);
    const keepBefore = i > 0 ? context : 0;
    const keepAfter = i < raw.length - 1 ? context : 0;
    if (b.lines.length <= keepBefore + keepAfter + 1) return blocks.push(b);
    if (keepBefore) blocks.push({ kind: 'same', lines: b.lines.slice(0, keepBefore) });
    blocks.push({ kind: 'skipped', count: b.lines.length - keepBefore - keepAfter });
    if (keepAfter) blocks.push({ kind: 'same', lines: b.lines.slice(-keepAfter) });
  });
  return blocks;
}

export const segmentsChanged = (segments: Segment[]): boolean => segments.some((s) => s.kind !== 'same');
export const blocksChanged = (blocks: Block[]): boolean => blocks.some((b) => b.kind !== 'same' && b.kind !== 'skipped');
