import { once } from 'node:events';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { classify } from './classify.ts';
import { DEFAULT_RULES, type Rule } from './rules.ts';

// `mediehus classify`: one JSON object per line in, one per line out, in the same order, so a caller can pair
// them by line number. A bad line gets a Danish error on its own line and the run goes on.

const NOT_JSON = 'Linjen er ikke gyldig JSON. Skriv ét objekt pr. linje, fx {"text": "Hvornår åbner svømmehallen?"}.';
const NO_TEXT = 'Linjen mangler feltet "text" med kommentarens tekst.';
export function classifyLine(line: string, rules: readonly Rule[] = DEFAULT_RULES): string {
  let item: unknown;
  try {
    item = JSON.parse(line);
  } catch {
    return JSON.stringify({ error: NOT_JSON });
  }
  const text = item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as { text?: unknown }).text : undefined;
  if (typeof text !== 'string') return JSON.stringify({ error: NO_TEXT });
  const { categories, reasons } = classify(text, rules);
  return JSON.stringify({ categories, reasons });
}

/**
 * Classifies every line of `input` onto `output` and resolves with the number of lines read. The answers to one
 * chunk of input are written together, as soon as that chunk is done: one write per comment would cost more than
 * classifying it, and a caller that sends one line at a time still gets its answer at once.
 */
export function classifyLines(input: Readable, output: Writable, rules: readonly Rule[] = DEFAULT_RULES): Promise<number> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input, crlfDelay: Infinity });
    let pending: string[] = [];
    let count = 0;
    let scheduled = false;
    let draining: Promise<unknown> = Promise.resolve();
    const flush = () => {
      scheduled = false;
      if (!pending.length) return;
      const chunk = `${pending.join('\n')}\n`;
      pending = [];
      if (!output.write(chunk)) {
        input.pause();
        draining = once(output, 'drain').then(() => input.resume());
      }
    };
    lines.on('line', (line) => {
      // A byte order mark from a Windows editor is not part of the first comment.
      pending.push(classifyLine(count === 0 ? line.replace(/^\uFEFF/, '') : line, rules));
      count++;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
    lines.on('close', () => {
      flush();
      draining.then(() => resolve(count), reject);
    });
    input.on('error', reject);
    output.on('error', reject);
  });
}
