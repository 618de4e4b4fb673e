import { compileRules, RuleError } from '../moderation/compile.ts';
import { DEFAULT_RULES, type Rule } from '../moderation/rules.ts';
import type { DbOrTx } from '../platform/database.ts';
import { nowIso } from '../platform/ids.ts';
import type { ModerationRulesTable } from './tables.ts';

// The classifier's rules live in moderation_rules so the social media editor group can change them. Every comment
// that comes in is classified by them, so the list is kept in memory per database and read again only when a cheap
// look at the table (how many rows, the latest change) says it changed. The same list object is handed out while
// it is unchanged, which is what lets the classifier reuse its compiled form.

/** The part of a rule kept as JSON in moderation_rules.definition. */
type RuleDefinition = Pick<Rule, 'words' | 'patterns' | 'near' | 'unless' | 'within' | 'unlessWithin'>;

export interface RuleSet {
  /** The active rules that can be used, in position order. */
  rules: readonly Rule[];
  /** Active rules that cannot be used (broken JSON, a bad pattern), with a Danish explanation; they are left out. */
  broken: { id: string; message: string }[];
}

interface Cached extends RuleSet {
  version: string;
}

const cache = new WeakMap<object, Cached>();

export function definitionOf(rule: Rule): string {
  const definition: RuleDefinition = {};
  for (const key of ['words', 'patterns', 'near', 'unless', 'within', 'unlessWithin'] as const) {
    if (rule[key] !== undefined) (definition as Record<string, unknown>)[key] = rule[key];
  }
  return JSON.stringify(definition);
}

/** A stored rule as the classifier takes it. Throws RuleError when it cannot be used. */
export function ruleFromRow(row: Pick<ModerationRulesTable, 'id' | 'category' | 'label' | 'definition'>): Rule {
  let definition: unknown;
  try {
    definition = JSON.parse(row.definition);
  } catch {
    throw new RuleError(row.id, 'definitionen er ikke gyldig JSON.');
  }
  if (!definition || typeof definition !== 'object' || Array.isArray(definition)) throw new RuleError(row.id, 'definitionen skal være et JSON-objekt.');
  const d = definition as RuleDefinition;
  const rule = { id: row.id, category: row.category, label: row.label, ...pick(d) } as Rule;
  // Checked on its own, so one broken rule leaves the others working.
  compileRules([rule]);
  return rule;
}

function pick(d: RuleDefinition): RuleDefinition {
  const out: RuleDefinition = {};
  for (const key of ['words', 'patterns', 'near', 'unless', 'within', 'unlessWithin'] as const) {
    if (d[key] !== undefined) (out as Record<string, unknown>)[key] = d[key];
  }
  return out;
}

async function versionOf(db: DbOrTx): Promise<{ count: number; version: string }> {
  const row = await db
    .selectFrom('moderation_rules')
    .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.max('updated_at').as('latest')])
    .executeTakeFirstOrThrow();
  const count = Number(row.n);
  return { count, version: `${count}:${row.latest ?? ''}` };
}

/** Fills an empty table with the default rules, in their order. Two processes doing it at once add them once. */
export async function seedDefaultRules(db: DbOrTx): Promise<void> {
  const at = nowIso();
  const rows = DEFAULT_RULES.map((rule, position) => ({
    id: rule.id,
    category: rule.category,
    label: rule.label,
    definition: definitionOf(rule),
    active: 1 as const,
    position,
    updated_by: null,
    updated_at: at,
  }));
  for (let i = 0; i < rows.length; i += 50) {
    await db
      .insertInto('moderation_rules')
      .values(rows.slice(i, i + 50))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
}

/** The rules as stored (seeded from the defaults the first time), from memory while the table is unchanged. */
export async function currentRuleSet(db: DbOrTx): Promise<RuleSet> {
  let { count, version } = await versionOf(db);
  const cached = cache.get(db);
  if (cached && cached.version === version) return cached;
  if (count === 0) {
    await seedDefaultRules(db);
    ({ version } = await versionOf(db));
  }
  const rows = await db.selectFrom('moderation_rules').select(['id', 'category', 'label', 'definition']).where('active', '=', 1).orderBy('position').orderBy('id').execute();
  const rules: Rule[] = [];
  const broken: RuleSet['broken'] = [];
  for (const row of rows) {
    try {
      rules.push(ruleFromRow(row));
    } catch (error) {
      broken.push({ id: row.id, message: error instanceof RuleError ? error.message : String(error) });
    }
  }
  const fresh: Cached = { version, rules, broken };
  cache.set(db, fresh);
  return fresh;
}

/** The rules the classifier applies to incoming comments. */
export async function activeRules(db: DbOrTx): Promise<readonly Rule[]> {
  return (await currentRuleSet(db)).rules;
}
