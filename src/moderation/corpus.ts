import fs from 'node:fs';
import path from 'node:path';
import { CATEGORY_IDS, isCategory, type Category } from './categories.ts';
import { classify, type Classification } from './classify.ts';
import { DEFAULT_RULES, type Rule } from './rules.ts';

// The hand-labelled comments the rules are measured against: labels say what a moderator should see, written
// before the rules were tuned, and are not changed to suit them.

export const CORPUS_FILE = path.join(import.meta.dirname, 'corpus', 'comments.jsonl');

export interface LabelledComment {
  text: string;
  categories: Category[];
}

export function loadCorpus(file = CORPUS_FILE): LabelledComment[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line)
    .map(({ line, number }) => {
      const item = JSON.parse(line) as { text?: unknown; categories?: unknown };
      if (typeof item.text !== 'string' || !Array.isArray(item.categories) || !item.categories.length || !item.categories.every(isCategory)) {
        throw new Error(`${path.basename(file)} linje ${number}: forventede {"text": "...", "categories": [...]}`);
      }
      return { text: item.text, categories: item.categories };
    });
}

export interface CategoryScore {
  category: Category;
  /** Comments labelled with the category. */
  labelled: number;
  /** Comments the rules put in the category. */
  found: number;
  /** Comments both labelled with and put in the category. */
  correct: number;
  precision: number;
  recall: number;
}

export interface Miss {
  comment: LabelledComment;
  result: Classification;
}

export interface Evaluation {
  scores: CategoryScore[];
  macroPrecision: number;
  macroRecall: number;
  /** Share of comments whose categories came out exactly as labelled. */
  exact: number;
  misses: Miss[];
  total: number;
}

const ratio = (part: number, whole: number, empty: number) => (whole ? part / whole : empty);

export function evaluate(corpus: LabelledComment[], rules: readonly Rule[] = DEFAULT_RULES): Evaluation {
  const counts = new Map(CATEGORY_IDS.map((id) => [id, { labelled: 0, found: 0, correct: 0 }]));
  const misses: Miss[] = [];
  for (const comment of corpus) {
    const result = classify(comment.text, rules);
    const expected = new Set(comment.categories);
    const got = new Set(result.categories);
    for (const id of CATEGORY_IDS) {
      const count = counts.get(id)!;
      if (expected.has(id)) count.labelled++;
      if (got.has(id)) count.found++;
      if (expected.has(id) && got.has(id)) count.correct++;
    }
    if (expected.size !== got.size || [...expected].some((id) => !got.has(id))) misses.push({ comment, result });
  }
  const scores = CATEGORY_IDS.map((category) => {
    const { labelled, found, correct } = counts.get(category)!;
    // Nothing found where nothing was labelled is a perfect score, not a division by zero.
    return { category, labelled, found, correct, precision: ratio(correct, found, labelled ? 0 : 1), recall: ratio(correct, labelled, 1) };
  });
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    scores,
    macroPrecision: mean(scores.map((s) => s.precision)),
    macroRecall: mean(scores.map((s) => s.recall)),
    exact: ratio(corpus.length - misses.length, corpus.length, 1),
    misses,
    total: corpus.length,
  };
}
