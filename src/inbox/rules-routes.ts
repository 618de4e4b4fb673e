import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CATEGORIES, CATEGORY_IDS, type Category } from '../moderation/categories.ts';
import { maskCpr } from '../moderation/cpr.ts';
import { ForbiddenError, NotFoundError } from '../platform/errors.ts';
import { type Errors, formOf, noticeFor, paramsOf, queryOf, text, type Values } from '../platform/forms.ts';
import { inboxGate, refusalOf } from './route-gate.ts';
import { INBOX_PATH } from './list-routes.ts';
import { createRule, currentRuleSet, findStoredRule, listStoredRules, mayEditRules, type RuleInput, type StoredRule, tryRules, updateRule } from './rules-store.ts';

// The classifier's rules: /admin/indbakke/regler lists them per category and lets anyone with an inbox try a text
// against them; the social media editor group (and the platform owner) changes and adds rules.

export const RULES_PATH = `${INBOX_PATH}/regler`;
const NOTICES = { gemt: 'Reglen er gemt. Den gælder fra den næste henvendelse, der kommer ind.', oprettet: 'Reglen er oprettet. Den gælder fra den næste henvendelse, der kommer ind.' };
const MAX_TRY_LENGTH = 5000;
const SHOWN_WORDS = 8;

const RULE_CATEGORIES = CATEGORY_IDS.filter((c): c is Exclude<Category, 'ok'> => c !== 'ok');
const categoryLabel = (c: string) => (c in CATEGORIES ? CATEGORIES[c as Category].label : c);

const valuesOf = (r: StoredRule): Values => ({
  category: r.category,
  label: r.label,
  words: r.words.join('\n'),
  patterns: r.patterns.join('\n'),
  near: r.near.join('\n'),
  unless: r.unless.join('\n'),
  active: r.active ? '1' : '',
});

function ruleInput(form: ReturnType<typeof formOf>): RuleInput {
  return {
    category: text(form, 'category'),
    label: text(form, 'label'),
    words: text(form, 'words'),
    patterns: text(form, 'patterns'),
    near: text(form, 'near'),
    unless: text(form, 'unless'),
    active: text(form, 'active') === '1',
  };
}

const valuesFromInput = (i: RuleInput): Values => ({ ...i, active: i.active ? '1' : '' });

export async function rulesRoutes(app: FastifyInstance): Promise<void> {
  const db = app.ctx.social.db;
  inboxGate(app);

  app.get('/regler', async (request, reply) => showList(request, reply, {}));

  app.post('/regler/proev', async (request, reply) => {
    const typed = text(formOf(request), 'text');
    const trimmed = typed.trim();
    if (!trimmed) return showList(request, reply.code(422), { values: { text: typed }, errors: { text: 'Skriv en tekst at prøve reglerne på' } });
    if (trimmed.length > MAX_TRY_LENGTH) return showList(request, reply.code(422), { values: { text: typed }, errors: { text: `Teksten må højst være ${MAX_TRY_LENGTH} tegn` } });
    const result = await tryRules(db, trimmed);
    return showList(request, reply, {
      values: { text: typed },
      tried: {
        categories: result.categories.map((c) => CATEGORIES[c].label),
        reasons: result.reasons.map((r) => ({ category: categoryLabel(r.category), label: r.label, ruleId: r.ruleId, matches: r.matches.map(maskCpr) })),
      },
    });
  });

  app.get('/regler/ny', async (request, reply) => {
    if (!(await mayEditRules(db, request.actor))) throw new ForbiddenError('Kun redaktørgruppen for sociale medier kan oprette regler.');
    return showEdit(request, reply, null, { values: { category: text(queryOf(request), 'kategori'), active: '1' } });
  });

  app.post('/regler/ny', async (request, reply) => {
    const input = ruleInput(formOf(request));
    try {
      await createRule(db, request.actor!, input);
    } catch (error) {
      return showEdit(request, reply.code(422), null, { values: valuesFromInput(input), errors: refusalOf(error) });
    }
    return reply.redirect(`${RULES_PATH}?oprettet=1`, 303);
  });

  app.get('/regler/:ruleId', async (request, reply) => {
    const rule = await findStoredRule(db, paramsOf(request).ruleId!);
    if (!rule) throw new NotFoundError('Reglen findes ikke.');
    return showEdit(request, reply, rule, {});
  });

  app.post('/regler/:ruleId', async (request, reply) => {
    const { ruleId } = paramsOf(request) as { ruleId: string };
    const input = ruleInput(formOf(request));
    try {
      await updateRule(db, request.actor!, ruleId, input);
    } catch (error) {
      const rule = await findStoredRule(db, ruleId);
      if (!rule) throw error;
      return showEdit(request, reply.code(422), rule, { values: valuesFromInput(input), errors: refusalOf(error) });
    }
    return reply.redirect(`${RULES_PATH}?gemt=1#regel-${ruleId}`, 303);
  });

  async function showList(request: FastifyRequest, reply: FastifyReply, form: { values?: Values; errors?: Errors; tried?: unknown }) {
    const [rules, set, mayEdit] = await Promise.all([listStoredRules(db), currentRuleSet(db), mayEditRules(db, request.actor)]);
    const broken = new Map(set.broken.map((b) => [b.id, b.message]));
    return reply.view('inbox/views/rules.njk', {
      title: 'Regler for kategorier',
      socialMenu: true,
      notice: noticeFor(request, NOTICES),
      mayEdit,
      categories: RULE_CATEGORIES.map((c) => ({
        id: c,
        label: CATEGORIES[c].label,
        guideline: CATEGORIES[c].guideline,
        rules: rules
          .filter((r) => r.category === c)
          .map((r) => ({
            id: r.id,
            href: `${RULES_PATH}/${encodeURIComponent(r.id)}`,
            label: r.label,
            words: r.words.slice(0, SHOWN_WORDS).join(', ') + (r.words.length > SHOWN_WORDS ? ` … (${r.words.length} i alt)` : ''),
            patterns: r.patterns.length,
            active: r.active,
            broken: broken.get(r.id) ?? (r.unreadable ? 'Reglens definition kan ikke læses.' : null),
          })),
      })),
      values: form.values ?? { text: '' },
      errors: form.errors ?? {},
      tried: form.tried ?? null,
    });
  }

  async function showEdit(request: FastifyRequest, reply: FastifyReply, rule: StoredRule | null, form: { values?: Values; errors?: Errors }) {
    const mayEdit = await mayEditRules(db, request.actor);
    return reply.view('inbox/views/rule-edit.njk', {
      title: rule ? `Regel: ${rule.label}` : 'Ny regel',
      socialMenu: true,
      rule: rule ? { id: rule.id, label: rule.label, categoryLabel: categoryLabel(rule.category), updatedAt: rule.updatedAt, updatedByName: rule.updatedByName, within: rule.definition.within ?? null } : null,
      action: rule ? `${RULES_PATH}/${encodeURIComponent(rule.id)}` : `${RULES_PATH}/ny`,
      mayEdit,
      categoryOptions: RULE_CATEGORIES.map((c) => ({ value: c, text: CATEGORIES[c].label })),
      values: form.values ?? (rule ? valuesOf(rule) : { active: '1' }),
      errors: form.errors ?? {},
      backHref: RULES_PATH,
    });
  }
}
