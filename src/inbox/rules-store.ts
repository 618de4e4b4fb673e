import { isCategory } from '../moderation/categories.ts';
import { type Classification, classify } from '../moderation/classify.ts';
import { compileRules, RuleError } from '../moderation/compile.ts';
import { DEFAULT_RULES, type Rule } from '../moderation/rules.ts';
import type { Actor } from '../org/actor.ts';
import { auditActor } from '../org/actor.ts';
import { audit } from '../platform/audit/service.ts';
import type { Db, DbOrTx } from '../platform/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { nowIso } from '../platform/ids.ts';
import { mayKeepRegistry, rightsOf } from '../social/access.ts';
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

// ---- The rules editor: the social media editor group changes the rules; everyone with an inbox may read and try them.

/** Forgets this database's rules in memory, so the next classified item reads the changed table. */
export function forgetRules(db: DbOrTx): void {
  cache.delete(db);
}

export interface StoredRule {
  id: string;
  category: string;
  label: string;
  active: boolean;
  position: number;
  updatedAt: string;
  updatedByName: string | null;
  words: string[];
  patterns: string[];
  near: string[];
  unless: string[];
  /** The definition could not be read; the rule is then left out by the classifier. */
  unreadable: boolean;
  definition: RuleDefinition;
}

function parsedDefinition(json: string): { definition: RuleDefinition; unreadable: boolean } {
  try {
    const d = JSON.parse(json) as unknown;
    if (d && typeof d === 'object' && !Array.isArray(d)) return { definition: pick(d as RuleDefinition), unreadable: false };
  } catch {
    // Shown as unreadable below.
  }
  return { definition: {}, unreadable: true };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Every stored rule, active or not, in position order (the table is seeded first if empty). */
export async function listStoredRules(db: DbOrTx): Promise<StoredRule[]> {
  await currentRuleSet(db);
  const rows = await db
    .selectFrom('moderation_rules as r')
    .leftJoin('people as p', 'p.id', 'r.updated_by')
    .select(['r.id', 'r.category', 'r.label', 'r.definition', 'r.active', 'r.position', 'r.updated_at', 'p.name as updatedByName'])
    .orderBy('r.position')
    .orderBy('r.id')
    .execute();
  return rows.map((r) => {
    const { definition, unreadable } = parsedDefinition(r.definition);
    return {
      id: r.id,
      category: r.category,
      label: r.label,
      active: !!r.active,
      position: Number(r.position),
      updatedAt: r.updated_at,
      updatedByName: r.updatedByName ?? null,
      words: strings(definition.words),
      patterns: strings(definition.patterns),
      near: strings(definition.near),
      unless: strings(definition.unless),
      unreadable,
      definition,
    };
  });
}

export async function findStoredRule(db: DbOrTx, id: string): Promise<StoredRule | undefined> {
  return (await listStoredRules(db)).find((r) => r.id === id);
}

/** A rule as typed in the editor: the lists one entry per line. */
export interface RuleInput {
  category: string;
  label: string;
  words: string;
  patterns: string;
  near: string;
  unless: string;
  active: boolean;
}

const linesOf = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** Checks the typed rule; a message names the field and, for a pattern, its line. Returns the rule as stored. */
export function checkRule(id: string, input: RuleInput, keep: RuleDefinition = {}): { rule: Rule; definition: string } {
  const errors: Record<string, string> = {};
  const label = input.label.trim();
  if (!label) errors.label = 'Skriv en forklaring (den vises som begrundelse ved henvendelsen)';
  else if (label.length > 200) errors.label = 'Forklaringen må højst være 200 tegn';
  if (!isCategory(input.category) || input.category === 'ok') errors.category = 'Vælg en kategori';
  const words = linesOf(input.words);
  const patterns = linesOf(input.patterns);
  const near = linesOf(input.near);
  const unless = linesOf(input.unless);
  if (!words.length && !patterns.length) errors.words = 'Skriv mindst ét ord eller ét mønster';
  // Every line on its own, so the message can name the field and the line.
  const lines: [keyof RuleInput & ('words' | 'patterns' | 'near' | 'unless'), string][] = [
    ['words', 'Ord'],
    ['patterns', 'Mønstre'],
    ['near', 'Kun i nærheden af'],
    ['unless', 'Undtagen i nærheden af'],
  ];
  for (const [field, name] of lines) {
    if (errors[field]) continue;
    const all = input[field].split(/\r?\n/);
    for (let i = 0; i < all.length; i++) {
      const line = all[i]!.trim();
      if (!line) continue;
      try {
        compileRules([{ id, category: 'spam', label: 'x', ...(field === 'patterns' ? { patterns: [line] } : { words: [line] }) }]);
      } catch {
        errors[field] =
          field === 'patterns'
            ? `${name}, linje ${i + 1}: "${line}" er ikke et gyldigt regulært udtryk`
            : `${name}, linje ${i + 1}: "${line}" indeholder ingen bogstaver eller tal`;
        break;
      }
    }
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const rule = {
    ...keep,
    id,
    category: input.category,
    label,
    ...(words.length ? { words } : { words: undefined }),
    ...(patterns.length ? { patterns } : { patterns: undefined }),
    ...(near.length ? { near } : { near: undefined }),
    ...(unless.length ? { unless } : { unless: undefined }),
  } as Rule;
  for (const key of Object.keys(rule) as (keyof Rule)[]) if (rule[key] === undefined) delete rule[key];
  try {
    compileRules([rule]);
  } catch (error) {
    if (error instanceof RuleError) throw new ValidationError({ words: error.message });
    throw error;
  }
  return { rule, definition: definitionOf(rule) };
}

async function requireRuleKeeper(db: DbOrTx, actor: Actor): Promise<void> {
  if (!mayKeepRegistry(await rightsOf(db, actor))) throw new ForbiddenError('Kun redaktørgruppen for sociale medier kan ændre reglerne.');
}

export async function mayEditRules(db: DbOrTx, actor: Actor | null): Promise<boolean> {
  return mayKeepRegistry(await rightsOf(db, actor));
}

/** A time later than every stored rule's, so the cheap version check in currentRuleSet always sees the change. */
async function freshStamp(tx: DbOrTx): Promise<string> {
  const row = await tx.selectFrom('moderation_rules').select((eb) => eb.fn.max('updated_at').as('latest')).executeTakeFirst();
  const now = nowIso();
  const latest = row?.latest ? String(row.latest) : '';
  return latest && latest >= now ? new Date(Date.parse(latest) + 1).toISOString() : now;
}

export async function updateRule(db: Db, actor: Actor, id: string, input: RuleInput): Promise<void> {
  await requireRuleKeeper(db, actor);
  const current = await findStoredRule(db, id);
  if (!current) throw new NotFoundError('Reglen findes ikke.');
  const { definition } = checkRule(id, input, { within: current.definition.within, unlessWithin: current.definition.unlessWithin });
  await db.transaction().execute(async (tx) => {
    const at = await freshStamp(tx);
    await tx
      .updateTable('moderation_rules')
      .set({ category: input.category, label: input.label.trim(), definition, active: input.active ? 1 : 0, updated_by: actor.personId, updated_at: at })
      .where('id', '=', id)
      .execute();
    await audit(tx, { ...auditActor(actor), action: 'moderation_rule.updated', objectType: 'moderation_rule', objectId: id, details: { label: input.label.trim(), category: input.category, active: input.active, before: { label: current.label, category: current.category, active: current.active, definition: current.definition } } });
  });
  forgetRules(db);
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'oe')
    .replace(/å/g, 'aa')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);

export async function createRule(db: Db, actor: Actor, input: RuleInput): Promise<string> {
  await requireRuleKeeper(db, actor);
  await currentRuleSet(db);
  const base = `${input.category}-${slug(input.label) || 'regel'}`;
  const taken = new Set((await db.selectFrom('moderation_rules').select('id').where('id', 'like', `${base}%`).execute()).map((r) => r.id));
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  const { definition } = checkRule(id, input);
  await db.transaction().execute(async (tx) => {
    const at = await freshStamp(tx);
    const last = await tx.selectFrom('moderation_rules').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
    await tx
      .insertInto('moderation_rules')
      .values({ id, category: input.category, label: input.label.trim(), definition, active: input.active ? 1 : 0, position: Number(last?.p ?? 0) + 1, updated_by: actor.personId, updated_at: at })
      .execute();
    await audit(tx, { ...auditActor(actor), action: 'moderation_rule.created', objectType: 'moderation_rule', objectId: id, details: { label: input.label.trim(), category: input.category, active: input.active } });
  });
  forgetRules(db);
  return id;
}

/** What the active rules make of a text: the categories and, per rule, the words that matched (CPR numbers masked). */
export async function tryRules(db: DbOrTx, text: string): Promise<Classification> {
  return classify(text, await activeRules(db));
}
