// Prints how well the moderation rules sort the hand-labelled corpus: precision and recall per category, the
// macro averages, and every comment that came out differently from its label. Always exits 0: it reports, it
// does not judge (the test suite holds the limits).
import { CATEGORIES, type Category } from '../src/moderation/categories.ts';
import { compileRules } from '../src/moderation/compile.ts';
import { evaluate, loadCorpus } from '../src/moderation/corpus.ts';
import { DEFAULT_RULES } from '../src/moderation/rules.ts';

const percent = (value: number) => `${(value * 100).toFixed(1).replace('.', ',')} %`;
const names = (ids: Category[]) => ids.map((id) => CATEGORIES[id].label.toLowerCase()).join(', ');

const corpus = loadCorpus();
let started = performance.now();
compileRules(DEFAULT_RULES);
const compiling = performance.now() - started;
// The first pass also pays for the engine compiling each expression on first use; the time shown is a second one.
let result = evaluate(corpus);
const firstPass = performance.now() - started;
started = performance.now();
result = evaluate(corpus);
const elapsed = performance.now() - started;
const milliseconds = (value: number, digits: number) => value.toFixed(digits).replace('.', ',');

const header = ['Kategori', 'Mærket', 'Fundet', 'Rigtige', 'Præcision', 'Genkaldelse'];
const rows = result.scores.map((s) => [`${CATEGORIES[s.category].label} (${s.category})`, String(s.labelled), String(s.found), String(s.correct), percent(s.precision), percent(s.recall)]);
rows.push(['Gennemsnit (makro)', '', '', '', percent(result.macroPrecision), percent(result.macroRecall)]);
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');

const out: string[] = [
  `Klassificering af ${result.total} kommentarer i korpusset: ${milliseconds(elapsed / result.total, 3)} ms pr. kommentar (reglerne blev læst på ${milliseconds(compiling, 0)} ms, første gennemløb tog ${milliseconds(firstPass, 0)} ms)`,
  '',
  line(header),
  widths.map((w) => '-'.repeat(w)).join('  '),
  ...rows.slice(0, -1).map(line),
  widths.map((w) => '-'.repeat(w)).join('  '),
  line(rows.at(-1)!),
  '',
  `Helt rigtige: ${result.total - result.misses.length} af ${result.total} (${percent(result.exact)})`,
  '',
  `Fejlklassificerede kommentarer (${result.misses.length}):`,
];
for (const { comment, result: got } of result.misses) {
  out.push('', `  «${comment.text}»`, `    forventet: ${names(comment.categories)}`, `    fundet:    ${names(got.categories)}`);
  for (const reason of got.reasons) out.push(`      ${reason.ruleId}: ${reason.label} – ${reason.matches.map((m) => `«${m}»`).join(', ')}`);
}
console.log(out.join('\n'));
